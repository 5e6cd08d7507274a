"""The sample workbook, rebuilt from the script, read back by addin.workbook.read."""
from collections import Counter

import pytest

from addin.workbook.read import read_workbook
from layouts import _sample_module, seed_indicators


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return _sample_module().main(tmp_path_factory.mktemp("s") / "kundulun-2025.xlsx")


@pytest.fixture(scope="module")
def data(sample):
    return read_workbook(sample)


def test_rebuild_is_byte_identical(sample, tmp_path):
    again = _sample_module().main(tmp_path / "again.xlsx")
    assert again.read_bytes() == sample.read_bytes()


def test_committed_sample_matches_script(sample):
    from layouts import ROOT

    assert (ROOT / "workbooks" / "kundulun-2025.xlsx").read_bytes() == sample.read_bytes()


def test_tables_and_counts(data):
    kinds = [(t.sheet, t.kind, len(t.rows)) for t in data.tables]
    assert kinds == [("附件1", "completion", 48), ("附件2", "plan", 9)]
    assert data.tables[0].year == 2025 and data.tables[1].year == 2026
    assert data.tables[0].title == "2025年昆都仑区国民经济和社会发展计划重点任务执行情况"
    assert data.findings == []


def test_categories(data):
    counts = Counter(r.category for r in data.tables[0].rows)
    assert counts == {"主要经济指标": 8, "重大项目与招商引资": 3, "构建现代化产业体系": 6, "聚焦改革创新": 9,
                      "统筹城乡融合": 7, "坚持绿色发展": 4, "保障和改善民生": 11}
    assert all(r.category == "保障和改善民生" for r in data.tables[0].rows[37:])


def test_texts_equal_the_report(data):
    seed = seed_indicators()
    for row, ind in zip(data.tables[0].rows, seed):
        assert (row.no.text, row.name.text, row.target.text, row.actual.text) == (
            str(ind["no"]), ind["name"], ind["target"], ind["actual"])
        # 122.50% is stored as 1.225: the reader gives the number, not the display padding.
        assert float(row.rate.text.rstrip("%")) == float(ind["rate"].rstrip("%")) if ind["rate"] != "—" \
            else row.rate.text == "—"
    quick = next(r for r in data.tables[0].rows if r.name.text == "即办件比率")
    assert (quick.actual.text, quick.rate.text) == ("83.41%", "104.26%")


def test_underline_only_on_unmet_rates(data):
    underlined = [c.ref for t in data.tables for r in t.rows
                  for c in (r.name, r.target, r.actual, r.rate) if c is not None and c.underline]
    assert underlined == ["附件1!F3", "附件1!F8"]
    first = data.tables[0].rows[0]
    assert (first.rate.text, first.rate.number_format) == ("68.75%", "0.00%")


def test_cell_refs(data):
    row22 = data.tables[0].rows[21]
    assert row22.name.text == "技术合同成交额"
    assert (row22.target.ref, row22.actual.ref, row22.rate.ref) == ("附件1!D24", "附件1!E24", "附件1!F24")
    assert data.tables[1].rows[8].target.ref == "附件2!D11"


def test_plan_rows(data):
    plan = data.tables[1]
    assert plan.columns == {"no": 1, "name": 2, "unit": 3, "target": 4}
    assert [(r.name.text, r.unit.text, r.target.text) for r in plan.rows][5] == (
        "城镇常住居民人均可支配收入", "%", "经济增长基本同步")
