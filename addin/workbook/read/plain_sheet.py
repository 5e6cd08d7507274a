"""A sheet written in the plain form every writer uses, read without a Python call per XML event.

The expat reader (xlsx.py, ``_SheetBuilder.handlers_and_probe``) runs three to seven Python
callbacks per cell; at 50,000 indicators (250,000 cells, 15 MB of XML) that is most of the read.
Writers, though, put a sheet's cells in one form: ``<row r="24">`` holding ``<c r="F24" s="3"
t="s"><v>7</v></c>``, inline strings as ``<is><t>…</t></is>``, formulas as ``<f>…</f>``, no
whitespace between. Here that form is split into tokens by one regular expression (C speed), while
expat parses the same bytes with no Python in the loop: ``len`` as its end-element handler, only so
that each element's text comes out on its own, and ``list.append`` collecting those texts, entities
resolved. The tokens say which cell each text belongs to; ``put``, the expat reader's own cell
maker, makes and places the cells.

Nothing here may change what the reader gives, so the sheet is read this way only when all of this
holds, and otherwise ``read_plain`` returns None and the expat reader reads it from the start
(a message is therefore always the expat reader's):

- the tokens cover every byte between ``<sheetData>`` and ``</sheetData>`` (anything else, such
  as a comment, whitespace, a rich-text run or an attribute of another form, is a token of its own
  that stops this reader);
- expat parses the whole document without an error and saw the ``sheetData`` element start and
  end exactly there (so those bytes are not text in a comment or CDATA section);
- expat gave exactly one text per non-empty ``v``, ``t`` and ``f`` the tokens found;
- no ``c`` element is written before or after ``sheetData`` (the rest of the document, merged
  ranges included, goes through the expat reader's callbacks as before).
"""
from __future__ import annotations

import re
from typing import Optional

from addin.common.model import SheetGrid
from addin.workbook.read.xlsx import _COLUMNS, Package, _SheetBuilder, _col_number, feed, new_parser

MAX_BYTES = 256 << 20  # the guard's per-member limit: the member is held in memory whole
CHUNK = 1 << 20  # bytes of cells tokenized at once, so the tokens of a big sheet never exist all together
TEXT_BUFFER = 1 << 20  # pyexpat joins a text up to this size into one string (a cell holds at most 32,767 characters)

_ATTRS = rb'(?: [A-Za-z_][\w.:-]*="[^"<>&\t\n\r]*")*'  # expat vets the names and values; only their form is here
TOKEN = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?'
    rb'(?:/>|>(?:(<f' + _ATTRS + rb'(?:/>|>([^<]*)</f>))?(?:<v>([^<]*)</v>|<v/>)?'
    rb'|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)</c>)'
    rb'|<row(?: r="([0-9]{1,7})")?(' + _ATTRS + rb')/?>'
    rb'|(</row>)'
    rb'|(.)', re.S)
# A <c> outside sheetData (in extLst, say) would be a cell to the expat reader.
CELL_TAG = re.compile(rb"<(?:[^\s<>/!?]*:)?c[\s/>]")
ROW_ATTR = re.compile(rb' ([^=]+)=')
_KINDS = {b"": "n", b"n": "n", b"s": "s", b"inlineStr": "inlineStr", b"str": "str", b"b": "b", b"e": "e", b"d": "d"}
_OPEN, _CLOSE = b"<sheetData>", b"</sheetData>"


class _NotPlain(Exception):
    """A byte this reader does not read the way expat would: the expat reader reads the sheet."""


def read_plain(pkg: Package, name: str, member: str) -> Optional[SheetGrid]:
    """The sheet, exactly as ``Package.read_sheet`` reads it, or None: read it with that."""
    if name in pkg.other_tabs:
        return None
    try:
        if pkg.zf.getinfo(member).file_size > MAX_BYTES:
            return None
        data = pkg.zf.read(member)
    except Exception:  # missing or damaged: the expat reader says what is wrong
        return None
    try:
        return _read(pkg, name, data)
    except Exception:  # _NotPlain, an XML error, a bad shared-string index: the expat reader's message
        return None


def _read(pkg: Package, name: str, data: bytes) -> Optional[SheetGrid]:
    begin = data.find(_OPEN)
    close = data.rfind(_CLOSE)
    inner = begin + len(_OPEN)
    if begin < 0 or close < inner or CELL_TAG.search(data, 0, begin) or CELL_TAG.search(data, close):
        return None
    grid = SheetGrid(name=name)
    builder = _SheetBuilder(grid, pkg)
    start, end, chars, _ = builder.handlers_and_probe()  # the rest of the document: merged ranges
    put, style_of, numbers = builder.cell_maker()
    seen: list[tuple[str, int]] = []

    def noted_start(tag, attrs):
        seen.append((tag, parser.CurrentByteIndex))
        start(tag, attrs)

    def noted_end(tag):
        seen.append(("/" + tag, parser.CurrentByteIndex))
        end(tag)

    parser = new_parser(noted_start, noted_end, chars)
    try:
        return grid if _parse(parser, data, begin, inner, close, seen, cells=_Cells(put, style_of, numbers, builder),
                              rest=(start, noted_end, chars)) else None
    finally:  # the handlers refer to the parser: a cycle holding the grid, and the CLI runs without a collector
        parser.StartElementHandler = parser.EndElementHandler = parser.CharacterDataHandler = None


def _parse(parser, data: bytes, begin: int, inner: int, close: int, seen: list, cells: "_Cells", rest: tuple) -> bool:
    view = memoryview(data)
    feed(parser, view[:inner])
    if not seen or seen[-1] != ("sheetData", begin):
        return False

    texts: list[str] = []
    parser.StartElementHandler = None
    parser.EndElementHandler = len  # a C function: only so that pyexpat hands over each element's text apart
    parser.CharacterDataHandler = texts.append
    parser.buffer_size = TEXT_BUFFER
    at = inner
    while at < close:
        stop = data.find(b"<row", at + CHUNK, close)
        if stop < 0:
            stop = close
        texts.clear()
        parser.Parse(view[at:stop], False)
        cells.read(TOKEN.findall(data, at, stop), texts)
        at = stop

    parser.buffer_size = 1 << 16
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = rest
    mark = len(seen)
    feed(parser, view[close:])
    parser.Parse(b"", True)
    return len(seen) > mark and seen[mark] == ("/sheetData", close)


class _Cells:
    """The token loop, with the row it stands in carried from one piece of XML to the next."""

    def __init__(self, put, style_of: dict, numbers: dict, builder: _SheetBuilder):
        self.put, self.numbers, self.builder = put, numbers, builder
        self.style_of = {key.encode(): style for key, style in style_of.items()}  # keyed by the bytes as written
        self.columns = {letters.encode(): n for letters, n in _COLUMNS.items()}
        self.row, self.row_text = 0, b"0"  # as the expat reader starts: before any <row>
        self.tails: dict[bytes, bool] = {}  # a row's other attributes as written -> free of r=

    def read(self, tokens: list, texts: list[str]) -> None:
        put, style_of, columns, kinds = self.put, self.style_of, self.columns, _KINDS
        row, row_text = self.row, self.row_text
        left = iter(texts)
        text = left.__next__
        for letters, digits, s, t, f, f_text, v, inline, r, tail, row_end, other in tokens:
            if letters:
                c = columns.get(letters)
                if c is None:
                    c = columns[letters] = _col_number(letters.decode())
                style = style_of.get(s or b"0")
                if style is None:
                    style = style_of[s] = self.builder._odd_style(s.decode(), self.numbers)
                kind = kinds.get(t) or t.decode()
                formula = ([text()] if f_text else []) if f else None  # <f> comes before <v> in the XML
                put(row if digits == row_text else int(digits), c, kind, text() if v else "", style, formula,
                    [text()] if inline else None, False)
            elif row_end:
                pass
            elif other:
                raise _NotPlain(other)
            else:  # <row …>
                if not self._plain_tail(tail):
                    raise _NotPlain(tail)
                if r:
                    row, row_text = int(r), r
                else:
                    row += 1
                    row_text = str(row).encode()
        self.row, self.row_text = row, row_text
        for _ in left:  # a text no token accounts for: the tokens and expat disagree
            raise _NotPlain("text")

    def _plain_tail(self, tail: bytes) -> bool:
        """No r= among a row's other attributes: written after them, it is still the row number
        (expat itself refuses a name written twice)."""
        known = self.tails.get(tail)
        if known is None:
            known = self.tails[tail] = b"r" not in ROW_ATTR.findall(tail)
        return known

