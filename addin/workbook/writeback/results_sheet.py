"""Content of the results sheet `核算结果`, from the JSON contract (CheckResult.to_json()).

`build_layout` is the single source of what the sheet shows; `sheet_xml` turns it
into a SpreadsheetML worksheet part for the lossless package splice, and the Excel
adapter writes the same rows through xlwings (`build_rows`, `link_address`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from addin.common.model import RESULTS_SHEET, RESULTS_SHEET_ALT, SEVERITY_WORDS, STATUS_WORDS, column_letter

SHEET_NAME = RESULTS_SHEET  # the reader skips this sheet by the same name
# Where 核算结果 goes when the workbook has a sheet of that name of the user's own
# (setting results_sheet_fallback): 核算结果 is an ordinary word, not PlanReport's property.
ALT_SHEET_NAME = RESULTS_SHEET_ALT
# A workbook-level defined name on the header row of the sheet PlanReport wrote: Excel, WPS and
# LibreOffice keep defined names on save and follow the sheet when it is renamed or deleted
# (#REF!), so a sheet is PlanReport's only while the name still points at it.
OWN_NAME = "PlanReport_Results"
MAX_CELL_CHARS = 32_767  # Excel's limit per cell, counted in UTF-16 code units
ELLIPSIS = "…"

INDICATOR_HEADER = ["工作表", "序号", "指标", "目标", "完成情况", "核算完成率", "填报完成率", "差异", "状态"]
FINDING_HEADER = ["代码", "级别", "单元格", "说明"]
STATUS_TEXT, SEVERITY_TEXT = STATUS_WORDS, SEVERITY_WORDS
NO_FINDINGS = "无核对问题"
FOOTNOTE = "本表由 PlanReport 生成，每次核算会整表覆盖，请勿在此表中手工填写。"

PERCENT_FORMAT_ID = 10  # built-in "0.00%": no numFmts entry needed in styles.xml
STYLE_KEYS = ("header", "percent", "link", "link_percent")

# Characters XML 1.0 cannot carry at all; a stray one must not break the workbook.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # with lone surrogates


@dataclass
class Layout:
    """Values row by row (0-based), the style key of each styled cell and the links."""

    rows: list[list[Any]] = field(default_factory=list)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> one of STYLE_KEYS
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "附件1!F24"
    widths: list[float] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)


def cap_text(text: str) -> str:
    """Text cut to what one Excel cell holds, ending in "…" when cut (a message quoting a very
    long name would otherwise make Excel call the whole workbook damaged)."""
    if len(text) <= MAX_CELL_CHARS // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS:
        return text
    units, keep = 0, 0
    for keep, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_CELL_CHARS - 1:  # room for the ellipsis
            break
    return text[:keep] + ELLIPSIS


def header_matches(values: list[Any]) -> bool:
    """Row 1 of a sheet as PlanReport writes it (after any application re-saved it)."""
    return [str(v).strip() if v is not None else "" for v in values[:len(INDICATOR_HEADER)]] == INDICATOR_HEADER


def own_name_formula(sheet: str) -> str:
    """What OWN_NAME refers to: the header row of ``sheet``."""
    return "'" + sheet.replace("'", "''") + "'!$A$1:$" + column_letter(len(INDICATOR_HEADER)) + "$1"


def marked_sheet(formula: Optional[str]) -> Optional[str]:
    """The sheet an OWN_NAME formula points at: ``'核算结果'!$A$1:$I$1`` as the file holds it,
    ``=核算结果!$A$1:$I$1`` as Excel's RefersTo gives it; None for ``#REF!`` (that sheet was deleted)."""
    text = (formula or "").split(":")[0].strip().lstrip("=")
    if "!" not in text:
        return None
    return split_ref(text)[0]


def is_own_sheet(name: str, row1: list[Any], column_a: list[Any], marked: Optional[str], any_mark: bool) -> bool:
    """Whether the sheet ``name`` (its row 1 and column A given) is a 核算结果 PlanReport wrote: its
    header row, and OWN_NAME pointing at it — or, in a workbook written before the mark existed
    (no OWN_NAME at all), its footnote in column A as well. The file write-back and the Excel
    add-in both decide by this."""
    if not header_matches(row1):
        return False
    if any_mark:
        return marked == name
    return FOOTNOTE in column_a


def _rate_fraction(percent: Optional[float]) -> Optional[Decimal]:
    """68.75 (percent) -> Decimal("0.6875"): exact, so Excel shows what the check computed."""
    if percent is None:
        return None
    return Decimal(repr(float(percent))) / 100


def _difference(computed: Optional[float], reported: Optional[float]) -> Optional[Decimal]:
    if computed is None or reported is None:
        return None
    points = (Decimal(repr(float(computed))) - Decimal(repr(float(reported)))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return points / 100


def split_ref(ref: str) -> tuple[str, str]:
    """``'附件 1'!F24`` -> (``附件 1``, ``F24``)."""
    sheet, _, addr = ref.rpartition("!")
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, addr.replace("$", "")


def link_location(ref: str) -> str:
    """Internal hyperlink target, always quoted: ``'附件1'!F24``."""
    sheet, addr = split_ref(ref)
    return "'" + sheet.replace("'", "''") + "'!" + addr


def link_address(ref: str) -> str:
    """The same target as Excel's Hyperlinks.Add / xlwings `add_hyperlink` wants it: ``#'附件1'!F24``."""
    return "#" + link_location(ref)


class _CharWidths(dict):
    """Columns one character takes (2 for East Asian wide and full-width), looked up once per
    character: a per-character unicodedata call was a third of building the results sheet."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def _display_width(value: Any) -> int:
    text = _format_for_width(value)
    return len(text) if text.isascii() else sum(map(_CHAR_WIDTHS.__getitem__, text))


def _format_for_width(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value * 100:.2f}%"
    return str(value)


def build_layout(result_json: dict) -> Layout:
    layout = Layout()

    def add(values: list[Any], styles: Optional[dict[int, str]] = None, links: Optional[dict[int, str]] = None) -> None:
        r = len(layout.rows)
        values = [cap_text(v) if isinstance(v, str) else v for v in values]
        layout.rows.append(values)
        for c, key in (styles or {}).items():
            layout.styles[(r, c)] = key
        for c, ref in (links or {}).items():
            if ref and values[c] not in (None, ""):  # a link on an empty cell would show its address
                layout.links[(r, c)] = ref
                layout.styles[(r, c)] = "link_percent" if layout.styles.get((r, c)) == "percent" else "link"

    def add_header(names: list[str]) -> None:
        layout.header_rows.append(len(layout.rows))
        add(list(names), {c: "header" for c in range(len(names))})

    add_header(INDICATOR_HEADER)
    for ind in result_json.get("indicators", []):
        cells = ind.get("cells") or {}
        computed = _rate_fraction(ind.get("computed_rate"))
        reported = _rate_fraction(ind.get("reported_rate"))
        diff = _difference(ind.get("computed_rate"), ind.get("reported_rate"))
        add(
            [
                ind.get("sheet"),
                ind.get("no"),
                ind.get("name"),
                ind.get("target"),
                ind.get("actual"),
                computed,
                reported,
                diff,
                STATUS_TEXT.get(ind.get("status"), ind.get("status")),
            ],
            {5: "percent", 6: "percent", 7: "percent"},
            # The name leads to the row; the reported rate to the cell being checked.
            {2: cells.get("name"), 6: cells.get("rate")},
        )

    add([])
    add_header(FINDING_HEADER)
    findings = result_json.get("findings", [])
    for f in findings:
        add(
            [f.get("code"), SEVERITY_TEXT.get(f.get("severity"), f.get("severity")), f.get("cell"), f.get("message")],
            links={2: f.get("cell")},
        )
    if not findings:
        add([NO_FINDINGS])
    add([])
    add([FOOTNOTE])

    ncols = max(len(r) for r in layout.rows)
    # The footnote and long messages would blow up column A/D; cap widths instead.
    widest = [0] * ncols
    for row in layout.rows[:-1]:  # one pass over the cells; the footnote row does not count
        for c, value in enumerate(row):
            if value is not None:
                width = _display_width(value)
                if width > widest[c]:
                    widest[c] = width
    layout.widths = [float(min(max(w + 2, 8), 60)) for w in widest]
    return layout


def build_rows(result_json: dict) -> list[list[Any]]:
    """Plain values (str, int, float, None), row by row; rates as fractions (0.6875 for 68.75%)."""
    return [[float(v) if isinstance(v, Decimal) else v for v in row] for row in build_layout(result_json).rows]


def _clean_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _text(value: str) -> str:
    """Element text escaped exactly as lxml/libxml2 serialises it (& < > and carriage return)."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')


def _attr(value: str) -> str:
    """Attribute value escaped exactly as lxml/libxml2 serialises it (its quote and whitespace too)."""
    if not _ATTR_SPECIAL.search(value):
        return value
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def sheet_xml(result_json: dict, style_ids: dict[str, int], ns_main: Optional[str] = None) -> bytes:
    """Worksheet part for `核算结果`. Text goes in as inline strings, so a name starting
    with ``=`` stays text and sharedStrings.xml (a user part) is never touched.
    ``ns_main``: the SpreadsheetML namespace of the workbook (Strict or Transitional).

    Written as text rather than built as lxml elements: element creation was most of the
    write-back's time in a batch. The bytes are the ones lxml would serialise for the same
    tree (declaration, attribute order, self-closed empty elements, escaping), which
    tests/workbook/test_results_sheet_text.py checks against an lxml-built reference."""
    from addin.workbook.opc import TRANSITIONAL

    ns = ns_main or TRANSITIONAL.main
    layout = build_layout(result_json)
    ncols = len(layout.widths)
    letters = [column_letter(c + 1) for c in range(ncols)]
    style_attr = {key: f' s="{v}"' for key, v in style_ids.items()}
    styles = layout.styles
    out = [
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n",
        f'<worksheet xmlns="{_attr(ns)}"><dimension ref="A1:{column_letter(ncols)}{len(layout.rows)}"/>',
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols>',
    ]
    add = out.append
    for c, width in enumerate(layout.widths, start=1):
        add(f'<col min="{c}" max="{c}" width="{width:g}" customWidth="1"/>')
    add("</cols><sheetData>")
    for r, values in enumerate(layout.rows):
        row_no = str(r + 1)
        cells = []
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            key = styles.get((r, c))
            ref_style = f'r="{letters[c]}{row_no}"' + (style_attr[key] if key else "")
            number = not isinstance(value, str) and isinstance(value, (int, float, Decimal))  # bool is an int too
            if number and isinstance(value, bool):
                cells.append(f'<c t="b" {ref_style}><v>{"1" if value else "0"}</v></c>')
            elif number:
                cells.append(f"<c {ref_style}><v>{repr(value) if isinstance(value, float) else str(value)}</v></c>")
            else:
                text = _clean_text(str(value))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c t="inlineStr" {ref_style}><is><t{space}>{_text(text)}</t></is></c>')
        add(f'<row r="{row_no}">{"".join(cells)}</row>' if cells else f'<row r="{row_no}"/>')
    add("</sheetData>")
    if layout.links:
        add("<hyperlinks>")
        for (r, c), ref in sorted(layout.links.items()):
            add(f'<hyperlink ref="{column_letter(c + 1)}{r + 1}" location="{_attr(link_location(ref))}" '
                f'display="{_attr(ref)}"/>')
        add("</hyperlinks>")
    add('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    return "".join(out).encode("utf-8")
