"""Streaming reader for .xlsx/.xlsm packages: sheet XML straight from the zip.

Measured (bench/read_bench.py): openpyxl's full load builds style objects for
every cell and takes several times longer; calamine is fastest but gives no
number formats or fonts.  An expat pass over the sheet XML plus styles.xml
gives values, formats, underline, formulas and errors at near-calamine cost.

No DTD is accepted anywhere (OOXML never has one), so no entity is resolved.
"""
from __future__ import annotations

import re
import zipfile
from typing import Any, Callable, Optional
from xml.parsers import expat

from addin.common.model import Cell, SheetGrid, cell_ref
from addin.workbook.opc import PackageIndex
from addin.workbook.read.cell_formats import BUILTIN_FORMATS, excel_date, format_kind, number_text, temporal_text

CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")  # the guard (cellscan) places cells by it too
_EMPTY_ROW: tuple = ()  # shared by rows that have no cells, so a sparse sheet costs nothing
MAX_ROW, MAX_COL = 1_048_576, 16_384
_DIGITS = "0123456789"
_NO_STYLE = (None, "number", False)  # an s= index styles.xml does not have


# Sheet tabs that are not worksheets (relationship type ending -> SheetGrid.kind): no table can be on them,
# but they are tabs the user sees, so the reading map must list them as skipped rather than lose them.
_OTHER_TABS = {"/chartsheet": "chartsheet", "/dialogsheet": "dialogsheet", "/xlMacrosheet": "macrosheet",
               "/xlIntlMacrosheet": "macrosheet"}


_PIECE = 1 << 20  # bytes of XML handed to expat at once


class XmlRejected(Exception):
    pass


class PackageFault(Exception):
    """workbook.xml and the zip disagree: reading on would give half a workbook presented as whole."""


def _local(name: str) -> str:
    return name[name.rfind(":") + 1:]


def new_parser(start: Optional[Callable], end: Optional[Callable], chars: Optional[Callable] = None):
    """An expat parser that refuses any DTD, with the given callbacks (None: that event unobserved)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def no_dtd(*_args):
        raise XmlRejected("文档含有 DTD/实体声明")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.ExternalEntityRefHandler = no_dtd
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    return parser


def feed(parser, data) -> None:
    """Hand ``data`` (bytes or a memoryview) to ``parser`` a piece at a time, not as the final piece."""
    for at in range(0, len(data), _PIECE):
        parser.Parse(data[at:at + _PIECE], False)


def _parse(stream, start: Callable, end: Callable, chars: Optional[Callable] = None) -> None:
    parser = new_parser(start, end, chars)
    # Not ParseFile: it reads 2 KB at a time, 7,000 Python-level zip reads for a 15 MB sheet.
    while True:
        piece = stream.read(_PIECE)
        if not piece:
            break
        parser.Parse(piece, False)
    parser.Parse(b"", True)


_COLUMNS: dict[str, int] = {}  # "AB" -> 28 for every column letters seen so far


def _col_number(letters: str, cache: dict = _COLUMNS) -> int:
    n = cache.get(letters)
    if n is None:
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        cache[letters] = n
    return n


def parse_range(ref: str) -> Optional[tuple[int, int, int, int]]:
    parts = ref.replace("$", "").upper().split(":")
    found = [CELL_REF.match(p) for p in parts]
    if not all(found):
        return None
    (c1, r1), (c2, r2) = [(_col_number(m.group(1)), int(m.group(2))) for m in (found[0], found[-1])]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class Package:
    """The parts of a workbook package the reader needs."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())
        self.index = PackageIndex.from_zip(zf)  # where the workbook part and its rels are (Strict too)
        rels = {r.id: (r.part(self.index.workbook_part), r.type) for r in self.index.workbook_rels if not r.external}
        self.sheets: list[tuple[str, str]] = []  # (name, member)
        self.other_tabs: dict[str, str] = {}  # sheet name -> SheetGrid.kind, for tabs that hold no table
        self.date1904 = False
        self._workbook(rels)
        shared = next((t for t, kind in rels.values() if kind.endswith("/sharedStrings")), "xl/sharedStrings.xml")
        styles = next((t for t, kind in rels.values() if kind.endswith("/styles")), "xl/styles.xml")
        self.strings, self.underlined_strings = self._shared_strings(shared)
        self.styles = self._styles(styles)

    def _workbook(self, rels) -> None:
        def start(name, attrs):
            local = _local(name)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
                name = attrs.get("name", "")
                if rid not in rels:
                    raise PackageFault(f"的 xl/workbook.xml 列出工作表“{name}”，但没有指向它的部件关系（r:id=\"{rid}\"），文件不完整")
                target, kind = rels[rid]
                tab = next((t for t in _OTHER_TABS if kind.endswith(t)), None)
                if kind.endswith("/worksheet") or (not kind and target) or tab:
                    if target not in self.names:
                        raise PackageFault(f"缺少部件 {target}（xl/workbook.xml 列出的工作表“{name}”），文件不完整，未读取")
                    twin = next((n for n, _ in self.sheets if n.casefold() == name.casefold()), None)
                    if twin is not None:
                        # Excel compares sheet names without case; the later one would silently replace the first.
                        both = f"都叫“{name}”" if twin == name else f"“{twin}”和“{name}”同名（不分大小写）"
                        raise PackageFault(f"的 xl/workbook.xml 中有两个工作表{both}，无法确定读取哪一个；"
                                           "请在 Excel 中打开、改名后保存")
                    self.sheets.append((name, target))
                    if tab:
                        self.other_tabs[name] = _OTHER_TABS[tab]
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904") in ("1", "true")

        with self.zf.open(self.index.workbook_part) as f:
            _parse(f, start, lambda name: None)

    def _shared_strings(self, member: str) -> tuple[list[str], set[int]]:
        strings: list[str] = []
        underlined: set[int] = set()
        if member not in self.names:
            return strings, underlined
        st = {"collect": False, "phonetic": 0, "run_u": False, "any_u": False}
        buf: list[str] = []
        run: list[str] = []

        def start(name, attrs):
            local = _local(name)
            if local == "t":
                st["collect"] = not st["phonetic"]
            elif local == "si":
                buf.clear()
                st["any_u"] = False
            elif local == "r":
                run.clear()
                st["run_u"] = False
            elif local == "u":
                st["run_u"] = attrs.get("val", "single") != "none"
            elif local == "rPh":
                st["phonetic"] += 1

        def end(name):
            local = _local(name)
            if local == "t":
                st["collect"] = False
            elif local == "r":
                if st["run_u"] and "".join(run).strip():
                    st["any_u"] = True
            elif local == "rPh":
                st["phonetic"] -= 1
            elif local == "si":
                if st["any_u"]:
                    underlined.add(len(strings))
                strings.append("".join(buf))

        def chars(data):
            if st["collect"]:
                buf.append(data)
                run.append(data)

        with self.zf.open(member) as f:
            _parse(f, start, end, chars)
        return strings, underlined

    def _styles(self, member: str) -> list[tuple[Optional[str], str, bool]]:
        """Per cellXfs index: (number format code, format kind, underline)."""
        formats = dict(BUILTIN_FORMATS)
        fonts: list[bool] = []
        xfs: list[tuple[int, int]] = []
        where: list[str] = []

        def start(name, attrs):
            local = _local(name)
            if local == "numFmt":
                try:
                    formats[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
                except ValueError:
                    pass
            elif local in ("fonts", "cellXfs", "cellStyleXfs", "dxfs"):
                where.append(local)
            elif local == "font" and where and where[-1] == "fonts":
                fonts.append(False)
            elif local == "u" and where and where[-1] == "fonts" and fonts:
                fonts[-1] = attrs.get("val", "single") != "none"
            elif local == "xf" and where and where[-1] == "cellXfs":
                xfs.append((_int(attrs.get("numFmtId")), _int(attrs.get("fontId"))))

        def end(name):
            if where and _local(name) == where[-1]:
                where.pop()

        if member in self.names:
            with self.zf.open(member) as f:
                _parse(f, start, end)
        out = []
        for fmt_id, font_id in xfs:
            code = formats.get(fmt_id)
            out.append((code, format_kind(code), 0 <= font_id < len(fonts) and fonts[font_id]))
        return out

    def read_sheet(self, name: str, member: str) -> SheetGrid:
        grid = SheetGrid(name=name)
        if name in self.other_tabs:
            grid.kind = self.other_tabs[name]
            return grid
        if member not in self.names:
            return grid
        builder = _SheetBuilder(grid, self)
        try:
            with self.zf.open(member) as f:
                _parse(f, *builder.handlers())
        except ValueError as exc:  # <row r="x">: the row number itself is not one
            where = f"第 {builder.row + 1} 行附近" if builder.row else "开头"
            raise PackageFault(f"已损坏：工作表“{name}”的部件 {member} 在{where}有无效的行号") from exc
        return grid


class _NumberTexts(dict):
    """raw text -> (value, text) of a stored number of one format kind, made on first asking: a table
    repeats the same few rates and counts, and number_text goes through Decimal. A hit is a plain
    dict lookup, with no Python call, in the expat reader and the plain-form reader alike. Bounded:
    it starts afresh when full."""

    __slots__ = ("make", "kind", "limit")

    def __init__(self, make: Callable[[str, str], tuple[Any, str]], kind: str, limit: int):
        super().__init__()
        self.make, self.kind, self.limit = make, kind, limit

    def __missing__(self, raw: str) -> tuple[Any, str]:
        if len(self) >= self.limit:
            self.clear()
        known = self[raw] = self.make(raw, self.kind)
        return known


def _int(text: Optional[str]) -> int:
    try:
        return int(text) if text is not None else 0
    except ValueError:
        return 0


class _SheetBuilder:
    """expat callbacks that turn <c> elements into Cells in a dense grid.

    This runs once per cell of every sheet (50,000 indicators are 300,000 cells, five or
    seven callbacks each), so the callbacks are closures over local state (no attribute
    lookups), test the unprefixed names every writer uses before anything else, and the
    text of a stored number is made once per distinct (raw text, format kind): a table
    repeats the same few rates and counts, and number_text goes through Decimal.
    """

    NUMBER_CACHE = 1 << 16  # distinct numbers kept per sheet before the cache starts afresh

    def __init__(self, grid: SheetGrid, pkg: Package):
        self.grid, self.pkg = grid, pkg
        self.row = 0  # the current <row> number, for the message about a bad one

    def handlers(self):
        return self.handlers_and_probe()[:3]

    def handlers_and_probe(self):
        """(start, end, chars) for expat, and a probe: does the reader stand between cells, with no
        cell, value, text or phonetic run open? There a reader starting afresh reads on exactly as
        this one (sheet_halves.py). Not kept on the builder: they refer to it, and a cycle would keep
        the whole grid alive until a garbage collection (the CLI runs with none)."""
        grid, builder = self.grid, self
        put, style_of, numbers = self.cell_maker()
        columns = _COLUMNS
        row = col = phonetic = open_cells = 0
        row_text, cut = "0", -1  # the row's r= as written, and minus its length
        attrs: dict = {}
        value: list[str] = []
        formula: Optional[list[str]] = None
        inline: Optional[list[str]] = None
        sink: Optional[list[str]] = None
        inline_underline = False

        def start(name, attrs_):
            nonlocal attrs, value, formula, inline, sink, inline_underline, phonetic, row, row_text, cut, col, open_cells
            if ":" in name:  # x:c is c (and no recursion: a closure calling itself is a cycle holding the grid)
                name = _local(name)
            if name == "c":
                attrs, value, formula, inline = attrs_, [], None, None
                open_cells += 1
            elif name == "v":
                sink = value
            elif name == "is":
                inline, inline_underline = [], False
            elif name == "t":
                if inline is not None and not phonetic:
                    sink = inline
            elif name == "row":
                r = attrs_.get("r")
                row = int(r) if r else row + 1
                builder.row = row
                row_text = r or str(row)
                cut = -len(row_text)
                col = 0
            elif name == "f":
                formula = sink = []
            elif name == "u":
                if inline is not None:
                    # a run of an inline rich string; openpyxl writes rich text this way
                    inline_underline = inline_underline or attrs_.get("val", "single") != "none"
            elif name == "rPh":
                phonetic += 1
            elif name == "mergeCell":
                rng = parse_range(attrs_.get("ref", ""))
                if rng:
                    grid.merged.append(rng)

        def chars(data):
            if sink is not None:
                sink.append(data)

        def end(name):
            nonlocal sink, phonetic, col, open_cells
            if ":" in name:
                name = _local(name)
            if name != "c":
                if name == "v" or name == "t" or name == "f":
                    sink = None
                elif name == "rPh":
                    phonetic -= 1
                return
            open_cells -= 1
            ref = attrs.get("r")
            # "F24" inside <row r="24">: the column letters are all that is new.
            c = columns.get(ref[:cut]) if ref and ref.endswith(row_text) else None
            if c is not None:
                r = row
            else:
                r, c = builder._position(ref, row, col)
            col = c
            s = attrs.get("s")
            style = style_of.get(s or "0")
            put(r, c, attrs.get("t", "n"), value[0] if len(value) == 1 else "".join(value),
                style if style is not None else builder._odd_style(s, numbers), formula, inline, inline_underline)

        def between_cells():
            return open_cells == 0 and phonetic == 0 and sink is None

        return start, end, chars, between_cells

    def cell_maker(self):
        """(put, style_of, numbers): ``put(row, col, kind, raw, style, formula, inline, inline_underline)``
        makes one <c> into a Cell and places it, for the expat callbacks above and for the plain-form
        reader (plain_sheet.py) alike; ``style_of`` maps the s attribute as written ("3") to
        (format code, format kind, underline, that kind's number texts), so no int() per cell, and
        ``_odd_style(s, numbers)`` reads any other s."""
        grid, pkg, builder = self.grid, self.pkg, self
        sheet, rows, underlined_strings = grid.name, grid.rows, pkg.underlined_strings
        numbers = {kind: _NumberTexts(self._number, kind, self.NUMBER_CACHE) for kind in ("number", "percent", "date")}
        style_of = {str(i): (*style, numbers[style[1]]) for i, style in enumerate(pkg.styles)}
        last_row, last_line = 0, _EMPTY_ROW  # the row cells were last placed in, and its list

        def put(r, c, kind, raw, style, formula, inline, inline_underline):
            nonlocal last_row, last_line
            if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
                return
            fmt, fmt_kind, underline, cache = style
            if formula is not None or not (kind == "n" or kind == "s" or kind == "inlineStr"):
                made = builder._rare_cell(r, c, kind, raw, fmt, fmt_kind, underline, formula, inline, inline_underline)
                if made is None:
                    return
            elif kind == "n":
                if not raw:
                    return  # a styled empty cell
                v, text = cache[raw]
                if not text and (v is None or v == ""):
                    return  # Cell.is_empty, inlined: "  " stored as a number reads as nothing
                made = Cell(sheet, r, c, v, text, fmt, underline, None, None)
            elif kind == "s":
                shared = builder.shared_string(raw, r, c)
                if shared is None:
                    return
                index, text = shared
                if not text:
                    return  # an empty shared string
                made = Cell(sheet, r, c, text, text.strip(), fmt, underline or index in underlined_strings, None, None)
            else:  # inlineStr
                text = "".join(inline or ())
                if not text:
                    return
                made = Cell(sheet, r, c, text, text.strip(), fmt, underline or inline_underline, None, None)
            if r == last_row and len(last_line) == c - 1:
                last_line.append(made)  # cells come left to right: the usual case
                return
            last_row, last_line = r, builder._place(rows, r, c, made)

        return put, style_of, numbers

    def _position(self, ref: Optional[str], row: int, col: int) -> tuple[int, int]:
        if ref:
            letters = ref.rstrip(_DIGITS)
            n = len(letters)
            if 0 < n <= 3 and n < len(ref) and letters.isascii() and letters.isalpha() and letters.isupper():
                return int(ref[n:]), _col_number(letters)  # "F24": the form every writer uses
            m = CELL_REF.match(ref)
            if m:
                return int(m.group(2)), _col_number(m.group(1))
        return row, col + 1  # no r=: the cell follows the previous one

    def _odd_style(self, s: Optional[str], numbers: dict) -> tuple[Optional[str], str, bool, dict]:
        """" 3", "03", junk: read as the index it spells."""
        index, styles = _int(s), self.pkg.styles
        style = styles[index] if index < len(styles) else _NO_STYLE
        return (*style, numbers[style[1]])

    def _rare_cell(self, row, col, kind, raw, fmt, fmt_kind, underline, formula, inline, inline_underline):
        """Formulas, and the types other than number / shared / inline string: a Cell, or None when empty."""
        formula = "=" + "".join(formula) if formula is not None else None
        cell = Cell(self.grid.name, row, col, None, "", fmt, underline, None, formula)
        if kind == "n" and formula is None:
            if not raw:
                return None  # a styled empty cell
            cell.value, cell.text = self._number(raw, fmt_kind)
        elif kind == "inlineStr":
            text = "".join(inline or ())
            cell.value, cell.text = text, text.strip()
            cell.underline = underline or inline_underline
        elif formula is not None and not raw and kind != "str":
            cell.uncached = True  # writers that never calculated leave <v/> empty or out
        elif kind == "s":
            shared = self.shared_string(raw, row, col)
            if shared is None:
                return None
            index, text = shared
            cell.value, cell.text = text, text.strip()
            if index in self.pkg.underlined_strings:
                cell.underline = True
        elif kind == "n":
            cell.value, cell.text = self._number(raw, fmt_kind)
        elif kind == "str":
            cell.value, cell.text = raw, raw.strip()
        elif kind == "b":
            if not raw.strip():
                return None  # <c t="b"/>: no value, not FALSE
            cell.value = raw.strip() in ("1", "true")
            cell.text = "TRUE" if cell.value else "FALSE"
        elif kind == "e":
            cell.error = cell.text = raw.strip()
        elif kind == "d":
            from datetime import datetime

            try:
                cell.value = datetime.fromisoformat(raw.strip())
                cell.text = temporal_text(cell.value)
            except ValueError:
                cell.value, cell.text = raw, raw.strip()
        elif raw or formula is not None:
            # t="zz": no writer makes it and Excel refuses the file; reading it as empty would lose the value.
            raise PackageFault(f"已损坏：{cell.ref} 的单元格类型 t=\"{kind}\" 无效（应为 n/s/str/inlineStr/b/e/d）")
        if not cell.text and (cell.value is None or cell.value == "") and not cell.error and not formula:
            return None  # Cell.is_empty, inlined (this runs per cell), and <c t="str"/>: no value, not ""
        return cell

    def shared_string(self, raw: str, row: int, col: int) -> Optional[tuple[int, str]]:
        """(index, text) of a shared-string cell's value; None when it holds none (<c t="s"><v/></c>, like
        <c t="s"/>); PackageFault when sharedStrings.xml has no such string."""
        try:
            index = int(raw)
            if index < 0:
                raise IndexError(index)  # not Python's count from the end: -1 is no string at all
            return index, self.pkg.strings[index]
        except (ValueError, IndexError):
            if not raw.strip():
                return None
            raise PackageFault(self._bad_string(row, col, raw)) from None

    def _bad_string(self, row: int, col: int, raw: str) -> str:
        where = cell_ref(self.grid.name, row, col)
        count = len(self.pkg.strings)
        return (f"已损坏：{where} 引用的共享字符串第 {raw.strip()[:20]} 项不存在（sharedStrings.xml 共 {count} 项），"
                "该单元格的文字已丢失；请在 Excel 中打开修复后另存")

    def _number(self, raw: str, fmt_kind: str) -> tuple[Any, str]:
        """(value, text) of a stored number; the same raw text and format kind always give the same pair."""
        try:
            if raw.lstrip("-").isdigit():
                value: float | int = int(raw)
            else:
                value = float(raw)
                if value.is_integer() and abs(value) < 2**53 and fmt_kind != "date":
                    value = int(value)
        except ValueError:
            return raw, raw.strip()
        if fmt_kind == "date":
            when = excel_date(float(value), self.pkg.date1904)
            if when is not None:
                return when, temporal_text(when)
        return value, number_text(value, fmt_kind == "percent")

    @staticmethod
    def _place(rows: list, row: int, col: int, cell: Cell) -> list:
        """Put ``cell`` at (row, col); returns the row's list of cells."""
        if len(rows) < row:
            rows.extend([_EMPTY_ROW] * (row - len(rows)))
        line = rows[row - 1]
        if line is _EMPTY_ROW:
            line = rows[row - 1] = []
        width = len(line)
        if width == col - 1:
            line.append(cell)
            return line
        if width < col:
            line.extend([None] * (col - width))
        line[col - 1] = cell
        return line
