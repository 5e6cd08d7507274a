"""Every header word of addin/workbook/read/vocabulary.py, as a real report printed it, and where.

A word added to the vocabulary without a line here fails test_every_word_has_a_source:
the table of words stays a table of words someone has seen in a report.
"""
from __future__ import annotations

import pytest

from addin.workbook.read.vocabulary import (HEADER_WORDS, PERIOD_WORDS, VERDICT_WORDS, bracket_unit, header_role,
                                            is_group_word, is_verdict, note_units)

SEED = "昆都仑区2025年计划执行情况，附件1/附件2/基础数据（workbooks/kundulun-2025.xlsx）"
GWR2018 = "2018年《政府工作报告》主要预期目标落实情况（tests/corpus/national_2018_gwr.py）"
GWR2019 = "2019年《政府工作报告》量化指标任务落实情况，m.canet.com.cn（national_2019_gwr）"
GWR2021 = "2021年《政府工作报告》目标与完成（national_2021_gwr）"
YUECHENG = "越城年鉴(2022) 表1“十三五”规划主要指标完成情况，dfz.zj.gov.cn（yuecheng_13th_plan）"
HUIYANG = "惠阳区重点项目建设情况（1-2月），wjjyp.cn（huiyang_key_projects）"
ZHONGLOU = "钟楼区重大项目（1-7月），haisufink.com（zhonglou_major_projects）"
JIANGMEN = "江门市重点项目（2013年1-4月、2021年1-3月）（jiangmen_key_projects）"
LUFENG = "陆丰市重点项目前三季度完成情况，汕尾日报（lufeng_key_projects）"
MIANYANG = "绵阳市2013年重点项目：已完成投资224.17亿元，占年度计划投资的121.79%，scswl.cn"
HUAINING = "1-10月份规模工业增加值10764万元，占任务数16900万元的63.7%，ahqy.gov.cn"
ANHUI = "安徽省“十一五”规划纲要中期评估：提前完成目标、超额完成目标，zhongtushe.com"
ISSUE = "issue 13：其他单位计划执行表的表头（所存网页未留原件）"
BEFORE = "issue 13 之前已有的表头词（tests/workbook/test_read_layouts.py 的同义词）"

# (the header as printed, its role, the report it was taken from)
HEADERS = [
    ("指标", "name", SEED), ("指标名称", "name", SEED), ("项目", "name", BEFORE), ("主要指标", "name", BEFORE),
    ("指标名", "name", BEFORE), ("项目名称", "name", BEFORE), ("指标项目", "name", BEFORE),
    ("目标", "target", SEED), ("全年目标", "target", SEED), ("年度目标", "target", GWR2018),
    ("预期目标", "target", ISSUE), ("计划目标", "target", BEFORE), ("2021年目标值", "target", GWR2021),
    ("目标值", "target", YUECHENG), ("年度计划目标", "target", BEFORE), ("年计划", "target", LUFENG),
    ("年度计划", "target", JIANGMEN), ("计划数", "target", ISSUE), ("年度计划投资", "target", HUIYANG),
    ("年度计划投资（亿元）", "target", ZHONGLOU), ("任务数", "target", HUAINING),
    ("完成情况", "actual", SEED), ("执行情况", "actual", BEFORE), ("实际完成", "actual", GWR2018),
    ("完成值", "actual", BEFORE), ("2021年实际值", "actual", GWR2021), ("实际值", "actual", ISSUE),
    ("实际完成值", "actual", BEFORE), ("实际完成情况", "actual", BEFORE), ("完成数", "actual", BEFORE),
    ("预计完成", "actual", ISSUE), ("执行数", "actual", ISSUE), ("预计值", "actual", YUECHENG),
    ("落实结果", "actual", GWR2019), ("1-2月累计完成投资", "actual", HUIYANG),
    ("1-7月完成投资（亿元）", "actual", ZHONGLOU), ("1-4月累计", "actual", JIANGMEN), ("1-3月累计", "actual", JIANGMEN),
    ("前三季度累计", "actual", LUFENG), ("1-12月完成", "actual", ISSUE), ("1-N月累计", "actual", ISSUE),
    ("完成率", "rate", SEED), ("完成比例", "rate", BEFORE), ("完成进度", "rate", ZHONGLOU),
    ("目标完成率", "rate", BEFORE), ("完成计划%", "rate", LUFENG), ("完成年度计划", "rate", HUIYANG),
    ("占年度计划", "rate", MIANYANG), ("占任务数", "rate", HUAINING),
    ("单位", "unit", SEED), ("计量单位", "unit", BEFORE), ("序号", "no", SEED), ("编号", "no", BEFORE),
    ("类别", "category", SEED), ("分类", "category", BEFORE), ("领域", "category", BEFORE),
    ("指标类别", "category", BEFORE), ("指标分类", "category", BEFORE), ("类型", "category", BEFORE),
    ("项目类别", "category", HUIYANG),
    ("备注", "note", GWR2018), ("说明", "note", BEFORE), ("数据来源", "note", BEFORE), ("来源", "note", SEED),
]
# Cells of a verdict column, as printed.
VERDICTS = [("完成", GWR2019), ("超额完成", LUFENG), ("未完成", ISSUE), ("基本完成", ISSUE), ("已完成", SEED),
            ("提前完成", ANHUI)]


@pytest.mark.parametrize("printed, role, source", HEADERS, ids=[h[0] for h in HEADERS])
def test_header_word(printed, role, source):
    assert header_role(printed) == role, source
    assert header_role(f" {printed[0]} {printed[1:]}\n") == role  # spaces and line breaks typed to align a header


def test_every_word_has_a_source():
    def bare(printed):
        word = printed.replace("（亿元）", "").rstrip("%")
        for prefix in ("2021年", "1-2月", "1-7月", "1-4月", "1-3月", "1-12月", "1-N月", "前三季度"):
            word = word.removeprefix(prefix)
        return word

    tested = {bare(p) for p, _, _ in HEADERS}
    listed = {w for words in HEADER_WORDS.values() for w in words} | set(PERIOD_WORDS)
    assert listed - tested == set()
    assert {w for w, _ in VERDICTS} == set(VERDICT_WORDS)


@pytest.mark.parametrize("word, source", VERDICTS)
def test_verdict_word(word, source):
    assert is_verdict(word) and header_role(word) is None, source


def test_words_that_are_no_header():
    # A bare 完成 is a verdict a data cell holds; a long sentence is a title; a number is data.
    for text in ("完成", "2025年", "1-12月", "地区生产总值", "2025年昆都仑区国民经济和社会发展计划重点任务执行情况", "5.5%"):
        assert header_role(text) is None


def test_a_year_is_a_period_too():
    # "2025年完成 | 2026年目标" heads the plan tables that show last year's outcome (test_read_headers).
    assert [header_role(w) for w in ("2025年完成", "2025年1-12月完成", "2024年累计", "2026年目标")] == [
        "actual", "actual", "actual", "target"]


def test_group_words_units_and_notes():
    assert all(is_group_word(w) for w in ("2025年", "2019年", "2020年度", "1-12月", "前三季度", "2025年1-12月"))
    assert not any(is_group_word(w) for w in ("表1", "附件1", "指标", "单位：亿元"))
    assert bracket_unit("年度计划投资（亿元）") == "亿元" and bracket_unit("完成率（%）") == "%"
    assert bracket_unit("1-12月完成（1-12月）") is None and bracket_unit("目标") is None
    assert note_units("单位：亿元、%") == ["亿元", "%"] and note_units("计量单位:万元") == ["万元"]
    assert note_units("注：下划线表示未完成") is None
