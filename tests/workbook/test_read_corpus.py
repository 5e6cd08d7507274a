"""The reading map of every corpus workbook (tests/corpus): the right tables, header rows, roles and rows.

Expectations are read off the source tables as the corpus scripts lay them out
(their docstrings and build() functions), never off PlanReport's output: which
column the printed header puts each role in, which rows hold indicators, which
heading rows head a section, where a verdict column or a unit note sits.
"""
from __future__ import annotations

import pytest

from addin.app.pipeline import check_workbook
from addin.workbook.read import read_workbook
from corpus.build_all import SLUGS, corpus_modules

MODULES = dict(zip(SLUGS, corpus_modules()))

# slug -> the tables of its workbook, as the source's header prints them.
MAPS = {
    # 序号 | 指标 | 单位 | 年度目标 | 实际完成 | 备注 — the 备注 holds phrases, not a verdict column.
    "national_2018_gwr": [dict(sheet="2018年目标落实", kind="completion", header_rows=[3], first_row=4, last_row=10,
                               columns=dict(no="A", name="B", unit="C", target="D", actual="E"), year=2018)],
    # "2019年" over 目标 | 落实结果; 完成情况 (all 完成) merged down beside the value column: a verdict.
    "national_2019_gwr": [dict(sheet="2019年量化指标", kind="completion", header_rows=[2, 3], first_row=4, last_row=15,
                               columns=dict(no="A", name="B", unit="C", target="D", actual="E", verdict="F"),
                               year=2019)],
    # 2021年目标值 | 2021年实际值 | 完成情况 (one 完成, the rest blank) | 备注.
    "national_2021_gwr": [dict(sheet="2021年目标完成", kind="completion", header_rows=[2], first_row=4, last_row=13,
                               columns=dict(no="A", name="B", target="C", actual="D", verdict="E"), year=2021)],
    # "2020年" over 目标值 | 预计值 | 完成情况; 表1 above is a label, not the title.
    "yuecheng_13th_plan": [dict(sheet="表1", kind="completion", header_rows=[3, 4], first_row=5, last_row=7,
                                columns=dict(no="A", name="B", target="C", actual="D", verdict="E"), year=2020)],
    # 项目类别 names the rows; 年度计划投资 | 1-2月累计完成投资 | 完成年度计划; 宗数 and 备注 are no roles.
    "huiyang_key_projects": [dict(sheet="重点项目", kind="completion", header_rows=[3], first_row=5, last_row=12,
                                  columns=dict(no="A", name="B", target="D", actual="E", rate="F"), year=None)],
    "zhonglou_major_projects": [dict(sheet="重大项目", kind="completion", header_rows=[1], first_row=2, last_row=4,
                                     columns=dict(no="A", name="B", target="C", actual="D", rate="E"), year=None)],
    # 指标 | 单位 | 年度计划 | 1-4月累计 | 完成进度 | 备注; the year from the sheet name.
    "jiangmen_key_projects": [
        dict(sheet="2013年1-4月", kind="completion", header_rows=[1], first_row=2, last_row=3,
             columns=dict(name="A", unit="B", target="C", actual="D", rate="E"), year=2013),
        dict(sheet="2021年1-3月", kind="completion", header_rows=[1], first_row=2, last_row=3,
             columns=dict(name="A", unit="B", target="C", actual="D", rate="E"), year=2021)],
    # 序号 | 指标 | 单位 | 年计划 | 前三季度累计 | 完成计划% | 完成情况 (超额完成 words).
    "lufeng_key_projects": [dict(sheet="重点项目", kind="completion", header_rows=[2], first_row=3, last_row=6,
                                 columns=dict(no="A", name="B", unit="C", target="D", actual="E", rate="F",
                                              verdict="G"), year=None)],
}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return {slug: module.build(folder / f"{slug}.xlsx") for slug, module in MODULES.items()}


def test_every_corpus_workbook_has_a_map():
    assert set(MAPS) == set(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_reading_map(books, slug):
    result = check_workbook(books[slug]).to_json()
    keys = ("sheet", "kind", "header_rows", "first_row", "last_row", "columns", "year")
    assert [{k: t[k] for k in keys} for t in result["tables"]] == MAPS[slug]
    assert result["skipped"] == []
    assert not [f for f in result["findings"] if f["code"] == "table_unreadable"]


@pytest.mark.parametrize("slug", SLUGS)
def test_rows_are_the_sources_indicators(books, slug):
    """Every EXPECTED row of the source is read, at its row, and nothing else."""
    data = read_workbook(books[slug])
    got = [(r.sheet, r.row, r.name.text) for t in data.tables for r in t.rows]
    assert got == [(e["sheet"], e["row"], e["name"]) for e in MODULES[slug].EXPECTED]


def _rows(path):
    return {r.row: r for t in read_workbook(path).tables for r in t.rows}


def test_heading_rows_are_categories(books):
    rows = _rows(books["national_2021_gwr"])
    assert {r: rows[r].category for r in rows} == {
        4: "一、经济增长和物价", 5: "一、经济增长和物价", 6: "一、经济增长和物价",
        8: "二、就业和收入", 9: "二、就业和收入", 10: "二、就业和收入", 12: "三、开放和生态", 13: "三、开放和生态"}
    rows = _rows(books["huiyang_key_projects"])
    assert [rows[r].category for r in (5, 6, 7, 9, 10, 11, 12)] == ["一、按项目级别"] * 3 + ["二、按产业类型"] * 4


def test_verdict_columns_hold_the_printed_words(books):
    rows = _rows(books["national_2019_gwr"])
    assert {rows[r].verdict.text for r in rows} == {"完成"} and rows[12].actual.text == "4.4"
    rows = _rows(books["yuecheng_13th_plan"])
    assert [(rows[r].actual.text, rows[r].verdict.text) for r in (5, 6, 7)] == [
        ("1008.5", "完成"), ("130913", "完成"), ("72.69", "完成")]
    rows = _rows(books["national_2021_gwr"])
    assert rows[4].verdict.ref == "'2021年目标完成'!E4" and rows[4].verdict.text == "完成" and rows[5].verdict.text == ""
    rows = _rows(books["lufeng_key_projects"])
    assert [rows[r].verdict.text for r in (3, 4, 5, 6)] == ["超额完成", "", "", "超额完成"]
    assert rows[3].actual.text == "151.88"


def test_units_from_a_note_and_from_header_brackets(books):
    # "单位：亿元、%" in G2 above 惠阳's table: the amounts are 亿元 (the % is the rates').
    rows = _rows(books["huiyang_key_projects"])
    assert {(rows[r].unit.text, rows[r].unit.ref) for r in rows} == {("亿元", "重点项目!G2")}
    # 钟楼: 年度计划投资（亿元） in C1.
    rows = _rows(books["zhonglou_major_projects"])
    assert {(rows[r].unit.text, rows[r].unit.ref) for r in rows} == {("亿元", "重大项目!C1")}
    (table,) = check_workbook(books["zhonglou_major_projects"]).to_json()["tables"]
    assert table["unit"] == {"text": "亿元", "cell": "重大项目!C1"}
    # a 单位 column wins over everything: 陆丰's C column.
    rows = _rows(books["lufeng_key_projects"])
    assert [rows[r].unit.text for r in (3, 4)] == ["亿元", "个"]


def test_titles_and_text_numbers(books):
    (table,) = read_workbook(books["yuecheng_13th_plan"]).tables
    assert table.title == "“十三五”规划主要指标完成情况"  # the sentence, not the label 表1 beside it
    rows = _rows(books["zhonglou_major_projects"])
    assert (rows[2].target.text, rows[2].actual.text, rows[2].rate.text) == ("18", "10.52", "58.42%")
