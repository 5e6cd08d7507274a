"""陆丰市重点项目前三季度完成情况 (陆丰市, 汕尾市; the year is not printed).

Source (stored page, search tool "pages" corpus): 汕尾日报 (记者 李济超),
http://www.swcszx.com/article-14987-1.html:
  "今年该市共安排重点项目82个，年度计划投资130.16亿元。前三季度，累计完成投资151.88亿元，
  占年度计划的116.69%，超额完成年度投资任务。……已开工76个，开工率92.68%；……列入汕尾市
  重点项目的69个，累计完成投资150.44亿元，占年度计划119.35%；列入省重点项目的13个，累计
  完成投资79.26亿元，占年度计划的113.47%，超额完成年度投资任务。"
Not transcribed: 已立项74个, 完工21个 (no plan figure).

Layout: title row; one header row 序号|指标|单位|年计划|前三季度累计|完成计划%|完成情况;
a 单位 column with bare numbers; rates stored as numbers with a percent format
("0.00%"); a verdict column (超额完成) beside the value; two "其中" rows whose
plan the source does not print (the cell left empty).
"""
from __future__ import annotations

from . import _book

SHEET = "重点项目"
NAME_COLUMN = "B"
HEADER_ROWS = [2]

ROWS = [
    (1, "重点项目完成投资（82个）", "亿元", 130.16, 151.88, 1.1669, "超额完成"),
    (2, "重点项目开工（82个）", "个", 82, 76, 0.9268, None),
    (3, "其中：汕尾市重点项目（69个）", "亿元", None, 150.44, 1.1935, None),
    (4, "其中：省重点项目（13个）", "亿元", None, 79.26, 1.1347, "超额完成"),
]
FIRST_ROW = 3
FORMATS = {5: "0.00%"}

# Expected answers (decimal, half-up, two decimals as shown):
#   151.88/130.16 = 116.687% → 116.69: right; met — and the printed verdict
#     超额完成 agrees.
#   76/82 = 92.683% → 92.68: right; 76 of 82 started: unmet.
#   The two 其中 rows: plan not printed, so not computable; their printed rates
#     cannot be checked (rate_ok None); the verdict 超额完成 on the 省重点 row is
#     the source's, PlanReport has nothing to compare it with.
EXPECTED = [
    {"sheet": SHEET, "row": 3, "name": "重点项目完成投资（82个）", "status": "met", "rate_ok": True, "flag": None},
    {"sheet": SHEET, "row": 4, "name": "重点项目开工（82个）", "status": "unmet", "rate_ok": True, "flag": None},
    {"sheet": SHEET, "row": 5, "name": "其中：汕尾市重点项目（69个）", "status": "not_computable", "rate_ok": None, "flag": "missing"},
    {"sheet": SHEET, "row": 6, "name": "其中：省重点项目（13个）", "status": "not_computable", "rate_ok": None, "flag": "missing"},
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.title(ws, "A1:G1", "陆丰市重点项目前三季度完成情况")
    _book.header(ws, 2, ["序号", "指标", "单位", "年计划", "前三季度累计", "完成计划%", "完成情况"])
    for offset, row in enumerate(ROWS):
        _book.put_row(ws, FIRST_ROW + offset, list(row), FORMATS)
    return _book.save(wb, path)
