"""The same 48 answers wherever and however the seed table sits: the check, not just the reader."""
import re

import pytest

from addin.app.pipeline import check_workbook
from layouts import indicator_table, seed_indicators, seed_targets, write_xlsx

SEED = seed_indicators()


def _answers(result, sheet=None):
    rows = [i for i in result.indicators if sheet is None or i.sheet == sheet]
    return [(i.name, i.computed_rate, i.status, i.reported_rate) for i in rows]


@pytest.fixture(scope="module")
def expected(sample_result):
    return _answers(sample_result)


def _mismatches(result):
    return [f for f in result.findings if f.code == "rate_mismatch"]


@pytest.mark.parametrize("order, headers, rates, category", [
    (("no", "name", "category", "rate", "actual", "target"), {}, "number", "merge"),
    (("name", "target", "actual", "rate"), {"name": "指标名称", "target": "年度目标", "actual": "执行情况", "rate": "完成比例"}, "text", "merge"),
    (("category", "no", "name", "target", "actual", "rate"), {"target": "预期目标", "actual": "实际完成", "category": "领域"}, "text", "down"),
    (("rate", "target", "name", "no", "actual"), {"rate": "完成率（%）", "actual": "完成\n情况"}, "number", "merge"),
])
def test_moved_tables_give_the_same_answers(tmp_path, expected, order, headers, rates, category):
    rows, merges = indicator_table(SEED, order, headers=headers, rates=rates, category=category, start_row=4)
    path = write_xlsx(tmp_path / "moved.xlsx", {"执行表": [["关于2025年计划执行情况的附表"], [], [], *rows]},
                      merges={"执行表": merges})
    result = check_workbook(path)
    assert _answers(result) == expected
    (mismatch,) = _mismatches(result)
    row22 = next(i for i in result.indicators if i.name == "技术合同成交额")
    assert mismatch.cell == row22.cells["rate"]


def _split_unit(text):
    """'101个' -> ('101', '个'); texts with words or bounds stay as they are."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(个|户|家|项|所|座|处|公里|人|%)", text)
    return (m.group(1), m.group(2)) if m else (text, None)


def test_unit_column_with_bare_numbers(tmp_path, expected):
    moved, units = [], {}
    for ind in SEED:
        target, t_unit = _split_unit(ind["target"])
        actual, a_unit = _split_unit(ind["actual"])
        if t_unit and t_unit == a_unit:
            ind = {**ind, "target": target, "actual": actual}
            units[ind["name"]] = t_unit
        moved.append(ind)
    assert len(units) > 20  # the test really moved units into the column
    rows, merges = indicator_table(moved, ("category", "no", "name", "unit", "target", "actual", "rate"),
                                   rates="text", units=units, start_row=2)
    path = write_xlsx(tmp_path / "units.xlsx", {"附表": [["执行情况"], *rows]}, merges={"附表": merges})
    result = check_workbook(path)
    assert [(i.name, i.computed_rate, i.status) for i in result.indicators] == [e[:3] for e in expected]


def test_two_years_in_one_workbook(tmp_path, expected):
    earlier = [{**ind, "actual": ind["target"], "rate": "100%", "underline": False} for ind in SEED[:10]]
    old_rows, old_merges = indicator_table(earlier, start_row=2)
    new_rows, new_merges = indicator_table(SEED, start_row=2)
    path = write_xlsx(tmp_path / "years.xlsx", {
        "2024年": [["2024年执行情况"], *old_rows],
        "2025年": [["2025年执行情况"], *new_rows],
    }, merges={"2024年": old_merges, "2025年": new_merges})
    result = check_workbook(path)
    assert _answers(result, "2025年") == expected
    assert len(result.indicators) == 58
    assert _mismatches(result)[0].cell.startswith("'2025年'!")


def test_plan_table_beside_the_completion_table(tmp_path, expected):
    rows, merges = indicator_table(SEED, start_row=1)
    plan = [["序号", "指标名称", "单位", "全年目标"]] + [[t["no"], t["name"], t["unit"], t["target"]] for t in seed_targets()]
    path = write_xlsx(tmp_path / "both.xlsx", {"附件一": rows, "附件二": [["2026年主要目标"], [], *plan]},
                      merges={"附件一": merges})
    result = check_workbook(path)
    assert _answers(result) == expected
    assert [t.target for t in result.targets] == [t["target"] for t in seed_targets()]
