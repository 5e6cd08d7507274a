"""Header blocks of real appendix tables, the reading map, [[tables]] layouts and package faults.

Each layout is a real .xlsx a statistician plausibly keeps; statuses are checked
against the report's own marks (the seed underlines every unmet rate) or hand
arithmetic, never against PlanReport's output.
"""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from addin.app.pipeline import check_workbook
from addin.common.model import RESULTS_SHEET
from addin.workbook.writeback.results_sheet import INDICATOR_HEADER
from layouts import percent, seed_indicators, write_xlsx

SEED = seed_indicators()


def planreport(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def _map(result) -> list[dict]:
    keys = ("sheet", "kind", "header_rows", "first_row", "last_row", "columns", "year")
    return [{k: t[k] for k in keys} for t in result["tables"]]


def _seed_rows(items, first_no=1):
    return [[first_no + i, s["name"], None, s["target"], s["actual"], percent(s["rate"], s["underline"])]
            for i, s in enumerate(items)]


# The issue's shape: 序号 | 指标 | 单位 | "2025年" over 年度目标 | 1-12月完成 | 完成进度 | 备注, outer cells merged down.
ISSUE_HEADER = [["序号", "指标", "单位", "2025年", None, None, "备注"],
                [None, None, None, "年度目标", "1-12月完成", "完成进度", None]]
ISSUE_MERGES = ["A1:A2", "B1:B2", "C1:C2", "D1:F1", "G1:G2"]


@pytest.mark.parametrize("merged", [True, False], ids=["merged-down", "written-once"])
def test_issue_two_row_header(tmp_path, merged):
    rows = [*ISSUE_HEADER, *[r + [None] for r in _seed_rows(SEED[:12])]]
    path = write_xlsx(tmp_path / "two.xlsx", {"Sheet1": rows}, merges={"Sheet1": ISSUE_MERGES if merged else []})
    result = check_workbook(path).to_json()
    # No title and no year in the sheet name: 2025 comes from the group cell over the value columns.
    assert _map(result) == [dict(sheet="Sheet1", kind="completion", header_rows=[1, 2], first_row=3, last_row=14,
                                 columns=dict(no="A", name="B", unit="C", target="D", actual="E", rate="F"),
                                 year=2025)]
    got = [(i["name"], i["status"] == "unmet") for i in result["indicators"]]
    assert got == [(s["name"], s["underline"]) for s in SEED[:12]]  # the report underlines exactly the unmet


def test_issue_two_row_header_below_a_title_and_a_label(tmp_path):
    rows = [["附件1"], ["2025年国民经济和社会发展计划主要指标完成情况"], *ISSUE_HEADER,
            *[r + [None] for r in _seed_rows(SEED[:3])], ["注：下划线表示未完成"]]
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4"]
    path = write_xlsx(tmp_path / "titled.xlsx", {"附件1": rows}, merges={"附件1": merges})
    (table,) = check_workbook(path).to_json()["tables"]
    assert (table["header_rows"], table["first_row"], table["last_row"], table["title"]) == (
        [3, 4], 5, 7, "2025年国民经济和社会发展计划主要指标完成情况")


def test_plan_count_execution_count_with_unit_note(tmp_path):
    """年计划 | 执行数 | 完成计划% under "单位：亿元": 151.88 / 130.16 = 116.687% -> 116.69; 150.44 / 126.05 = 119.349% -> 119.35."""
    rows = [["重点项目投资计划执行情况"], [None, None, None, "单位：亿元"],
            ["序号", "项目名称", "年计划", "执行数", "完成计划%"],
            [1, "重点项目完成投资", 130.16, 151.88, 116.69], [2, "市重点项目完成投资", 126.05, 150.44, 119.35],
            [3, "省重点项目完成投资", 80, 72, 90]]
    path = write_xlsx(tmp_path / "exec.xlsx", {"投资": rows})
    result = check_workbook(path).to_json()
    (table,) = result["tables"]
    assert table["columns"] == dict(no="A", name="B", target="C", actual="D", rate="E")
    assert table["unit"] == {"text": "亿元", "cell": "投资!D2"} and table["title"] == "重点项目投资计划执行情况"
    assert [(i["unit"], i["status"]) for i in result["indicators"]] == [("亿元", "met"), ("亿元", "met"),
                                                                         ("亿元", "unmet")]
    assert not [f for f in result["findings"] if f["code"] == "rate_mismatch"]


def _year_block(year: int, items):
    header = [["序号", "指标", "单位", f"{year}年", None, None], [None, None, None, "目标", "完成情况", "完成率"]]
    return header + _seed_rows(items)


def test_three_years_in_one_workbook(tmp_path):
    """A 2024年 and a 2025年 completion sheet and a 2026年 plan sheet whose 2025年完成 column is last year's outcome."""
    plan = [["序号", "指标", "单位", "2025年完成", "2026年目标"],
            [1, "地区生产总值", "%", "5.5%", "5%左右"], [2, "规模以上工业增加值", "%", "15.8%", "6%以上"]]
    sheets = {"附件1（上年）": _year_block(2024, SEED[:4]), "附件1": _year_block(2025, SEED), "附件2": plan,
              "说明": [["本表由统计局提供，数据为快报数"]], RESULTS_SHEET: [list(INDICATOR_HEADER),  # as PlanReport writes it
                                                        ["附件1", 1, "地区生产总值", "8%左右", "5.5%", 0.6875, 0.6875, None, "未完成"]]}
    merges = ["A1:A2", "B1:B2", "C1:C2", "D1:F1"]
    path = write_xlsx(tmp_path / "years.xlsx", sheets, merges={"附件1（上年）": merges, "附件1": merges})
    result = check_workbook(path).to_json()
    assert _map(result) == [
        dict(sheet="附件1（上年）", kind="completion", header_rows=[1, 2], first_row=3, last_row=6,
             columns=dict(no="A", name="B", unit="C", target="D", actual="E", rate="F"), year=2024),
        dict(sheet="附件1", kind="completion", header_rows=[1, 2], first_row=3, last_row=50,
             columns=dict(no="A", name="B", unit="C", target="D", actual="E", rate="F"), year=2025),
        dict(sheet="附件2", kind="plan", header_rows=[1], first_row=2, last_row=3,
             columns=dict(no="A", name="B", unit="C", target="E"), year=2026)]
    skipped = {s["sheet"]: s["reason"] for s in result["skipped"]}
    assert set(skipped) == {"说明", RESULTS_SHEET} and "核算结果" in skipped[RESULTS_SHEET]
    assert len(result["indicators"]) == 4 + 48 and [t["target"] for t in result["targets"]] == ["5%左右", "6%以上"]


def test_every_sheet_once_in_the_sample(sample_json):
    seen = [t["sheet"] for t in sample_json["tables"]] + [s["sheet"] for s in sample_json["skipped"]]
    assert sorted(seen) == sorted(["附件1", "附件2", "基础数据"])
    levels = next(t for t in sample_json["tables"] if t["sheet"] == "基础数据")
    assert levels["kind"] == "levels" and levels["header_rows"] == [2] and levels["columns"]["value"] == "C"


def test_values_under_wanchengqingkuang_stay_the_actual(tmp_path):
    """完成情况 holding numbers is the value; holding 完成/未完成 beside 预计值 it is the verdict."""
    values = [["指标", "目标值", "完成情况", "备注"], ["地区生产总值", "8%左右", "5.5%", None],
              ["新增托位数", "3593个", "3645个", "完成"]]
    words = [["指标", "目标值", "预计值", "完成情况"], ["地区生产总值", "8%左右", "5.5%", "未完成"],
             ["新增托位数", "3593个", "3645个", "超额完成"]]
    result = check_workbook(write_xlsx(tmp_path / "v.xlsx", {"数值": values, "判断": words})).to_json()
    assert [t["columns"] for t in result["tables"]] == [dict(name="A", target="B", actual="C"),
                                                        dict(name="A", target="B", actual="C", verdict="D")]


def test_header_words_without_a_target_are_a_warning(tmp_path):
    rows = [["全年进度"], ["指标", "1-12月完成", "完成进度"], ["地区生产总值", "5.5%", "68.75%"]]
    good = [["指标", "目标", "完成情况"], ["地区生产总值", "8%左右", "5.5%"]]
    path = write_xlsx(tmp_path / "w.xlsx", {"附件1": good, "进度": rows})
    result = check_workbook(path).to_json()
    (finding,) = [f for f in result["findings"] if f["code"] == "table_unreadable"]
    assert finding["severity"] == "warning" and finding["cell"] == "进度!A2"
    for seen in ("A2“指标”", "B2“1-12月完成”", "C2“完成进度”", "目标"):
        assert seen in finding["message"]
    assert [s["sheet"] for s in result["skipped"]] == ["进度"] and "1-12月完成" in result["skipped"][0]["reason"]


def test_no_readable_table_is_exit_2_naming_the_cells(tmp_path):
    rows = [["指标", "1-12月完成", "完成进度"], ["地区生产总值", "5.5%", "68.75%"]]
    done = planreport("check", write_xlsx(tmp_path / "only.xlsx", {"进度": rows}))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "内部错误" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "B1“1-12月完成”" in done.stderr


def test_explain_prints_the_map_in_chinese(sample_path):
    done = planreport("check", sample_path, "--explain")
    assert done.returncode == 1, done.stderr  # the sample's one rate_mismatch
    out = done.stdout
    assert "附件1：完成情况表，表头第2行，数据第3-50行，2025年，列：类别 A、序号 B、指标名称 C、目标 D、完成情况 E、完成率 F" in out
    assert "附件2：计划目标表，表头第2行，数据第3-11行，2026年" in out and "基础数据：基础数据（总量）表" in out


def test_json_keeps_its_keys_and_adds_the_map(sample_path):
    done = planreport("check", sample_path, "--json")
    data = json.loads(done.stdout)
    assert list(data) == ["workbook", "meta", "indicators", "targets", "growth", "findings", "tables", "skipped"]
    assert data["tables"][0]["columns"] == dict(category="A", no="B", name="C", target="D", actual="E", rate="F")


# --- [[tables]]: a layout detection cannot guess -------------------------------------------------------------

ODD = [["名目", "今年打算", "今年做到", "比例"], ["地区生产总值", "8%左右", "5.5%", "68.75%"],
       ["新增托位数", "3593个", "3645个", "101.45%"]]


def test_tables_layout_in_planreport_toml(tmp_path):
    path = write_xlsx(tmp_path / "odd.xlsx", {"自定义": [["2025年完成情况"], *ODD]})
    assert planreport("check", path).returncode == 2  # nothing a header word names
    (tmp_path / "planreport.toml").write_text(
        '[[tables]]\nsheet = "自定义"\nheader_rows = [2]\ncolumns = { name = "A", target = "B", actual = "C", rate = "D" }\n',
        encoding="utf-8")
    done = planreport("check", path, "--json")
    data = json.loads(done.stdout)
    assert _map(data) == [dict(sheet="自定义", kind="completion", header_rows=[2], first_row=3, last_row=4,
                               columns=dict(name="A", target="B", actual="C", rate="D"), year=2025)]
    # 5.5 / 8 = 68.75% (unmet); 3645 / 3593 = 101.447% -> 101.45% (met)
    assert [(i["status"], i["computed_rate"]) for i in data["indicators"]] == [("unmet", 68.75), ("met", 101.45)]


@pytest.mark.parametrize("toml, words", [
    ('[[tables]]\nsheet = "没有"\nheader_rows = [1]\ncolumns = { name = "A", target = "B" }\n', "没有"),
    ('[[tables]]\nsheet = "自定义"\nheader_rows = [1]\ncolumns = { name = "A", goal = "B" }\n', "goal"),
    ('[[tables]]\nsheet = "自定义"\nheader_rows = [1]\ncolumns = { name = "A", target = "3" }\n', "列字母"),
    ('[[tables]]\nsheet = "自定义"\ncolumns = { name = "A", target = "B" }\n', "header_rows"),
    ('[[tables]]\nsheet = "自定义"\nheader_rows = [1]\ncolumns = { name = "A" }\n', "target"),
])
def test_bad_tables_layout_is_one_line(tmp_path, toml, words):
    path = write_xlsx(tmp_path / "odd.xlsx", {"自定义": ODD})
    (tmp_path / "planreport.toml").write_text(toml, encoding="utf-8")
    done = planreport("check", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and words in done.stderr


# --- package faults: never half a workbook presented as whole ------------------------------------------------

def _rewrite(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)
    return dst


def test_two_sheets_with_one_name_is_exit_2(sample_path, tmp_path):
    path = _rewrite(sample_path, tmp_path / "twins.xlsx", lambda name, data: data.replace(
        'name="附件2"'.encode(), 'name="附件1"'.encode()) if name == "xl/workbook.xml" else data)
    done = planreport("check", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "xl/workbook.xml" in done.stderr and "附件1" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_sheet_part_missing_from_the_zip_is_exit_2(sample_path, tmp_path):
    path = _rewrite(sample_path, tmp_path / "half.xlsx",
                    lambda name, data: None if name == "xl/worksheets/sheet2.xml" else data)
    done = planreport("check", path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "xl/worksheets/sheet2.xml" in done.stderr and "附件2" in done.stderr


def test_three_row_header(tmp_path):
    """序号/指标 merged down three rows; "2025年" over 年度目标 (merged down two) and a "1-12月" group over 实际完成 | 完成进度."""
    rows = [["序号", "指标", "2025年", None, None], [None, None, "年度目标", "1-12月", None],
            [None, None, None, "实际完成", "完成进度"],
            [1, "地区生产总值", "8%左右", "5.5%", "68.75%"], [2, "规模以上工业增加值", "14%以上", "15.8%", "112.86%"]]
    merges = ["A1:A3", "B1:B3", "C1:E1", "C2:C3", "D2:E2"]
    result = check_workbook(write_xlsx(tmp_path / "three.xlsx", {"表": rows}, merges={"表": merges})).to_json()
    assert _map(result) == [dict(sheet="表", kind="completion", header_rows=[1, 2, 3], first_row=4, last_row=5,
                                 columns=dict(no="A", name="B", target="C", actual="D", rate="E"), year=2025)]
    # 5.5 / 8 = 68.75% (unmet, the seed's first row); 15.8 / 14 = 112.857% -> 112.86% (met)
    assert [(i["status"], i["computed_rate"]) for i in result["indicators"]] == [("unmet", 68.75), ("met", 112.86)]


def test_a_users_own_results_sheet_is_read(tmp_path):
    """A sheet the user named 核算结果 (an ordinary word) without PlanReport's header row is their table:
    it is read like any other, never skipped by its name alone."""
    rows = [["序号", "指标", "目标", "完成情况", "完成率"], [1, "地区生产总值", "8%左右", "5.5%", "68.75%"]]
    path = write_xlsx(tmp_path / "own.xlsx", {RESULTS_SHEET: rows})
    result = check_workbook(path).to_json()
    assert [t["sheet"] for t in result["tables"]] == [RESULTS_SHEET] and result["skipped"] == []
    assert [(i["name"], i["status"]) for i in result["indicators"]] == [("地区生产总值", "unmet")]


def test_target_header_merged_over_the_actuals_is_said(tmp_path):
    """目标 merged over the 目标 and 完成情况 columns leaves no actual header: the table reads as targets
    only, which must be said (a warning on the rate header), never a silent zero-indicator result."""
    rows = [["序号", "指标", "目标", None, "完成率"], [1, "地区生产总值", "8%左右", "5.5%", "68.75%"]]
    path = write_xlsx(tmp_path / "merged.xlsx", {"附件1": rows}, merges={"附件1": ["C1:D1"]})
    result = check_workbook(path).to_json()
    warnings = [f for f in result["findings"] if f["code"] == "table_plan_with_rate"]
    assert [(f["severity"], f["cell"]) for f in warnings] == [("warning", "附件1!E1")]
    assert "完成情况" in warnings[0]["message"]
