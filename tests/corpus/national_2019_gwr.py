"""2019年《政府工作报告》量化指标任务落实情况 (national, 2019), an excerpt.

Source (stored page, search tool "pages" corpus): 中国农业新闻网/canet page
"国务院19日对外公布2019年《政府工作报告》量化指标任务落实情况表，38项指标任务均已
完成", http://m.canet.com.cn/view-668311-1.html. Rows transcribed from its text:
- 国内生产总值增长6%-6.5% → 比上年增长6.1%，符合年度预期目标
- 城镇新增就业1100万人以上 → 1352万人；城镇登记失业率4.5%以内 → 3.62%，完成年度目标
- 减轻企业税收和社保缴费负担近2万亿元 → 减税降费超过2.3万亿元
- 制造业等行业现行16%的税率降至13% → 降至13%
- 减少农村贫困人口1000万以上 → 1109万人；新建改建农村公路20万公里 → 29万公里；
  移动网络流量平均资费再降低20%以上 → 较上年降低41%
- 二氧化硫、氮氧化物排放量下降3% → 分别下降4.4%和3.5%；化学需氧量、氨氮排放量
  下降2% → 分别下降3.2%和3.3%
The page names 38 tasks; only the 12 it quantifies are transcribed (the rest,
e.g. 中央财政一般性支出压减5%以上, 三公经费再压减3%左右, carry no achieved value).

Layout: a two-row header — outer row 序号 | 指标 | 单位 | "2019年" merged over two
columns | 完成情况, lower row 目标 | 落实结果, the outer cells merged down; a
verdict column (完成) beside the value column; the four emission rows keep the
direction in the *name* ("二氧化硫排放量下降") with bare numbers in the cells
(单位 %), the way a statistician types them.
"""
from __future__ import annotations

from . import _book

SHEET = "2019年量化指标"
NAME_COLUMN = "B"
HEADER_ROWS = [2, 3]

ROWS = [
    # 序号, 指标, 单位, 目标, 落实结果, 完成情况
    (1, "国内生产总值增长", "%", "6%-6.5%", "6.1%", "完成"),
    (2, "城镇新增就业", "万人", "1100万人以上", "1352万人", "完成"),
    (3, "城镇登记失业率", "%", "4.5%以内", "3.62%", "完成"),
    (4, "减轻企业税收和社保缴费负担", "万亿元", "近2万亿元", "超过2.3万亿元", "完成"),
    (5, "制造业等行业现行税率", "%", "16%的税率降至13%", "降至13%", "完成"),
    (6, "农村贫困人口减少", "万人", "1000万以上", "1109万人", "完成"),
    (7, "新建改建农村公路", "万公里", "20万公里", "29万公里", "完成"),
    (8, "移动网络流量平均资费降低", "%", "再降低20%以上", "降低41%", "完成"),
    (9, "二氧化硫排放量下降", "%", 3, 4.4, "完成"),
    (10, "氮氧化物排放量下降", "%", 3, 3.5, "完成"),
    (11, "化学需氧量排放量下降", "%", 2, 3.2, "完成"),
    (12, "氨氮排放量下降", "%", 2, 3.3, "完成"),
]
FIRST_ROW = 4

# Expected answers, from the source (its headline: 38项指标任务均已完成):
# - 6%-6.5% is a band; 6.1% lies inside it: met (符合年度预期目标).
# - 再降低20%以上 against 降低41%: a planned fall of at least 20 against a fall of 41: met.
# - 近2万亿元 is an approximate floor; 超过2.3万亿元 exceeds it: met.
# - "16%的税率降至13%" is a level with a direction; the rate did fall to 13%: met.
# - Emission rows: the name carries the direction (下降) and the cells are bare
#   numbers, so target 3 / actual 4.4 is a planned fall of 3% against an actual
#   fall of 4.4%: met. (Read as a ceiling — "at most 3" — it would wrongly fail.)
# - No rates are printed: rate_ok None. Every printed verdict is 完成 and agrees.
EXPECTED = [
    {"sheet": SHEET, "row": FIRST_ROW + i, "name": row[1], "status": "met", "rate_ok": None, "flag": None}
    for i, row in enumerate(ROWS)
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.title(ws, "A1:F1", "2019年《政府工作报告》量化指标任务落实情况（摘录）")
    _book.header(ws, 2, ["序号", "指标", "单位", "2019年", None, "完成情况"])
    _book.header(ws, 3, [None, None, None, "目标", "落实结果", None])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3"):
        ws.merge_cells(rng)
    for offset, row in enumerate(ROWS):
        _book.put_row(ws, FIRST_ROW + offset, list(row))
    return _book.save(wb, path)
