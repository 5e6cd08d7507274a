"""A unit or bound word written twice in a target ("8%左右%", a slip of the keyboard in a real
table) is read as written once and said, naming the cell — never passed over in silence."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from addin.app.pipeline import check_workbook
from addin.core.parse import parse


# 亿元 is read as the magnitude 亿 and the unit 元: the first word met again is 亿.
@pytest.mark.parametrize("text, word", [("8%左右%", "%"), ("8%%", "%"), ("8%以上以上", "以上"), ("100亿元亿元", "亿")])
def test_a_word_written_twice_is_noted(text, word):
    assert parse(text).repeated == word


@pytest.mark.parametrize("text", ["8%左右", "3%-5%", "3亿元-5亿元", "增长8%左右", "7%以上，力争8%", "14%以上"])
def test_a_unit_on_each_number_is_not_a_repetition(text):
    assert parse(text).repeated is None


def test_check_reads_it_once_and_names_the_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    for col, text in zip("ABCDE", ["序号", "指标", "目标", "完成情况", "完成率"]):
        ws[f"{col}3"] = text
    ws.append([1, "地区生产总值增长", "8%左右%", "7.6%", None])
    ws.append([2, "城镇调查失业率", "5.5%以内", "5.1%", None])
    wb.save(tmp_path / "book.xlsx")
    result = check_workbook(tmp_path / "book.xlsx")
    by_name = {i.name: i for i in result.indicators}
    # 7.6 against "8% 左右" read once: 7.6 / 8 = 95.00% (by hand), the same as for "8%左右".
    assert by_name["地区生产总值增长"].computed_rate == 95.0
    repeated = [f for f in result.findings if f.code == "repeated_word"]
    assert [(f.cell, f.severity) for f in repeated] == [("附件1!C4", "warning")]
    assert "“%”重复出现" in repeated[0].message and "8%左右%" in repeated[0].message
