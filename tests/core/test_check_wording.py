"""The check on real .xlsx tables holding other units' wording: printed-rate precision, placeholders,
qualitative targets, directions carried by names, 同步 against a range, and cells no arithmetic can take.

Expected figures are worked by hand (decimal, half-up) from the numbers in the cells.
"""
from __future__ import annotations

import pytest

from addin.app.pipeline import check_workbook
from tests.layouts import Styled, write_xlsx

HEADER = ["序号", "指标", "单位", "目标", "完成情况", "完成率"]


def _check(tmp_path, rows, title="2025年国民经济和社会发展计划执行情况"):
    path = write_xlsx(tmp_path / "t.xlsx", {"附件1": [[title], HEADER, *rows]})
    result = check_workbook(path)
    return result, {i.row: i for i in result.indicators}


def _on(result, row, col="F"):
    return [f for f in result.findings if f.cell == f"附件1!{col}{row}"]


def test_rates_compared_at_the_precision_the_cell_shows(tmp_path):
    result, rows = _check(tmp_path, [
        [1, "重点项目完成投资", "亿元", 899, 804, "89.4%"],  # 89.432… shown to 1 dp: agrees
        [2, "重点项目开工", "个", 1000, 803.5, "80.2%"],  # 80.35 -> 80.4 at 1 dp, printed 80.2: a slip
        [3, "已落实资金", "亿元", 899, 804, Styled(0.894, "0.0%")],  # number shown "89.4%": agrees
        [4, "计划新开工项目", "项", 270, 129, Styled(0.47, "0%")],  # 47.78 -> 48 at whole percent, shown 47: slip
        [5, "省重点项目", "亿元", 80.18, 8.19, Styled(10.2, "0.0")],  # 10.2145 -> 10.2 at 1 dp: agrees
        [6, "市重点项目", "亿元", 80.18, 8.19, Styled(10.2, "0.00")],  # shown "10.20", computed 10.21: slip
        [7, "区重点项目", "亿元", 44.62, 6.5, "14.57%"],  # 14.5675 -> 14.57: agrees
    ])
    mismatched = sorted(f.cell for f in result.findings if f.code == "rate_mismatch")
    assert mismatched == ["附件1!F4", "附件1!F6", "附件1!F8"]  # rows 2, 4 and 6 of the table
    assert "80.2%" in _on(result, 4)[0].message and "80.35%" in _on(result, 4)[0].message


def test_placeholder_actuals_are_infos_not_errors(tmp_path):
    result, rows = _check(tmp_path, [
        [1, "单位国内生产总值能耗降低", "%", "3%左右", "暂无数据", None],
        [2, "居民人均可支配收入", "%", "6%以上", "待统计局发布", "待发布"],  # no rate stated either
        [3, "城镇新增就业", "万人", "1100万人以上", "1269万人", None],
    ])
    assert rows[3].status == rows[4].status == "not_computable"
    assert [f.severity for f in _on(result, 3, "E") + _on(result, 4, "E")] == ["info", "info"]
    assert _on(result, 4) == [] and rows[4].reported_rate is None
    assert rows[5].status == "met" and not result.has_errors


def test_qualitative_target_against_a_number_is_an_info(tmp_path):
    result, rows = _check(tmp_path, [[1, "居民收入", None, "稳步增长", "增长7.2%", None]])
    assert rows[3].status == "not_computable"
    assert [f.severity for f in result.findings] == ["info"] and not result.has_errors


def test_direction_carried_by_the_name(tmp_path):
    result, rows = _check(tmp_path, [
        [1, "单位GDP能耗下降", "%", 3.5, 2.9, None],  # fell 2.9 against a planned 3.5: unmet
        [2, "二氧化硫排放量下降", "%", 3, 4.4, None],  # fell 4.4 against 3: met
    ])
    assert (rows[3].status, rows[3].computed_rate) == ("unmet", 82.86)
    assert (rows[4].status, rows[4].computed_rate) == ("met", 146.67)


@pytest.mark.parametrize("convention, status, rate", [("target", "met", 102.0), ("actual", "met", 98.08)])
def test_in_step_with_a_gdp_range_uses_its_lower_bound(tmp_path, convention, status, rate):
    (tmp_path / "planreport.toml").write_text(f'relative_convention = "{convention}"\n', encoding="utf-8")
    result, rows = _check(tmp_path, [
        [1, "地区生产总值", "%", "5%—5.5%", "5.2%", None],
        [2, "居民人均可支配收入", "%", "与经济增长（基本）同步", "5.1%", None],
    ])
    # target: 5.1 / 5 (the range's lower bound) = 102%; actual: 5.1 / 5.2 = 98.08%, within 基本's tolerance.
    assert (rows[4].status, rows[4].computed_rate) == (status, rate)


def test_one_bad_cell_is_one_finding_and_the_rest_is_computed(tmp_path):
    result, rows = _check(tmp_path, [
        [1, "地区生产总值", "%", "8%左右", "5.5%", None],
        [2, "技术合同成交额", "亿元", 1e-25, 1e12, None],
        [3, "社会消费品零售总额", "%", "9" * 50 + "%", "6%", None],
        [4, "城镇新增就业", "人", "9000人以上", "9448人", None],
    ])
    assert (rows[3].computed_rate, rows[3].status) == (68.75, "unmet")
    assert (rows[6].computed_rate, rows[6].status) == (104.98, "met")
    assert rows[4].status == rows[5].status == "not_computable"
    assert [f.code for f in _on(result, 4, "D")] == ["unparsed_target"]
    assert [f.code for f in _on(result, 5, "D")] == ["unparsed_target"]
    assert "内部错误" not in " ".join(f.message for f in result.findings)
