"""Target and actual wording from other units' reports (issue 13), each read and scored.

The phrases are the ones the issue found in real plan-execution tables (districts,
cities, the national Government Work Report) and the corpus sources in
tests/corpus (cited there); the expected readings and statuses are worked by hand.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from addin.core.evaluate import evaluate
from addin.core.parse import parse, target_actual, verdict_of

D = Decimal


@pytest.mark.parametrize("text, kind, value, unit, bound, growth", [
    ("实际增长5.6%", "number", D("5.6"), "%", "exact", "up"),  # 居民收入 实际增长 (GWR reviews)
    ("实际增长8.1%", "number", D("8.1"), "%", "exact", "up"),  # 2021 GWR review, corpus national_2021_gwr
    ("全年平均5.3%", "number", D("5.3"), "%", "exact", None),  # 城镇调查失业率 全年平均
    ("平均为5.0%", "number", D("5.0"), "%", "exact", None),
    ("平均为5.1%", "number", D("5.1"), "%", "exact", None),  # corpus national_2021_gwr
    ("上升0.8%", "number", D("0.8"), "%", "exact", "up"),
    ("上涨0.9%", "number", D("0.9"), "%", "exact", "up"),  # CPI 2021
    ("稳定在2万亩以上", "number", D("2"), "亩", "floor", None),
    ("降至32微克/立方米以下", "number", D("32"), "微克/立方米", "ceiling", None),
    ("下降到4.5%以内", "number", D("4.5"), "%", "ceiling", None),
    ("提高到60%", "number", D("60"), "%", "floor", None),
    ("控制到5.5%以内", "number", D("5.5"), "%", "ceiling", None),
    ("16%的税率降至13%", "number", D("13"), "%", "ceiling", None),  # 2019 GWR: what precedes 降至 is the start
    ("提高0.5个百分点", "number", D("0.5"), "百分点", "exact", "up"),
    ("筹集1500套", "number", D("1500"), "套", "exact", None),
    ("完成投资358亿元", "number", D("358"), "元", "exact", None),
    ("新增5000户", "number", D("5000"), "户", "exact", None),
    ("再降低20%以上", "number", D("20"), "%", "floor", "down"),  # 2019 GWR 资费
])
def test_wording_reads(text, kind, value, unit, bound, growth):
    e = parse(text)
    assert (e.kind, e.value, e.unit, e.bound, e.growth) == (kind, value, unit, bound, growth)


@pytest.mark.parametrize("text, low, high", [("6%-6.5%", D(6), D("6.5")), ("5%—5.5%", D(5), D("5.5")),
                                             ("4.8%到5.1%", D("4.8"), D("5.1"))])
def test_ranges(text, low, high):
    e = parse(text)
    assert (e.kind, e.low, e.high, e.unit) == ("range", low, high, "%")


def test_floor_with_a_stretch_goal():
    e = parse("7%以上，力争8%")
    assert (e.kind, e.value, e.bound, e.stretch.value) == ("number", D(7), "floor", D(8))
    met_not_stretch = evaluate("地区生产总值", e, parse("7.5%"))
    assert met_not_stretch.status == "met" and met_not_stretch.rate == D("107.14")  # 7.5 / 7, scored on the floor
    assert "力争目标8%未实现" in met_not_stretch.note
    assert "力争目标8%已实现" in evaluate("地区生产总值", e, parse("8.2%")).note
    assert evaluate("地区生产总值", e, parse("6.8%")).status == "unmet"


@pytest.mark.parametrize("text", ["待发布", "待统计局发布", "暂无数据", "尚未公布", "待定"])
def test_placeholders_are_pending(text):
    assert parse(text).kind == "pending"
    ev = evaluate("城镇新增就业", parse("1100万人以上"), parse(text))
    assert ev.status == "not_computable" and "尚未" in ev.note


@pytest.mark.parametrize("name, target, actual, status", [
    ("城镇调查失业率", "5.5%以内", "4.8%到5.1%", "met"),  # 2018 GWR: both ends inside the ceiling
    ("居民消费价格涨幅", "3%左右", "上涨0.9%", "met"),  # a CPI target is an upper limit
    ("城镇调查失业率", "5.5%左右", "平均为5.1%", "met"),
    ("单位GDP能耗", "下降2.5%", "上升0.8%", "unmet"),  # a rise against a planned fall: unmet, not "not computable"
    ("耕地保有量", "稳定在2万亩以上", "2.1万亩", "met"),
    ("耕地保有量", "稳定在2万亩以上", "1.9万亩", "unmet"),
    ("PM2.5平均浓度", "降至32微克/立方米以下", "30微克/立方米", "met"),
    ("PM2.5平均浓度", "降至32微克/立方米以下", "34微克/立方米", "unmet"),
    ("制造业等行业现行税率", "16%的税率降至13%", "降至13%", "met"),
    ("移动网络流量平均资费降低", "再降低20%以上", "降低41%", "met"),
    ("研发经费投入强度", "提高0.5个百分点", "提高0.6个百分点", "met"),
    ("研发经费投入强度", "提高0.5个百分点", "提高0.3个百分点", "unmet"),
    ("保障性租赁住房", "筹集1500套", "1620套", "met"),
    ("重大项目", "完成投资358亿元", "完成投资300亿元", "unmet"),
    ("农村电网改造", "新增5000户", "新增5200户", "met"),
    ("国内生产总值增长", "6%-6.5%", "6.1%", "met"),
    ("地区生产总值", "5%—5.5%", "4.9%", "unmet"),
    ("减轻企业税收和社保缴费负担", "近2万亿元", "超过2.3万亿元", "met"),
])
def test_wording_scored(name, target, actual, status):
    assert evaluate(name, parse(target), parse(actual)).status == status


def test_qualitative_target_against_a_number_is_not_computable():
    ev = evaluate("居民收入", parse("稳步增长"), parse("实际增长7.2%"))
    assert ev.status == "not_computable"


@pytest.mark.parametrize("name, target, actual, status, rate", [
    # The name carries the direction and the cells are bare numbers (单位 %): falls, not levels under a ceiling.
    ("单位GDP能耗下降", "3.5", "2.9", "unmet", D("82.86")),  # 2.9 / 3.5
    ("二氧化硫排放量下降", "3", "4.4", "met", D("146.67")),  # 2019 GWR: 分别下降4.4%
    ("氨氮排放量下降", "2", "3.3", "met", D("165")),
])
def test_direction_from_the_indicator_name(name, target, actual, status, rate):
    t, a = target_actual(target, actual, "%")
    ev = evaluate(name, t, a)
    assert (ev.status, ev.rate) == (status, rate)


def test_a_rise_under_a_falling_name_is_unmet():
    t, a = target_actual("3.5", "上升0.4%", "%")
    assert evaluate("单位GDP能耗下降", t, a).status == "unmet"


@pytest.mark.parametrize("word, said", [("完成", "met"), ("超额完成", "met"), ("基本完成", "close"), ("未完成", "unmet"),
                                        ("加倍完成", None)])
def test_verdict_words(word, said):
    assert verdict_of(word) == said


@pytest.mark.parametrize("text", ["1E-25", "0.0000000000000000000000001", "9" * 50 + "%", "1" + "0" * 30])
def test_numbers_no_indicator_holds_are_invalid(text):
    e = parse(text)
    assert e.kind == "invalid" and e.error


def test_a_level_reached_is_exact_as_an_actual():
    # "提高到61%" as an actual is where the level stands (61%), not "at least 61%".
    ev = evaluate("森林覆盖率", parse("提高到60%"), parse("提高到61%"))
    assert (ev.status, ev.rate, ev.note) == ("met", D("101.67"), None)
    assert parse("降至13%").reached and not parse("降至30微克/立方米以下").reached
