"""How statisticians write targets and numbers in the sample workbook (edited with openpyxl, real .xlsx)."""
from __future__ import annotations

import openpyxl
import pytest

from addin.app.pipeline import check_workbook


def _check(sample_path, tmp_path, **cells):
    wb = openpyxl.load_workbook(sample_path)
    for ref, value in cells.items():
        wb["附件1"][ref].value = value
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return {i.row: i for i in check_workbook(out).indicators}


@pytest.mark.parametrize("target, rate, status", [
    ("≥5%", 114.0, "met"),   # row 6: 社会消费品零售总额, actual 5.7%
    ("＞5%", 114.0, "met"),
    (">=5%", 114.0, "met"),
    ("≥6%", 95.0, "unmet"),
])
def test_math_signs_as_floor_targets(sample_path, tmp_path, target, rate, status):
    row = _check(sample_path, tmp_path, D6=target)[6]
    assert (row.status, float(row.computed_rate)) == (status, rate)


def test_math_sign_as_ceiling_target(sample_path, tmp_path):
    row = _check(sample_path, tmp_path, D9="≤4%")[9]  # 城镇登记失业率, actual 4%以内
    assert row.status == "met" and row.direction == "lower"


@pytest.mark.parametrize("written", ["1.", "1、", "１"])
def test_serial_numbers_written_with_a_stop(sample_path, tmp_path, written):
    assert _check(sample_path, tmp_path, B3=written)[3].no == 1


def test_underline_disagreeing_with_the_status_is_a_finding(sample_path, tmp_path):
    from openpyxl.styles import Font

    wb = openpyxl.load_workbook(sample_path)
    ws = wb["附件1"]
    ws["F3"].font = Font(underline=None)  # 地区生产总值, unmet, printed without its underline
    ws["F4"].font = Font(underline="single")  # 规模以上工业增加值, met, underlined by mistake
    out = tmp_path / "underlines.xlsx"
    wb.save(out)
    result = check_workbook(out)
    found = sorted((f.cell, f.severity) for f in result.findings if f.code == "underline_mismatch")
    assert found == [("附件1!F3", "warning"), ("附件1!F4", "warning")]
    rows = {i.row: i for i in result.indicators}
    assert (rows[3].reported_unmet, rows[3].status) == (False, "unmet")
    assert (rows[4].reported_unmet, rows[4].status) == (True, "met")


def test_sample_has_no_underline_mismatch(sample_json):
    assert not [f for f in sample_json["findings"] if f["code"] == "underline_mismatch"]
