"""The worksheet functions against 核算结果: the same cell gives the same status and rate.

The functions get what Excel hands a UDF — a cell's value, here read from a real .xlsx with
openpyxl — and the pipeline reads the same file. Excel does not hand over the number format,
so a percent-formatted cell is the one case that needs the documented text workaround.
"""
import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.office import udfs
from addin.app.pipeline import check_workbook
from addin.workbook.writeback.results_sheet import STATUS_TEXT

SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "kundulun-2025.xlsx"


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
def results(workbook):
    return {i["row"]: i for i in check_workbook(workbook).to_json()["indicators"] if i["sheet"] == "附件1"}


def excel_args(workbook, row):
    """What Excel passes to =PLAN_STATUS(D{row}, E{row}, C{row}): the cells' values."""
    sheet = openpyxl.load_workbook(workbook)["附件1"]
    return sheet[f"D{row}"].value, sheet[f"E{row}"].value, sheet[f"C{row}"].value


def agrees(indicator, target, actual, name):
    rate = indicator["computed_rate"]
    assert udfs.PLAN_STATUS(target, actual, name) == STATUS_TEXT[indicator["status"]]
    assert udfs.PLAN_RATE(target, actual, name) == (None if rate is None else pytest.approx(rate / 100))


@pytest.mark.parametrize("row, status", [(10, "not_computable"), (11, "met")])
def test_boolean_and_tiny_float_cells_agree_with_the_results_sheet(workbook, results, row, status):
    target, actual, name = excel_args(workbook, row)
    assert type(actual) in (bool, float)
    # TRUE is the text "TRUE" to the reader, not a yes that completes the target; 1e-05 is 0.00001.
    assert results[row]["actual"] in ("TRUE", "0.00001") and results[row]["status"] == status
    agrees(results[row], target, actual, name)


def test_percent_cell_passed_as_its_value_is_read_as_a_bare_number(workbook, results):
    target, actual, name = excel_args(workbook, 3)
    assert actual == 0.055 and results[3]["actual"] == "5.5%" and results[3]["computed_rate"] == 68.75
    # =PLAN_RATE(D3, E3): the function sees 0.055 with no format, so 0.055 against 8% (documented).
    assert udfs.PLAN_RATE(target, actual, name) == pytest.approx(0.0069)
    # =PLAN_RATE(D3, E3*100&"%") or TEXT(E3,"0.0%"): Excel hands over the text "5.5%".
    agrees(results[3], target, "5.5%", name)


def test_empty_and_integral_float_cells_read_as_the_reader_reads_them():
    assert udfs._text(None) == "" and udfs._text(3.0) == "3" and udfs._text(" 6亿元 ") == "6亿元"
