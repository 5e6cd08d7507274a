"""钟楼区重大项目1-7月投资完成情况 (常州市钟楼区, 2021).

Source (stored page, search tool "pages" corpus):
http://haisufink.com/ns_news/973162864565622 — "今年，钟楼区将重大项目与疫情防控两手抓":
  2021年列入省重大项目4个，年度计划投资18亿元，已全面开工；1-7月完成投资10.52亿元，完成年度投资计划的58.42%。
  截至7月底，列入市重大项目17个，年度计划投资24.19亿元，1-7月完成投资14.9亿元，完成年度投资计划的61.62%，完成投资目标任务的67.75%。市重大项目已开工16个，项目开工率达94.12%。
  截至7月底，列入区重点产业项目94个，年度计划投资68.1亿元。1-7月预计完成投资28.05亿元，同比增长12.61%，完成年度计划的41.18%。
(钟楼区 is a district of 常州市.) Not transcribed: 开工率 94.12% (a count, not
亿元, and the header units here are per column) and "完成投资目标任务的67.75%"
(its 目标任务 is not printed).

Layout: one header row with units in brackets — 年度计划投资（亿元）|
1-7月完成投资（亿元）| 完成进度 —, every number stored as text, rates as text
with two decimals ("58.42%"), 备注.
"""
from __future__ import annotations

from . import _book

SHEET = "重大项目"
NAME_COLUMN = "B"
HEADER_ROWS = [1]

ROWS = [
    ("1", "省重大项目（4个）", "18", "10.52", "58.42%", "已全面开工"),
    ("2", "市重大项目（17个）", "24.19", "14.9", "61.62%", "完成投资目标任务的67.75%"),
    ("3", "区重点产业项目（94个）", "68.1", "28.05", "41.18%", "预计完成，同比增长12.61%"),
]
FIRST_ROW = 2

# Expected answers (decimal, half-up, two decimals as printed):
#   10.52/18    = 58.444% → 58.44, printed 58.42: the source's slip.
#   14.9/24.19  = 61.596% → 61.60, printed 61.62: slip.
#   28.05/68.1  = 41.189% → 41.19, printed 41.18: slip.
# All three are small and consistent with unrounded amounts behind the page, but
# they disagree at the printed precision. Status: 1-7月 against the annual plan,
# none complete: unmet.
EXPECTED = [
    {"sheet": SHEET, "row": 2, "name": "省重大项目（4个）", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 3, "name": "市重大项目（17个）", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 4, "name": "区重点产业项目（94个）", "status": "unmet", "rate_ok": False, "flag": None},
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.header(ws, 1, ["序号", "项目类别", "年度计划投资（亿元）", "1-7月完成投资（亿元）", "完成进度", "备注"])
    for offset, row in enumerate(ROWS):
        _book.put_row(ws, FIRST_ROW + offset, list(row))
        for col in range(1, 6):
            ws.cell(row=FIRST_ROW + offset, column=col).number_format = "@"
    return _book.save(wb, path)
