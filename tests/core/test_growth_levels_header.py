"""levels._cell_role (the per-cell shortcut) answers exactly what levels._role does."""
from __future__ import annotations

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.levels import LEVEL_HEADER_WORDS, _cell_role, _role, read_levels
from addin.common.model import Cell
from addin.workbook.read import read_grids

WORDS = [w for words in LEVEL_HEADER_WORDS.values() for w in words]
# Spaces, full-width and half-width forms, brackets and combining marks all change what normalize() gives.
PIECES = WORDS + [" ", "\u3000", "（", "）", "(", ")", "【", "】", "［", "］", "亿元", "ｶ", "ﾞ", "\u0301", "e", "１", "年份"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join))
def test_shortcut_agrees_with_role(text):
    text = text.strip()
    assert _cell_role(Cell("s", 1, 1, value=text, text=text)) == (_role(text) if text else None)


def test_header_words_written_oddly_are_found_in_a_real_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据"
    ws.append([2024, 3.5, "说明文字很长的一行，不是表头"])
    ws.append(["指 标", "年份（年）", "数值【亿元】", "ｕｎｉｔ", "增速(%)"])
    ws.append(["地区生产总值", 2024, 100, "亿元", 5.5])
    path = tmp_path / "levels.xlsx"
    wb.save(path)
    levels = read_levels(read_grids(path))
    assert (levels.header_row, levels.columns) == (2, {"name": 1, "year": 2, "value": 3, "growth": 5})
    assert [(r.name.text, r.year) for r in levels.rows] == [("地区生产总值", 2024)]
