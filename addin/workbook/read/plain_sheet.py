"""A sheet written in the plain form every writer uses, read without a Python call per XML event.

The expat reader (xlsx.py, ``_SheetBuilder.handlers_and_probe``) runs three to seven Python
callbacks per cell; at 50,000 indicators (250,000 cells, 15 MB of XML) that is most of the read.
Writers, though, put a sheet's cells in one form: ``<row r="24">`` holding ``<c r="F24" s="3"
t="s"><v>7</v></c>``, inline strings as ``<is><t>…</t></is>``, formulas as ``<f>…</f>``, no
whitespace between. Here that form is split into tokens by one regular expression (C speed), while
expat parses the same bytes with no Python in the loop: ``len`` as its end-element handler, only so
that each element's text comes out on its own, and ``list.append`` collecting those texts, entities
resolved. The tokens say which cell each text belongs to; the token loop makes the cells, with
``put``, the expat reader's own cell maker, for all but the common forms.

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
from typing import Callable, Optional

from addin.common import forked
from addin.common.model import Cell, SheetGrid
from addin.workbook.read.xlsx import (_COLUMNS, _EMPTY_ROW, MAX_COL, MAX_ROW, Package, _SheetBuilder, _col_number, feed,
                                       new_parser)

MAX_BYTES = 256 << 20  # the guard's per-member limit: the member is held in memory whole
CHUNK = 1 << 20  # bytes of cells tokenized at once, so the tokens of a big sheet never exist all together
FORK_BYTES = 2 << 20  # below this a second process costs about what it saves
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
    cells = _Cells(*builder.cell_maker(), builder)
    chunks = _chunks(data, inner, close)
    view = memoryview(data)
    tokens = _tokens(data, chunks)
    child = None
    if len(data) >= FORK_BYTES and forked.worth_forking():
        try:
            child = forked.Child(lambda send: _expat_pass(view, begin, close, chunks, send), streams=True)
        except OSError:  # a process limit, or no memory for a second process: expat here, in turn
            child = None
    if child is None:
        return grid if _expat_pass(view, begin, close, chunks, lambda texts: cells.read(tokens(), texts),
                                   (start, end, chars)) else None
    with child:
        # The child's expat pass and the tokens here go side by side; its texts come a piece at a time.
        for _ in chunks:
            cells.read(tokens(), child.receive())
        if not child.answer():
            return None
    # The rest of the document with the reader's callbacks (merged ranges): sheetData emptied, as the
    # child's pass has vetted the cells between.
    skeleton = memoryview(data[:inner] + data[close:])
    return grid if _expat_pass(skeleton, begin, inner, [], None, (start, end, chars)) else None


def _chunks(data: bytes, inner: int, close: int) -> list[tuple[int, int]]:
    """The cells between ``inner`` and ``close`` in pieces of about CHUNK bytes, each cut before a <row."""
    out, at = [], inner
    while at < close:
        stop = data.find(b"<row", at + CHUNK, close)
        stop = close if stop < 0 else stop
        out.append((at, stop))
        at = stop
    return out


def _tokens(data: bytes, chunks: list[tuple[int, int]]):
    """A callable: each call the tokens of the next piece."""
    pieces = iter(chunks)
    return lambda: TOKEN.findall(data, *next(pieces))


def _expat_pass(view: memoryview, begin: int, close: int, chunks: list[tuple[int, int]],
                hand_over: Optional[Callable[[list[str]], None]], rest: tuple = (None, None, None)) -> bool:
    """expat over the whole document, vetting it: each piece's texts (one per non-empty v, t and f)
    go to ``hand_over`` in turn, and the rest of the document to the ``rest`` callbacks (start, end,
    chars). True when sheetData starts at ``begin`` and ends at ``close``, where the tokens put them."""
    start, end, chars = rest
    seen: list[tuple[str, int]] = []

    def noted_start(tag, attrs):
        seen.append((tag, parser.CurrentByteIndex))
        if start is not None:
            start(tag, attrs)

    def noted_end(tag):
        seen.append(("/" + tag, parser.CurrentByteIndex))
        if end is not None:
            end(tag)

    parser = new_parser(noted_start, noted_end, chars)
    try:
        inner = begin + len(_OPEN)
        feed(parser, view[:inner])
        if not seen or seen[-1] != ("sheetData", begin):
            return False
        texts: list[str] = []
        parser.StartElementHandler = None
        parser.EndElementHandler = len  # a C function: only so that pyexpat hands over each element's text apart
        parser.CharacterDataHandler = texts.append
        parser.buffer_size = TEXT_BUFFER
        for at, stop in chunks:
            texts.clear()
            parser.Parse(view[at:stop], False)
            hand_over(texts)
        parser.buffer_size = 1 << 16
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = noted_start, noted_end, chars
        mark = len(seen)
        feed(parser, view[close:])
        parser.Parse(b"", True)
        return len(seen) > mark and seen[mark] == ("/sheetData", close)
    finally:  # the handlers refer to the parser: a cycle holding the grid, and the CLI runs without a collector
        parser.StartElementHandler = parser.EndElementHandler = parser.CharacterDataHandler = None


class _Cells:
    """The token loop, with the row it stands in carried from one piece of XML to the next.

    A number, a shared string and an inline string without a formula, nearly every cell, are made
    here, as ``put`` (xlsx.py) makes them, written out again to save a call with eight arguments per
    cell (a third of this loop); every other cell goes to ``put`` itself. Both place cells by the row
    lists themselves, so either may follow the other. tests/workbook/test_read_plain.py compares the
    two readers on every form of cell."""

    def __init__(self, put, style_of: dict, numbers: dict, builder: _SheetBuilder):
        self.put, self.numbers, self.builder = put, numbers, builder
        self.style_of = {key.encode(): style for key, style in style_of.items()}  # keyed by the bytes as written
        self.columns = {letters.encode(): n for letters, n in _COLUMNS.items()}
        self.row, self.row_text = 0, b"0"  # as the expat reader starts: before any <row>
        self.last_row, self.last_line = 0, _EMPTY_ROW  # the row cells were last placed in, and its list
        self.tails: dict[bytes, bool] = {}  # a row's other attributes as written -> free of r=

    def read(self, tokens: list, texts: list[str]) -> None:
        put, style_of, columns, kinds, builder = self.put, self.style_of, self.columns, _KINDS, self.builder
        grid, pkg = builder.grid, builder.pkg
        sheet, rows, underlined_strings = grid.name, grid.rows, pkg.underlined_strings
        place, shared_string = builder._place, builder.shared_string
        row, row_text, last_row, last_line = self.row, self.row_text, self.last_row, self.last_line
        left = iter(texts)
        text = left.__next__
        for letters, digits, s, t, f, f_text, v, inline, r, tail, row_end, other in tokens:
            if letters:
                c = columns.get(letters)
                if c is None:
                    c = columns[letters] = _col_number(letters.decode())
                style = style_of.get(s or b"0")
                if style is None:
                    style = style_of[s] = builder._odd_style(s.decode(), self.numbers)
                at = row if digits == row_text else int(digits)
                if (f or not (t == b"" or t == b"n" or t == b"s" or (t == b"inlineStr" and not v)) or (inline and v)
                        or not 1 <= at <= MAX_ROW or c > MAX_COL):
                    formula = ([text()] if f_text else []) if f else None  # <f> comes before <v> in the XML
                    put(at, c, kinds.get(t) or t.decode(), text() if v else "", style, formula,
                        [text()] if inline else None, False)
                    continue
                fmt, _, underline, cache = style
                if t == b"inlineStr":
                    value = text() if inline else ""
                    if not value:
                        continue
                    made = Cell(sheet, at, c, value, value.strip(), fmt, underline, None, None)
                elif inline:  # <is> in a number or shared-string cell: read as the type says, the text unused
                    text()
                    continue
                elif not v:
                    continue  # a styled empty cell; <c t="s"><v/></c>
                elif t == b"s":
                    shared = shared_string(text(), at, c)
                    if shared is None:
                        continue
                    index, value = shared
                    if not value:
                        continue  # an empty shared string
                    made = Cell(sheet, at, c, value, value.strip(), fmt, underline or index in underlined_strings,
                                None, None)
                else:
                    value, shown = cache[text()]
                    if not shown and (value is None or value == ""):
                        continue  # "  " stored as a number reads as nothing
                    made = Cell(sheet, at, c, value, shown, fmt, underline, None, None)
                if at == last_row and len(last_line) == c - 1:
                    last_line.append(made)  # cells come left to right: the usual case
                else:
                    last_row, last_line = at, place(rows, at, c, made)
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
        self.row, self.row_text, self.last_row, self.last_line = row, row_text, last_row, last_line
        for _ in left:  # a text no token accounts for: the tokens and expat disagree
            raise _NotPlain("text")

    def _plain_tail(self, tail: bytes) -> bool:
        """No r= among a row's other attributes: written after them, it is still the row number
        (expat itself refuses a name written twice)."""
        known = self.tails.get(tail)
        if known is None:
            known = self.tails[tail] = b"r" not in ROW_ATTR.findall(tail)
        return known

