"""2021年《政府工作报告》主要预期目标及完成情况 (national, 2021).

Sources (stored pages, search tool "pages" corpus):
- Targets: 城市化网 "今年发展预期目标:国内生产总值增长6%以上" (2021-03-05),
  http://www.ciudsrc.com/webdiceng.php?id=156365: 国内生产总值增长6%以上；城镇新增
  就业1100万人以上，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；进出口量稳质升，
  国际收支基本平衡；居民收入稳步增长；……单位国内生产总值能耗降低3%左右……；粮食
  产量保持在1.3万亿斤以上.
- Achieved (2022年《政府工作报告》的回顾):
  http://hbwmpx.com/hbwmpx/gjscxx/fxyjts/101633683364923.html: 国内生产总值……增长
  8.1%；城镇新增就业1269万人，城镇调查失业率平均为5.1%；居民消费价格上涨0.9%；国际
  收支基本平衡；粮食产量1.37万亿斤.
- 居民收入: 《2021年国民经济和社会发展统计公报》摘要,
  http://qgebv.cn/fzdt/cs/2022/0301/170684.html: 全国居民人均可支配收入35128元，
  比上年实际增长8.1%.
- The verdict on GDP: 经济日报 (国家统计局 赵同录),
  https://www.kuaibk.com/rs/at_20297.html: 比上年增长8.1%，完成了全年6%以上的经济发展
  预期目标.

None of the stored pages gives the 2021 fall in 单位国内生产总值能耗; the cell
holds the placeholder a statistician types while waiting (暂无数据).

Layout: title row; one header row with year-prefixed words
(2021年目标值 | 2021年实际值 | 完成情况 | 备注); category heading rows inside the
table (一、…); actuals in report wording (上涨0.9%, 平均为5.1%, 实际增长8.1%); two
qualitative targets (稳步增长; 进出口量稳质升，国际收支基本平衡); a placeholder.
"""
from __future__ import annotations

from . import _book

SHEET = "2021年目标完成"
NAME_COLUMN = "B"
HEADER_ROWS = [2]

# (row, values) — None values are heading rows
LAYOUT = [
    (3, "一、经济增长和物价"),
    (4, (1, "国内生产总值增长", "6%以上", "8.1%", "完成", "国家统计局：完成了全年6%以上的预期目标")),
    (5, (2, "居民消费价格涨幅", "3%左右", "上涨0.9%", None, None)),
    (6, (3, "粮食产量", "1.3万亿斤以上", "1.37万亿斤", None, "创历史新高")),
    (7, "二、就业和收入"),
    (8, (4, "城镇新增就业", "1100万人以上", "1269万人", None, None)),
    (9, (5, "城镇调查失业率", "5.5%左右", "平均为5.1%", None, None)),
    (10, (6, "居民收入", "稳步增长", "实际增长8.1%", None, "全国居民人均可支配收入35128元")),
    (11, "三、开放和生态"),
    (12, (7, "进出口和国际收支", "进出口量稳质升，国际收支基本平衡", "国际收支基本平衡", None, None)),
    (13, (8, "单位国内生产总值能耗降低", "3%左右", "暂无数据", None, "所存来源页未载2021年实际值")),
]

# Expected answers, from the sources:
# - 6%以上 against 8.1%: met (统计局: 完成了……预期目标); printed verdict 完成 agrees.
# - CPI 3%左右 is a ceiling (the GWR's CPI target is an upper limit); 上涨0.9%: met.
# - 城镇调查失业率 5.5%左右 is a ceiling for a lower-is-better rate; 平均为5.1%: met.
# - 稳步增长 is qualitative: against 实际增长8.1% it is not computable (an info,
#   never an error), even though the number itself is healthy.
# - 进出口量稳质升，国际收支基本平衡 against 国际收支基本平衡: qualitative, not computable.
# - 暂无数据 is a placeholder: not computable (not yet available), never an error.
# - No rates printed: rate_ok None.
EXPECTED = [
    {"sheet": SHEET, "row": 4, "name": "国内生产总值增长", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 5, "name": "居民消费价格涨幅", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 6, "name": "粮食产量", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 8, "name": "城镇新增就业", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 9, "name": "城镇调查失业率", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 10, "name": "居民收入", "status": "not_computable", "rate_ok": None, "flag": "qualitative"},
    {"sheet": SHEET, "row": 12, "name": "进出口和国际收支", "status": "not_computable", "rate_ok": None, "flag": "qualitative"},
    {"sheet": SHEET, "row": 13, "name": "单位国内生产总值能耗降低", "status": "not_computable", "rate_ok": None, "flag": "placeholder"},
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.title(ws, "A1:F1", "2021年《政府工作报告》主要预期目标完成情况")
    _book.header(ws, 2, ["序号", "指标", "2021年目标值", "2021年实际值", "完成情况", "备注"])
    for row, content in LAYOUT:
        if isinstance(content, str):
            _book.heading_row(ws, row, content, last_col=6)
        else:
            _book.put_row(ws, row, list(content))
    return _book.save(wb, path)
