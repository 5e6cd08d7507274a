"""区重点项目建设情况，1-2月 (a district of 惠州市 — by the page path 惠阳区; year not shown).

Source (stored page, search tool "pages" corpus):
http://www.wjjyp.cn/hygk/jjfz/content/post_4990140.html — a mirror of a district
government's 经济发展 page ("一、主要经济指标完成情况 … 三、重点项目建设情况").
The page says only 全区; the path /hygk/jjfz/ (惠阳概况/经济发展) and a sister page
on the same mirror (post_4377526, 1-6月 2021) point to 惠州市惠阳区 — an
inference, not printed. The stored excerpt does not print the year.
Printed text transcribed:
  全区100宗重点项目累计完成投资17.41亿元，完成年度计划12.85%，低于时序进度(16.67%)3.82个百分点。
  省重点项目14宗，年度计划投资44.62亿元，完成投资6.50亿元，完成年度计划14.54%，低于时序进度2.13个百分点；
  市重点项目7宗，年度计划投资10.66亿元，完成投资2.74亿元，完成年度计划21.85%，高于时序进度9个百分点；
  区重点项目79宗，年度计划投资80.18亿元，完成投资8.19亿元，完成年度计划10.20%。
  基础设施项目39宗，年度计划投资57.82亿元，完成投资5.65亿元，完成年度计划9.78%；
  产业项目49宗，年度计划投资62.45亿元，完成投资10.13亿元，完成年度计划16.22%；
  民生项目12宗，年度计划投资13.84亿元，完成投资1.62亿元，完成年度计划11.74%。
Not transcribed: "省市重点项目共21宗，完成率16.68%" (its plan is not printed).

Layout: title row, a "单位：亿元、%" note above the table, a 宗数 column, the
header words 年度计划投资 | 1-2月累计完成投资 | 完成年度计划, rates as plain
numbers with two decimals (the % is in the note), category heading rows inside
the table, a 合计 row whose plan the source does not print, 备注 text.
"""
from __future__ import annotations

from . import _book

SHEET = "重点项目"
NAME_COLUMN = "B"
HEADER_ROWS = [3]

LAYOUT = [
    (4, "一、按项目级别"),
    (5, (1, "省重点项目", 14, 44.62, 6.50, 14.54, "低于时序进度2.13个百分点")),
    (6, (2, "市重点项目", 7, 10.66, 2.74, 21.85, "高于时序进度9个百分点")),
    (7, (3, "区重点项目", 79, 80.18, 8.19, 10.20, None)),
    (8, "二、按产业类型"),
    (9, (4, "基础设施项目", 39, 57.82, 5.65, 9.78, None)),
    (10, (5, "产业项目", 49, 62.45, 10.13, 16.22, None)),
    (11, (6, "民生项目", 12, 13.84, 1.62, 11.74, None)),
    (12, (None, "全区重点项目合计", 100, None, 17.41, 12.85, "低于时序进度(16.67%)3.82个百分点")),
]
FORMATS = {3: "0.00", 4: "0.00", 5: "0.00"}

# Expected answers, from the printed numbers (decimal, half-up, at the two
# decimals the source prints):
#   6.50/44.62 = 14.5675% → 14.57, printed 14.54: the source's slip.
#   2.74/10.66 = 25.7036% → 25.70, printed 21.85: the source's slip (its
#     "高于时序进度9个百分点" matches neither number exactly).
#   8.19/80.18 = 10.2145% → 10.21, printed 10.20: slip.
#   5.65/57.82 = 9.7717% → 9.77, printed 9.78: slip.
#   10.13/62.45 = 16.2210% → 16.22, printed 16.22: right.
#   1.62/13.84 = 11.7052% → 11.71, printed 11.74: slip.
# (The printed amounts are rounded to 0.01亿元; the slips may come from unrounded
# figures, but at the precision printed they do not agree.)
# Status: these are 1-2月 figures against the whole year's plan; none reaches
# its annual plan, so every row is unmet (not yet complete). The 合计 row has no
# printed plan: not computable.
EXPECTED = [
    {"sheet": SHEET, "row": 5, "name": "省重点项目", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 6, "name": "市重点项目", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 7, "name": "区重点项目", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 9, "name": "基础设施项目", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 10, "name": "产业项目", "status": "unmet", "rate_ok": True, "flag": None},
    {"sheet": SHEET, "row": 11, "name": "民生项目", "status": "unmet", "rate_ok": False, "flag": None},
    {"sheet": SHEET, "row": 12, "name": "全区重点项目合计", "status": "not_computable", "rate_ok": None, "flag": "missing"},
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.title(ws, "A1:G1", "重点项目建设情况（1-2月）")
    ws["G2"] = "单位：亿元、%"
    _book.header(ws, 3, ["序号", "项目类别", "宗数", "年度计划投资", "1-2月累计完成投资", "完成年度计划", "备注"])
    for row, content in LAYOUT:
        if isinstance(content, str):
            _book.heading_row(ws, row, content, last_col=7)
        else:
            _book.put_row(ws, row, list(content), FORMATS)
    return _book.save(wb, path)
