"""江门市重点建设项目进度 (江门市, 2013年1-4月 and 2021年1-3月), one sheet a period.

Sources (stored pages, search tool "pages" corpus) — mirrors of 江门市发展和改革局
(jmsfzhggj) pages on 重点项目:
- 2013: https://rajayuj.com/bmpd/jmsfzhggj/zwgk/tjfx/zdxmxxtj/content/post_831975.html
  "2013年市政府共安排重点项目196项，年度计划投资401.9亿元。全市重点项目今年1-4月累计
  完成投资107.4亿元，为年度投资计划的26.7%，相比去年同期快了2个百分点，但仍比时间进度
  慢了6.6个百分点；已落实资金159.5亿元，为年度投资计划的39.7%。"
- 2021: https://456150.com.cn/bmpd/jmsfzhggj/zdlyxxgk/zdjsxmxxgk/zdxmjz/content/post_2314420.html
  "2021年安排全市重点建设项目710项，项目总投资6960亿元，年度投资计划1015亿元。……1-3月
  项目累计完成投资313.64亿元，……为年度投资计划的30.90%，超过时间进度5.90个百分点。本年度
  计划新开工项目270项，实际已开工129项，开工率达47%。"

Layout: two sheets (a statistician's file kept across years); name in column A,
a 单位 column with bare numbers; the rate column holds *formulas* =D/C with
cached values patched into the sheet XML (shown "0.0%" in 2013, "0.00%" in
2021, as the source prints them), and one typed rate (开工率 47%, format "0%")
where the source's printed figure is not what the formula would give.
"""
from __future__ import annotations

from . import _book

SHEET_2013 = "2013年1-4月"
SHEET_2021 = "2021年1-3月"
NAME_COLUMN = "A"
HEADER_ROWS = [1]

# Expected answers (decimal, half-up, at the precision each cell shows):
#   2013: 107.4/401.9 = 26.723% → 26.7 shown 26.7: right; 159.5/401.9 = 39.686% →
#         39.7: right.
#   2021: 313.64/1015 = 30.9005% → 30.90: right; 129/270 = 47.78% → 48 at the
#         whole percent printed, printed 47: the source's slip (a truncation).
# Status: year-to-date against the annual plan, none complete: unmet.
EXPECTED = [
    {"sheet": SHEET_2013, "row": 2, "name": "重点项目完成投资", "status": "unmet", "rate_ok": True, "flag": None},
    {"sheet": SHEET_2013, "row": 3, "name": "重点项目已落实资金", "status": "unmet", "rate_ok": True, "flag": None},
    {"sheet": SHEET_2021, "row": 2, "name": "重点建设项目完成投资", "status": "unmet", "rate_ok": True, "flag": None},
    {"sheet": SHEET_2021, "row": 3, "name": "计划新开工项目", "status": "unmet", "rate_ok": False, "flag": None},
]


def build(path):
    wb = _book.new_workbook()
    cached = {}

    ws = wb.create_sheet(SHEET_2013)
    _book.header(ws, 1, ["指标", "单位", "年度计划", "1-4月累计", "完成进度", "备注"])
    _book.put_row(ws, 2, ["重点项目完成投资", "亿元", 401.9, 107.4, "=D2/C2", "比时间进度慢6.6个百分点"], {4: "0.0%"})
    _book.put_row(ws, 3, ["重点项目已落实资金", "亿元", 401.9, 159.5, "=D3/C3", None], {4: "0.0%"})
    cached[SHEET_2013] = {"E2": 107.4 / 401.9, "E3": 159.5 / 401.9}

    ws = wb.create_sheet(SHEET_2021)
    _book.header(ws, 1, ["指标", "单位", "年度计划", "1-3月累计", "完成进度", "备注"])
    _book.put_row(ws, 2, ["重点建设项目完成投资", "亿元", 1015, 313.64, "=D2/C2", "超过时间进度5.90个百分点"], {4: "0.00%"})
    _book.put_row(ws, 3, ["计划新开工项目", "项", 270, 129, 0.47, "开工率达47%"], {4: "0%"})
    cached[SHEET_2021] = {"E2": 313.64 / 1015}

    return _book.save(wb, path, cached)
