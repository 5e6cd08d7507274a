"""Edits a statistician makes to the sample workbook (openpyxl, real .xlsx) that must not lose data silently."""
from __future__ import annotations

import openpyxl

from addin.app.pipeline import check_workbook


def _edited(sample_path, tmp_path, edit) -> str:
    wb = openpyxl.load_workbook(sample_path)
    edit(wb["附件1"])
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return str(out)


def test_category_header_written_as_zhibiao_leibie(sample_path, tmp_path):
    def edit(ws):
        ws["A2"].value = "指标类别"

    base = check_workbook(sample_path)
    result = check_workbook(_edited(sample_path, tmp_path, edit))
    assert [i.category for i in result.indicators] == [i.category for i in base.indicators]
    assert result.indicators[0].category == "主要经济指标"


def test_numbered_row_without_a_name_is_reported(sample_path, tmp_path):
    def edit(ws):
        ws["C10"].value = None  # 序号 8 节能减排: target and actual stay

    result = check_workbook(_edited(sample_path, tmp_path, edit))
    assert len(result.indicators) == 47
    (finding,) = [f for f in result.findings if f.code == "name_missing"]
    assert (finding.severity, finding.cell) == ("warning", "附件1!C10")
    assert "8" in finding.message


def test_numbered_but_empty_rows_are_not_reported(sample_path, tmp_path):
    def edit(ws):
        ws["B52"].value, ws["B53"].value = 49, 50  # template rows numbered ahead, nothing filled in

    result = check_workbook(_edited(sample_path, tmp_path, edit))
    assert len(result.indicators) == 48
    assert not [f for f in result.findings if f.code == "name_missing"]
