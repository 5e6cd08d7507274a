"""越城区"十三五"规划主要指标完成情况 (绍兴市越城区, 2020 — the plan's last year).

Source (stored page, search tool "pages" corpus): "Page 30 - 越城年鉴(2022)", 表1
"'十三五'规划主要指标完成情况",
https://dfz.zj.gov.cn/zlyz/ossfs/h5/NJ-K-330602-2022-001-0101/files/basic-html/page30.html
Printed header: 序号 | 指标名称 | 2020年目标值 | 2020年预计值 | 完成情况.

The stored copy of the page breaks off after row 3 ("4 固…"); only rows 1-3 are
transcribed, the rest of 表1 could not be read.

Layout: the source's own title and "表1" above the table; a two-row header with
"2020年" merged over 目标值 | 预计值 | 完成情况 (the year taken out of the printed
"2020年目标值 / 2020年预计值"), 序号 and 指标名称 merged down; units in the
indicator names' brackets; a verdict column 完成情况 beside the value column
预计值 — the verdict is not the value.
"""
from __future__ import annotations

from . import _book

SHEET = "表1"
NAME_COLUMN = "B"
HEADER_ROWS = [3, 4]

ROWS = [
    (1, "全区生产总值(亿元)", 1000, 1008.5, "完成"),
    (2, "人均生产总值(元)", 130000, 130913, "完成"),
    (3, "公共财政预算收入(亿元)", 72.69, 72.69, "完成"),
]
FIRST_ROW = 5

# Expected answers, from the source's 完成情况 column: all three 完成.
# 72.69 against 72.69 is exactly on target: met. No rates printed: rate_ok None.
EXPECTED = [
    {"sheet": SHEET, "row": FIRST_ROW + i, "name": row[1], "status": "met", "rate_ok": None, "flag": None}
    for i, row in enumerate(ROWS)
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.title(ws, "A1:E1", "“十三五”规划主要指标完成情况")
    ws["E2"] = "表1"
    _book.header(ws, 3, ["序号", "指标名称", "2020年", None, None])
    _book.header(ws, 4, [None, None, "目标值", "预计值", "完成情况"])
    for rng in ("A3:A4", "B3:B4", "C3:E3"):
        ws.merge_cells(rng)
    for offset, row in enumerate(ROWS):
        _book.put_row(ws, FIRST_ROW + offset, list(row))
    return _book.save(wb, path)
