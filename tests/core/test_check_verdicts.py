"""Printed verdicts (完成 / 未完成 / 基本完成 / 超额完成) against the computed status, and the promise
that no pair of cell values makes the check raise.

The verdict rule: 超额完成 and 完成 say met, 未完成 says unmet; 基本完成 says "short, but close":
it agrees with unmet, and with met only where the actual is short of the number and met through
左右's tolerance (a rate under 100%).
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from addin.app.pipeline import check_workbook
from addin.common.model import Cell, IndicatorRow, SheetGrid, Table, WorkbookData
from addin.core.check import check_data
from tests.layouts import write_xlsx

SHEET = "附件1"


def _cell(row: int, col: int, value) -> Cell:
    text = "" if value is None else (format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value))
    return Cell(SHEET, row, col, value, text)


def _data(rows: list[tuple]) -> WorkbookData:
    """A completion table of (name, target, actual, rate, verdict) rows, as the reader hands it on."""
    table = Table(SHEET, 2, "completion", {"name": 1, "target": 2, "actual": 3, "rate": 4, "verdict": 5}, year=2025,
                  title="2025年计划执行情况", header_rows=(2,))
    for r, values in enumerate(rows, 3):
        name, target, actual, rate, verdict = values
        table.rows.append(IndicatorRow(
            SHEET, r, _cell(r, 1, name), target=_cell(r, 2, target), actual=_cell(r, 3, actual),
            rate=_cell(r, 4, rate) if rate is not None else None, verdict=_cell(r, 5, verdict) if verdict else None))
    return WorkbookData("verdicts.xlsx", [SHEET], [table], grids={SHEET: SheetGrid(SHEET)})


@pytest.mark.parametrize("target, actual, verdict, warned", [
    ("6%以上", "8.1%", "完成", False),
    ("6%以上", "8.1%", "超额完成", False),
    ("6%以上", "5.1%", "完成", True),  # 85%: the printed word says done, the numbers do not
    ("6%以上", "5.1%", "未完成", False),
    ("6%以上", "8.1%", "未完成", True),
    ("6%以上", "5.8%", "基本完成", False),  # short and close: unmet, as 基本 says
    ("8%左右", "7.8%", "基本完成", False),  # met only through 左右's tolerance (97.5%): 基本完成 fits
    ("6%以上", "8.1%", "基本完成", True),  # 135%: fully met, 基本 understates it
    ("6%以上", "暂无数据", "完成", False),  # nothing computed, nothing to compare
    ("6%以上", "8.1%", "加倍完成", False),  # not a verdict word PlanReport knows: left alone
])
def test_verdict_against_status(target, actual, verdict, warned):
    result = check_data(_data([("地区生产总值", target, actual, None, verdict)]))
    found = [f for f in result.findings if f.code == "verdict_mismatch"]
    assert bool(found) == warned
    if warned:
        assert found[0].cell == "附件1!E3" and found[0].severity == "warning" and verdict in found[0].message


def test_verdict_column_in_a_real_table(tmp_path):
    """A 完成情况 column of words beside a 预计值 value column (the reader's verdict role)."""
    path = write_xlsx(tmp_path / "v.xlsx", {"表1": [
        ["“十三五”规划主要指标完成情况"],
        ["序号", "指标名称", "目标值", "预计值", "完成情况"],
        [1, "全区生产总值（亿元）", 1000, 1008.5, "完成"],
        [2, "公共财政预算收入（亿元）", 80, 72.69, "完成"],  # 90.86%: printed 完成, the numbers say unmet
    ]})
    result = check_workbook(path)
    assert [f.cell for f in result.findings if f.code == "verdict_mismatch"] == ["表1!E4"]


# Values a cell can hold: numbers of any size, and text mixing digits, units and the grammar's words.
_WORDS = st.sampled_from(["%", "‰", "亿元", "万人", "以上", "以内", "左右", "下降", "增长", "力争", "降至", "提高到",
                          "-", "—", "到", "E", "e+30", "个百分点", "待发布", "同步", "，", "(", "基本"])
_TEXT = st.lists(st.one_of(_WORDS, st.from_regex(r"-?\d{1,60}(\.\d{1,30})?", fullmatch=True)), max_size=6).map("".join)
_VALUE = st.one_of(st.none(), _TEXT, st.floats(allow_nan=False, allow_infinity=False),
                   st.integers(min_value=-10**40, max_value=10**40),
                   st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: f"{d}%"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=_VALUE, actual=_VALUE, rate=_VALUE, name=st.sampled_from(["地区生产总值", "单位GDP能耗下降", "城镇登记失业率",
                                                                        "居民人均可支配收入", "固定资产投资"]))
def test_no_pair_of_cell_values_makes_the_check_raise(target, actual, rate, name):
    rows = [("地区生产总值", "5%—5.5%", "5.2%", None, None), (name, target, actual, rate, "完成"),
            ("城镇新增就业", "9000人以上", "9448人", None, None)]
    result = check_data(_data(rows))
    assert len(result.indicators) == 3
    last = result.indicators[-1]
    assert (last.status, last.computed_rate) == ("met", 104.98)  # the other rows still computed
    result.to_json()
    assert not [f for f in result.findings if "内部错误" in f.message]


def _levels_grid(name: str, level) -> SheetGrid:
    grid = SheetGrid("基础数据")
    header = ["指标", "年份", "数值", "单位"]
    grid.rows = [[Cell("基础数据", 1, c, w, w) for c, w in enumerate(header, 1)],
                 [_levels_cell(2, c, v) for c, v in enumerate([name, 2024, level, "亿元"], 1)]]
    return grid


def _levels_cell(row: int, col: int, value) -> Cell:
    cell = _cell(row, col, value)
    cell.sheet = "基础数据"
    return cell


_NUMBER_TEXT = st.one_of(st.from_regex(r"-?\d{1,40}(\.\d{1,30})?", fullmatch=True),
                         st.floats(allow_nan=False, allow_infinity=False).map(lambda f: format(Decimal(repr(f)), "f")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(growth=_NUMBER_TEXT, actual=_NUMBER_TEXT, level=st.one_of(_NUMBER_TEXT, st.floats(allow_nan=False, allow_infinity=False)),
       rate=_VALUE)
def test_no_level_or_growth_makes_the_growth_scoring_raise(growth, actual, level, rate):
    """A growth target against a level actual, scored with last year's level from 基础数据: any numbers."""
    data = _data([("固定资产投资", f"{growth}%以上", f"{actual}亿元", rate, "完成"),
                  ("城镇新增就业", "9000人以上", "9448人", None, None)])
    data.grids["基础数据"] = _levels_grid("固定资产投资", level)
    result = check_data(data)
    assert len(result.indicators) == 2 and result.indicators[-1].computed_rate == 104.98
    result.to_json()


@pytest.mark.parametrize("level, actual, said", [
    (0, "5亿元", "上年总量为零"),  # no growth from nothing (a division by zero before)
    ("0.0000000001", "1000000000000000亿元", "超出可核算范围"),  # growth of 10^27 %: a slip in a cell
])
def test_last_years_level_that_gives_no_growth_rate(level, actual, said):
    data = _data([("固定资产投资", "10%以上", actual, "50%", None), ("城镇新增就业", "9000人以上", "9448人", None, None)])
    data.grids["基础数据"] = _levels_grid("固定资产投资", level)
    result = check_data(data)
    row = result.indicators[0]
    assert row.status == "not_computable" and said in row.note
    assert [f.code for f in result.findings if f.cell == "附件1!D3"] == ["rate_unverifiable"]
    assert result.indicators[1].computed_rate == 104.98


_LEVEL_VALUE = st.one_of(st.none(), _NUMBER_TEXT, st.sampled_from(["0", "-0", "0.0000000001", "999999999999999"]))
_GROWTH_VALUE = st.one_of(st.none(), _NUMBER_TEXT.map(lambda t: t + "%"), st.sampled_from(["-100%", "下降100%", "0%"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(levels=st.lists(st.tuples(st.sampled_from([2024, 2025, 2026]), _LEVEL_VALUE, _GROWTH_VALUE), max_size=4),
       plan=st.one_of(_NUMBER_TEXT.map(lambda t: t + "%"), st.sampled_from(["与经济增长同步", "-100%"])))
@example(levels=[(2024, "0", None), (2025, "5", "10%")], plan="5%")  # growth from a level of zero
@example(levels=[(2025, "100", "-100%")], plan="5%")  # back-cast through a fall of 100%
@example(levels=[(2024, "0.0000000001", None), (2025, "999999999999999", "5%")], plan="5%")  # a growth of 10^26 %
def test_no_levels_sheet_makes_the_growth_checks_raise(levels, plan):
    """基础数据 rows of any level and growth for one indicator, beside a plan target for it."""
    data = _data([("地区生产总值", "6%左右", "6.2%", None, None), ("城镇新增就业", "9000人以上", "9448人", None, None)])
    grid = SheetGrid("基础数据")
    grid.rows = [[_levels_cell(1, c, w) for c, w in enumerate(["指标", "年份", "数值", "单位", "增速"], 1)]]
    for r, (year, value, growth) in enumerate(levels, 2):
        grid.rows.append([_levels_cell(r, c, v) for c, v in enumerate(["地区生产总值", year, value, "亿元", growth], 1)])
    data.grids["基础数据"] = grid
    plan_table = Table("附件2", 1, "plan", {"name": 1, "target": 2}, year=2026)
    plan_table.rows.append(IndicatorRow("附件2", 2, Cell("附件2", 2, 1, "地区生产总值", "地区生产总值"),
                                        target=Cell("附件2", 2, 2, plan, plan)))
    data.tables.append(plan_table)
    result = check_data(data)
    assert [i.computed_rate for i in result.indicators] == [103.33, 104.98]
    result.to_json()
