"""The guard's used range must cover every cell the reader places, whatever form the sheet XML takes.

Each case rewrites the sample's first sheet on a real .xlsx, then compares
guard.open_source's extent with the grid addin.workbook.read.read_grids builds.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402

from addin.common.errors import PlanReportError  # noqa: E402
from addin.workbook.guard import open_source  # noqa: E402
from addin.workbook.read import read_grids  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def good() -> bytes:
    return make_cases.wb_bytes()


def used_range(path: Path) -> tuple[int, int, int]:
    """Bottom row, right column and number of the cells the reader placed."""
    rows = read_grids(path)["附件1"].rows
    filled = [(r, c) for r, line in enumerate(rows, 1) for c, cell in enumerate(line, 1) if cell is not None]
    return max(r for r, _ in filled), max(c for _, c in filled), len(filled)


def variant(tmp_path: Path, good: bytes, change, name: str = "v.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(make_cases.rewrite(good, {SHEET: change}))
    return path


def append_rows(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def no_refs(xml: bytes) -> bytes:
    # Writers may leave r= out; 1,200 rows of 6 cells would run past column XFD if counted along the sheet.
    xml = re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml)
    row = b"<row>" + b'<c t="n"><v>1</v></c>' * 6 + b"</row>"
    return append_rows(xml, row * 1200)


def big_then_no_refs(xml: bytes) -> bytes:
    # Over 1 MiB of plain cells, then cells without r=: the two ways of reading meet mid-sheet.
    plain = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d" s="0"/></row>' % (r, r, r)
                     for r in range(100, 30_100))
    tail = b'<row r="40000"><c><v>2</v></c><c><v>3</v></c></row><row><c><v>4</v></c></row>'
    return append_rows(xml, plain + tail)


CASES = {
    "plain": lambda xml: xml,
    "no_refs": no_refs,
    "big_then_no_refs": big_then_no_refs,
    "entity_ref": lambda xml: append_rows(xml, b'<row r="60"><c r="&#72;5" t="n"><v>7</v></c></row>'),
    "unicode_digits": lambda xml: append_rows(xml, '<row r="61"><c r="I٦٢" t="n"><v>7</v></c></row>'.encode()),
    "single_quotes": lambda xml: append_rows(xml, b"<row r='63'><c r='J63' t='n'><v>7</v></c></row>"),
    "prefixed_row": lambda xml: append_rows(xml, b'<x:row xmlns:x="u" r="64"><c><v>7</v></c></x:row>'),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_extent_covers_what_the_reader_places(tmp_path, good, name):
    path = variant(tmp_path, good, CASES[name])
    extent = open_source(path).extents["附件1"]
    max_row, max_col, placed = used_range(path)
    assert (extent.max_row, extent.max_col) == (max_row, max_col)
    assert extent.cells >= placed  # the guard also counts cells whose value turns out empty


def test_a_quoted_slash_does_not_hide_far_cells(tmp_path, good):
    # '/>' inside an attribute value does not close the tag: each cell holds 1 at column XFD.
    rows = b"".join(b'<row r="%d"><c r="XFD%d" x="/>"><v>1</v></c></row>' % (r, r) for r in range(100, 400))
    path = variant(tmp_path, good, lambda xml: append_rows(xml, rows))
    with pytest.raises(PlanReportError, match="数据范围过大"):
        open_source(path)


def test_empty_self_closed_cells_are_not_placed(tmp_path, good):
    rows = b'<row r="900"><c r="XFD900" t="b"/><c r="XFC900" t="inlineStr"/><c r="ZZ900" t="str"/></row>'
    path = variant(tmp_path, good, lambda xml: append_rows(xml, rows))
    extent = open_source(path).extents["附件1"]
    assert (extent.max_row, extent.max_col) == used_range(path)[:2] == (51, 6)


def test_sheets_just_under_the_sheet_area_add_up(tmp_path, good):
    path = variant(tmp_path, good, lambda xml: append_rows(xml, b'<row r="2000"><c r="CV2000"><v>1</v></c></row>'))
    assert open_source(path, limits={"max_sheet_area": 200_000}).extents["附件1"].area == 2000 * 100
    with pytest.raises(PlanReportError, match="合计"):
        open_source(path, limits={"max_sheet_area": 200_000, "max_total_area": 150_000})
