"""2018年《政府工作报告》主要预期目标及其落实情况 (national, 2018).

Sources (stored pages, found with the search tool's "pages" corpus):
- Targets: 新华社受权全文播发《政府工作报告》(十三届全国人大一次会议, 2018-03-22),
  https://j637.cn/politics/2018lh/2018-03/22/c_1122575453.htm (a big5 mirror of
  the Xinhua release): 国内生产总值增长6.5%左右；居民消费价格涨幅3%左右；城镇新增
  就业1100万人以上，城镇调查失业率5.5%以内，城镇登记失业率4.5%以内；……单位国内
  生产总值能耗下降3%以上.
- Achieved values: 【两会一年间】2018年政府工作报告"成绩单"发布 36项重要指标如期
  落实 (央视新闻客户端, 2019-03-03),
  http://big5.taiwan.cn/xwzx/PoliticsNews/201903/t20190303_12143697.htm:
  GDP增长6.6%（经济增速预期目标完成）；实际涨幅为2.1%，仍在合理区间；城镇新增
  就业1361万人；城镇失业率控制在4.8%到5.1%，低于指标任务5.5%；移动网络流量平均
  资费较上年末下降63%，加倍完成了政府工作报告中降低30%的承诺.

Both stored copies are in traditional characters (big5 mirrors of simplified
originals); the cells are written in simplified characters, wording unchanged.

Layout: a merged title row, a source note row, one header row
序号|指标|单位|年度目标|实际完成|备注, a 单位 column although targets and actuals
are full text with their own units ("1100万人以上", "1361万人"), an actual that
is a range ("4.8%到5.1%"), two rows whose actual the sources do not give (left
empty, as a statistician leaves a cell still to be filled) and 备注 text quoting
the source's verdicts.
"""
from __future__ import annotations

from . import _book

SHEET = "2018年目标落实"
NAME_COLUMN = "B"
HEADER_ROWS = [3]

ROWS = [
    # 序号, 指标, 单位, 年度目标, 实际完成, 备注
    (1, "国内生产总值增长", "%", "6.5%左右", "6.6%", "经济增速预期目标完成；全年国内生产总值900309亿元"),
    (2, "居民消费价格涨幅", "%", "3%左右", "2.1%", "实际涨幅为2.1%，仍在合理区间"),
    (3, "城镇新增就业", "万人", "1100万人以上", "1361万人", None),
    (4, "城镇调查失业率", "%", "5.5%以内", "4.8%到5.1%", "低于指标任务5.5%"),
    (5, "城镇登记失业率", "%", "4.5%以内", None, "来源页未载实际值"),
    (6, "单位国内生产总值能耗下降", "%", "3%以上", None, "来源页未载实际值"),
    (7, "移动网络流量平均资费降低", "%", "降低30%", "下降63%", "加倍完成"),
]
FIRST_ROW = 4

# Expected answers, from the source documents (never from PlanReport):
# - No rates are printed in the sources, so rate_ok is None throughout.
# - 6.5%左右 against 6.6%: met under any reading of 左右 (the report: 预期目标完成).
# - 3%左右 for CPI is a ceiling (the page: 控制在3%左右; 2.1% 仍在合理区间): met.
# - 5.5%以内 against the range 4.8%到5.1%: both ends are inside the ceiling: met.
# - 降低30% against 下降63%: a planned fall of 30 and an actual fall of 63: met
#   (the page: 加倍完成).
# - Rows 8 and 9 have no actual in the sources: not computable, never met/unmet.
EXPECTED = [
    {"sheet": SHEET, "row": 4, "name": "国内生产总值增长", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 5, "name": "居民消费价格涨幅", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 6, "name": "城镇新增就业", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 7, "name": "城镇调查失业率", "status": "met", "rate_ok": None, "flag": None},
    {"sheet": SHEET, "row": 8, "name": "城镇登记失业率", "status": "not_computable", "rate_ok": None, "flag": "missing"},
    {"sheet": SHEET, "row": 9, "name": "单位国内生产总值能耗下降", "status": "not_computable", "rate_ok": None, "flag": "missing"},
    {"sheet": SHEET, "row": 10, "name": "移动网络流量平均资费降低", "status": "met", "rate_ok": None, "flag": None},
]


def build(path):
    wb = _book.new_workbook()
    ws = wb.create_sheet(SHEET)
    _book.title(ws, "A1:F1", "2018年《政府工作报告》主要预期目标落实情况")
    ws["A2"] = "资料来源：2018年《政府工作报告》；央视新闻2019年3月3日“成绩单”"
    _book.header(ws, 3, ["序号", "指标", "单位", "年度目标", "实际完成", "备注"])
    for offset, row in enumerate(ROWS):
        _book.put_row(ws, FIRST_ROW + offset, list(row))
    return _book.save(wb, path)
