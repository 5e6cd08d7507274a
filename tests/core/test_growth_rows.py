"""Growth checks in the row pass, on the sample and on a second workbook built here.

One pass per row: a growth target against a level actual is scored with last
year's level before the row's findings are issued, so its rate cell tells one
story and its underline is checked against the final status. Figures are
worked by hand (decimal, half-up to 2 dp; the implied growth is scored as shown).
"""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.styles import Font

from addin.app.pipeline import check_workbook
from tests.layouts import Styled, write_xlsx


def _sample_with(sample_path, tmp_path, base_2024, rate=None, underline=False):
    """The sample with 固定资产投资's 2024 level filled and a 完成率 typed for it (附件1!F5)."""
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["基础数据"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "固定资产投资" and ws.cell(r, 2).value == 2024)
    ws.cell(row, 3).value = base_2024
    if rate is not None:
        wb["附件1"]["F5"].value = rate
        wb["附件1"]["F5"].number_format = "0.00%"
        wb["附件1"]["F5"].font = Font(underline="single" if underline else None)
    out = tmp_path / "filled.xlsx"
    wb.save(out)
    return check_workbook(out)


def _codes_on(result, cell):
    return [f.code for f in result.findings if f.cell == cell]


def test_wrong_rate_under_a_scored_growth_row_is_one_finding(sample_path, tmp_path):
    # 252.78 / 210 − 1 = 20.3714% -> 20.37%; against 18%以上: 20.37 / 18 = 113.17%, met. Typed 50%: wrong.
    result = _sample_with(sample_path, tmp_path, 210, rate=0.5)
    row = next(i for i in result.indicators if i.row == 5)
    assert (row.status, row.computed_rate, row.reported_rate) == ("met", 113.17, 50.0)
    assert _codes_on(result, "附件1!F5") == ["growth_rate_mismatch"]  # not also 无法核算
    assert "113.17%" in next(f.message for f in result.findings if f.cell == "附件1!F5")


def test_unmet_growth_row_gets_its_underline_check(sample_path, tmp_path):
    # 252.78 / 240 − 1 = 5.325% -> 5.33%; 5.33 / 18 = 29.61%, unmet; typed 50% without an underline.
    result = _sample_with(sample_path, tmp_path, 240, rate=0.5)
    row = next(i for i in result.indicators if i.row == 5)
    assert (row.status, row.computed_rate) == ("unmet", 29.61)
    assert _codes_on(result, "附件1!F5") == ["growth_rate_mismatch", "underline_mismatch"]
    entry = next(e for e in result.growth if e.kind == "growth_vs_level" and e.row == 5)
    assert (entry.status, entry.computed_rate, entry.implied_growth) == ("unmet", 29.61, 5.33)


def test_right_rate_under_a_scored_growth_row_says_nothing(sample_path, tmp_path):
    result = _sample_with(sample_path, tmp_path, 240, rate=0.2961, underline=True)
    assert _codes_on(result, "附件1!F5") == []


# --- a second workbook: another county's 附件1, 附件2 and 基础数据 ----------------------------------

ANNEX1 = [
    ["2025年某县国民经济和社会发展计划执行情况"],
    ["类别", "序号", "指标", "目标", "完成情况", "完成率"],
    ["主要经济指标", 1, "地区生产总值", "6%左右", Styled(0.062, "0.0%"), Styled(1.0333, "0.00%")],
    [None, 2, "固定资产投资", "10%以上", "115.5亿元", "—"],
    [None, 3, "一般公共预算收入", "5%以上", "20.4亿元", "—"],
    [None, 4, "规模以上工业增加值", "8%以上", Styled(0.09, "0.0%"), Styled(1.125, "0.00%")],
    ["人民生活", 5, "居民人均可支配收入", "与经济增长同步", Styled(0.065, "0.0%"), Styled(1.0833, "0.00%")],
]
ANNEX2 = [
    ["2026年主要目标"],
    ["序号", "指标名称", "单位", "全年目标"],
    [1, "地区生产总值", "%", "5.5%左右"],
    [2, "固定资产投资", "%", "8%"],
    [3, "一般公共预算收入", "%", "4%以上"],
]
LEVELS = [
    ["基础数据"],
    ["指标", "年份", "数值", "单位", "增速", "来源"],
    ["地区生产总值", 2025, 2000, "亿元", Styled(0.062, "0.0%"), "统计公报"],
    ["固定资产投资", 2024, 105, "亿元", None, "上年报告"],
    ["固定资产投资", 2025, 116, "亿元", None, "统计局快报"],  # disagrees with 附件1's 115.5
    ["一般公共预算收入", 2024, 20, "亿元", None, "上年报告"],
]
# The merges the sample's category column has.
MERGES = {"附件1": ["A3:A6"]}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    path = write_xlsx(tmp_path_factory.mktemp("county") / "county.xlsx",
                      {"附件1": ANNEX1, "附件2": ANNEX2, "基础数据": LEVELS}, merges=MERGES)
    return check_workbook(path)


def _entries(result, kind):
    return {e.name: e for e in result.growth if e.kind == kind}


def test_county_growth_rows_scored_against_last_years_level(county):
    rows = {i.name: i for i in county.indicators}
    # 115.5 / 105 − 1 = 10% exactly: 10 / 10 = 100%, met.
    fai = rows["固定资产投资"]
    assert (fai.status, fai.computed_rate, fai.kind, fai.cells["base"]) == ("met", 100.0, "growth", "基础数据!C4")
    # 20.4 / 20 − 1 = 2%: 2 / 5 = 40%, unmet.
    rev = rows["一般公共预算收入"]
    assert (rev.status, rev.computed_rate) == ("unmet", 40.0)
    scored = _entries(county, "growth_vs_level")
    assert (scored["固定资产投资"].implied_growth, scored["一般公共预算收入"].implied_growth) == (10.0, 2.0)
    assert not [f for f in county.findings if f.code in ("growth_base_missing", "rate_unverifiable")]


def test_county_same_year_levels_that_disagree(county):
    conflicts = [f for f in county.findings if f.code == "growth_level_conflict"]
    assert [f.cell for f in conflicts] == ["基础数据!C5"] and "115.5" in conflicts[0].message


def test_county_implied_levels_and_back_cast(county):
    implied = _entries(county, "implied_level")
    # 2000 × 1.055 = 2110; 116 × 1.08 = 125.28 (2025's own level, not 附件1's); 2025 revenue has no level.
    assert (implied["地区生产总值"].value, implied["地区生产总值"].year) == (2110.0, 2026)
    assert implied["固定资产投资"].value == 125.28
    assert "一般公共预算收入" not in implied
    # 2000 / 1.062 = 1883.2392 -> 1883.24 for 2024.
    back = _entries(county, "implied_prior_level")["地区生产总值"]
    assert (back.year, back.value) == (2024, 1883.24)


def test_county_relative_and_continuity(county):
    rel = _entries(county, "relative")["居民人均可支配收入"]
    # against the GDP target 6%: 6.5 / 6 = 108.33%; against the actual 6.2%: 6.5 / 6.2 = 104.84%.
    assert (rel.conventions["target"].rate, rel.conventions["actual"].rate) == (108.33, 104.84)
    gaps = {e.name: e.gap_points for e in county.growth if e.kind == "continuity"}
    assert gaps["地区生产总值"] == -0.7  # 5.5 − 6.2
    missing = [f.cell for f in county.findings if f.code == "growth_core_missing"]
    assert missing == ["附件1!C6"]  # 规模以上工业增加值 has no 2026 target


def test_county_json_shape(county):
    entry = county.to_json()["growth"]
    kinds = [e["kind"] for e in entry]
    assert kinds.index("implied_level") < kinds.index("growth_vs_level") < kinds.index("relative") < kinds.index("continuity")
    scored = next(e for e in entry if e["kind"] == "growth_vs_level" and e["name"] == "固定资产投资")
    assert list(scored) == ["kind", "name", "row", "year", "target", "actual", "cells", "base", "implied_growth",
                            "computed_rate", "status"]
    assert scored["base"] == {"year": 2024, "value": 105.0, "unit": "亿元"}


# --- several years in one workbook ------------------------------------------------------------------

def _year_sheet(year, gdp, industry):
    return [[f"{year}年国民经济和社会发展计划执行情况"], ["类别", "序号", "指标", "目标", "完成情况", "完成率"],
            ["主要经济指标", 1, "地区生产总值", "6%左右", gdp, None],
            [None, 2, "规模以上工业增加值", "8%以上", industry, None]]


def test_each_completion_year_pairs_only_with_the_next_years_plan(tmp_path):
    path = write_xlsx(tmp_path / "years.xlsx", {
        "2024年": _year_sheet(2024, "4%", "7%"),
        "2025年": _year_sheet(2025, "6.2%", "9%"),
        "2026年": [["2026年主要目标"], ["序号", "指标", "目标"], [1, "地区生产总值", "5.5%左右"]],
    }, merges={"2024年": ["A3:A4"], "2025年": ["A3:A4"]})
    result = check_workbook(path)
    continuity = [e for e in result.growth if e.kind == "continuity"]
    # 2025's GDP (6.2%) beside 2026's 5.5%左右; 2024's 4% is not paired with 2026.
    assert [(e.cells["actual"], e.gap_points) for e in continuity] == [("'2025年'!E3", -0.7)]
    missing = [f.cell for f in result.findings if f.code == "growth_core_missing"]
    assert missing == ["'2025年'!C4"]
