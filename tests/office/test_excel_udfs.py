"""The worksheet functions against 核算结果: the same cell gives the same status and rate.

A cell reference reaches a function as xlwings' Range (the add-in's wrappers pass it
through CellArg). The stand-in Range below carries what that Range gives — the cell's
value and number format — read from a real .xlsx with openpyxl; the pipeline reads the
same file, so a percent-formatted 5.5% must give 68.75% in both.
"""
import shutil
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from addin.app.pipeline import check_workbook
from addin.office import udfs
from addin.workbook.writeback.results_sheet import STATUS_TEXT

SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "kundulun-2025.xlsx"


class Cell:
    """The part of xlwings.Range a worksheet function reads: value, number_format, its book."""

    def __init__(self, path: Path, ws, ref: str):
        self.sheet = SimpleNamespace(book=SimpleNamespace(fullname=str(path)))
        cells = ws[ref]
        self._cells = cells if isinstance(cells, tuple) else None
        self._cell = None if self._cells else cells

    def options(self, err_to_str=False, **_):
        return self

    @property
    def value(self):
        if self._cells:
            return [[c.value for c in row] for row in self._cells]
        return self._cell.value

    @property
    def number_format(self):
        return self._cell.number_format if self._cell else None


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("udfs") / "edited.xlsx"
    shutil.copy(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    sheet = wb["附件1"]
    assert sheet["C10"].value == "节能减排" and sheet["E3"].number_format == "0.0%"
    sheet["E10"] = True  # a boolean 完成情况 against a qualitative target
    sheet["D11"], sheet["E11"] = "不高于0.00002", 1e-05  # a float Python writes as 1e-05
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def sheet(workbook):
    return openpyxl.load_workbook(workbook)["附件1"]


@pytest.fixture(scope="module")
def results(workbook):
    return {i["row"]: i for i in check_workbook(workbook).to_json()["indicators"] if i["sheet"] == "附件1"}


def cells(workbook, sheet, row):
    """=PLAN_STATUS(D{row}, E{row}, C{row}): the three cells as Excel hands them over."""
    return tuple(Cell(workbook, sheet, f"{col}{row}") for col in "DEC")


def agrees(indicator, target, actual, name):
    rate = indicator["computed_rate"]
    assert udfs.PLAN_STATUS(target, actual, name) == STATUS_TEXT[indicator["status"]]
    assert udfs.PLAN_RATE(target, actual, name) == (None if rate is None else pytest.approx(rate / 100))


def test_percent_formatted_cell_is_read_with_its_format(workbook, sheet, results):
    target, actual, name = cells(workbook, sheet, 3)
    assert actual.value == 0.055 and actual.number_format == "0.0%"
    # 8%左右 against 5.5%: 5.5 / 8 = 68.75%, unmet — by hand, and what 核算结果 says
    assert udfs.PLAN_RATE(target, actual, name) == pytest.approx(0.6875)
    assert udfs.PLAN_STATUS(target, actual, name) == "未完成"
    assert results[3]["computed_rate"] == 68.75
    agrees(results[3], target, actual, name)


def test_every_sample_row_agrees_with_the_results_sheet(workbook, sheet, results):
    checked = 0
    for row, indicator in results.items():
        if indicator["direction"] == "relative":
            continue  # needs the reference row, which a single cell formula does not see
        agrees(indicator, *cells(workbook, sheet, row))
        checked += 1
    assert checked >= 40


@pytest.mark.parametrize("row, status", [(10, "not_computable"), (11, "met")])
def test_boolean_and_tiny_float_cells_agree_with_the_results_sheet(workbook, sheet, results, row, status):
    target, actual, name = cells(workbook, sheet, row)
    assert type(actual.value) in (bool, float)
    # TRUE is the text "TRUE" to the reader, not a yes that completes the target; 1e-05 is 0.00001.
    assert results[row]["actual"] in ("TRUE", "0.00001") and results[row]["status"] == status
    agrees(results[row], target, actual, name)


def test_planreport_toml_beside_the_workbook_applies_to_functions_too(tmp_path):
    path = tmp_path / "loose.xlsx"
    shutil.copy(SAMPLE, path)
    # 5.5% against 8%左右 meets the target from 8 × (1 − 0.4) = 4.8% on
    (tmp_path / "planreport.toml").write_text("about_tolerance = 0.4\n", encoding="utf-8")
    ws = openpyxl.load_workbook(path)["附件1"]
    assert udfs.PLAN_STATUS(*cells(path, ws, 3)) == "已完成"
    cli = next(i for i in check_workbook(path).to_json()["indicators"] if i["row"] == 3)
    assert cli["status"] == "met"
    assert udfs.PLAN_STATUS("8%左右", "5.5%") == "未完成"  # literals alone: no workbook, the defaults


def test_literal_arguments_and_mixed():
    assert udfs.PLAN_RATE("8%左右", "5.5%", "地区生产总值") == pytest.approx(0.6875)
    assert udfs.PLAN_STATUS("3亿元", 6.0) == "已完成" and udfs.PLAN_RATE("3亿元", 6.0) == pytest.approx(2.0)
    assert udfs.PLAN_RATE("", None) is None and udfs.PLAN_STATUS("", "") == "无法核算"
    assert "左右" in udfs.PLAN_PARSE("8%左右") and "相对" in udfs.PLAN_PARSE("与经济增长同步")


def test_a_block_of_cells_is_a_chinese_message_in_the_cell(workbook, sheet):
    block = Cell(workbook, sheet, "D3:E4")
    assert udfs.PLAN_RATE(block, "5.5%") == udfs.SINGLE_CELL == "请引用单个单元格"


def test_converter_passes_a_range_through_and_keeps_a_literal():
    """xlwings' "range" converter would turn the literal "8%左右" into None."""
    rng = object()
    with_range = SimpleNamespace(range=rng, value=None)
    udfs.CellArg.keep_range(with_range)
    literal = SimpleNamespace(range=None, value="8%左右")
    udfs.CellArg.keep_range(literal)
    assert with_range.value is rng and literal.value == "8%左右"


def test_empty_and_integral_float_cells_read_as_the_reader_reads_them():
    assert udfs._text(None) == "" and udfs._text(3.0) == "3" and udfs._text(" 6亿元 ") == "6亿元"
    assert udfs._text(0.055, "0.0%") == "5.5%" and udfs._text(0.055) == "0.055"
