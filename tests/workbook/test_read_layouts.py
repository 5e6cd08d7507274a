"""Move the report's table around: the reader must find the same rows wherever and however they sit."""
import pytest

from addin.common.model import cell_ref
from addin.workbook.read import read_workbook
from layouts import Styled, indicator_table, seed_indicators, seed_targets, write_xlsx

SEED = seed_indicators()


def _rows_of(data, kind="completion"):
    return [r for t in data.tables if t.kind == kind for r in t.rows]


def _assert_seed(rows, seed=SEED):
    assert [r.name.text for r in rows] == [i["name"] for i in seed]
    assert [r.target.text for r in rows] == [i["target"] for i in seed]
    assert [r.actual.text for r in rows] == [i["actual"] for i in seed]
    assert [float(r.rate.text.rstrip("%")) if r.rate.text != "—" else None for r in rows] == \
        [float(i["rate"].rstrip("%")) if i["rate"] != "—" else None for i in seed]
    assert [r.rate.underline for r in rows] == [i["underline"] for i in seed]


@pytest.mark.parametrize("order", [
    ("category", "no", "name", "target", "actual", "rate"),
    ("no", "name", "category", "rate", "actual", "target"),
    ("name", "target", "actual", "rate"),
    ("rate", "target", "name", "no", "actual"),
])
def test_column_orders_and_titles_above(tmp_path, order):
    rows, merges = indicator_table(SEED, order, start_row=5)
    path = write_xlsx(tmp_path / "t.xlsx", {"执行情况表": [["附件1"], [], ["2025年重点任务执行情况"], [], *rows]},
                      merges={"执行情况表": merges})
    data = read_workbook(path)
    (table,) = data.tables
    assert table.header_row == 5 and table.year == 2025 and table.title == "2025年重点任务执行情况"
    _assert_seed(table.rows)
    rate_col = order.index("rate") + 1
    assert table.rows[21].rate.ref == f"执行情况表!{'ABCDEF'[rate_col - 1]}{5 + 22}"
    if "category" in order:
        assert [r.category for r in table.rows] == [i["category"] for i in SEED]


@pytest.mark.parametrize("words", [
    {"name": "指标名称", "target": "年度目标", "actual": "执行情况", "rate": "完成比例"},
    {"name": "项目", "target": "预期目标", "actual": "实际完成", "rate": "完 成 率"},
    {"name": "主要指标", "target": "2025年目标", "actual": "完成\n情况", "rate": "完成率（%）", "category": "领域"},
    {"name": "指　标", "target": "计划目标", "actual": "完成值", "rate": "完成进度", "no": "编号", "category": "分类"},
    {"name": "指标名称", "target": "目标值", "actual": "完成数", "rate": "完成率%"},  # unit after the word, no brackets
    {"name": "指标名称", "target": "目标值", "actual": "完成数", "rate": "完成率％"},
])
def test_header_synonyms(tmp_path, words):
    rows, merges = indicator_table(SEED, headers=words, rates="text", start_row=2)
    path = write_xlsx(tmp_path / "s.xlsx", {"Sheet1": [["表"], *rows]}, merges={"Sheet1": merges})
    (table,) = read_workbook(path).tables
    assert table.kind == "completion"
    _assert_seed(table.rows)


def test_rates_as_text_keep_their_text(tmp_path):
    rows, _ = indicator_table(SEED, rates="text", category="every")
    (table,) = read_workbook(write_xlsx(tmp_path / "x.xlsx", {"A": rows})).tables
    assert table.rows[18].rate.text == "122.50%"
    assert table.rows[0].rate.text == "68.75%" and table.rows[0].rate.number_format == "General"


def test_category_fill_down_without_merges(tmp_path):
    rows, merges = indicator_table(SEED, category="down")
    assert merges == []
    (table,) = read_workbook(write_xlsx(tmp_path / "x.xlsx", {"A": rows})).tables
    assert [r.category for r in table.rows] == [i["category"] for i in SEED]
    assert table.rows[1].category_cell is None or not table.rows[1].category_cell.text


def test_repeated_header_inside_table_is_skipped(tmp_path):
    first, _ = indicator_table(SEED[:17], category="down")
    second, _ = indicator_table(SEED[17:], category="down")
    path = write_xlsx(tmp_path / "x.xlsx", {"附件1": [["2025年执行情况"], *first, [], *second, [], ["注：下划线表示未完成"]]})
    (table,) = read_workbook(path).tables
    _assert_seed(table.rows)
    assert [r.category for r in table.rows] == [i["category"] for i in SEED]


def test_two_years_in_one_sheet(tmp_path):
    old = [dict(i, rate=i["rate"]) for i in SEED[:8]]
    first, _ = indicator_table(old, category="down")
    second, _ = indicator_table(SEED, category="down")
    path = write_xlsx(tmp_path / "x.xlsx", {"汇总": [["2024年执行情况"], *first, [], ["注：单位为%"], [],
                                                     ["2025年执行情况"], *second]})
    tables = read_workbook(path).tables
    assert [(t.year, len(t.rows)) for t in tables] == [(2024, 8), (2025, 48)]
    _assert_seed(tables[1].rows)
    assert tables[1].header_row == 1 + len(first) + 3 + 1 + 1


def test_two_years_without_title_split_on_numbering(tmp_path):
    first, _ = indicator_table(SEED[:8])
    second, _ = indicator_table(SEED[:8])
    tables = read_workbook(write_xlsx(tmp_path / "x.xlsx", {"A": [*first, [], *second]})).tables
    assert [len(t.rows) for t in tables] == [8, 8]


def test_two_years_in_two_sheets_and_plan_sheet(tmp_path):
    a, ma = indicator_table(SEED[:8], start_row=2)
    b, mb = indicator_table(SEED, start_row=2)
    plan = [["序号", "指标名称", "单位", "全年目标"]] + [[t["no"], t["name"], t["unit"], t["target"]] for t in seed_targets()]
    path = write_xlsx(tmp_path / "x.xlsx", {"2024年": [["执行情况"], *a], "2025年": [["执行情况"], *b],
                                            "目标": [["2026年主要目标"], *plan]},
                      merges={"2024年": ma, "2025年": mb})
    data = read_workbook(path)
    assert [(t.sheet, t.kind, t.year, len(t.rows)) for t in data.tables] == [
        ("2024年", "completion", 2024, 8), ("2025年", "completion", 2025, 48), ("目标", "plan", 2026, 9)]
    assert data.tables[1].rows[21].rate.ref == cell_ref("2025年", 24, 6)


def test_unit_column(tmp_path):
    units = {"技术合同成交额": "亿元", "新增托位数": "个"}
    rows, merges = indicator_table(SEED, ("category", "no", "name", "unit", "target", "actual", "rate"),
                                   headers={"unit": "计量单位"}, units=units)
    (table,) = read_workbook(write_xlsx(tmp_path / "x.xlsx", {"A": rows}, merges={"A": merges})).tables
    assert table.columns["unit"] == 4
    assert table.rows[21].unit.text == "亿元" and table.rows[0].unit.text == ""
    _assert_seed(table.rows)


def test_full_width_digits_kept_as_typed(tmp_path):
    rows = [["指标", "目标", "完成情况", "完成率"], ["地区生产总值", "８％左右", "５.５％", "６８.７５％"]]
    (table,) = read_workbook(write_xlsx(tmp_path / "x.xlsx", {"A": rows})).tables
    assert (table.rows[0].target.text, table.rows[0].rate.text) == ("８％左右", "６８.７５％")


def test_footnotes_and_section_rows(tmp_path):
    rows = [["指标", "目标", "完成情况"], ["一、主要经济指标"], ["地区生产总值", "8%左右", Styled(0.055, "0.0%")],
            ["二、民生"], ["新增托位数", "3593个", "3645个"], ["注：下划线表示未完成"], ["说明：数据为快报数"]]
    (table,) = read_workbook(write_xlsx(tmp_path / "x.xlsx", {"A": rows})).tables
    assert [(r.name.text, r.category, r.actual.text) for r in table.rows] == [
        ("地区生产总值", "一、主要经济指标", "5.5%"), ("新增托位数", "二、民生", "3645个")]
    assert table.rows[0].rate is None
