"""The foundation's acceptance: all 48 rows of the Kundulun 2025 appendix right."""
import json
import subprocess
import sys

# The rates the seed prints (附件1), by 序号; None where it prints "—".
SEED_RATES = {
    1: 68.75, 2: 112.86, 3: None, 4: 114, 5: None, 6: 37.5, 7: 100, 8: 100, 9: 101, 10: 185, 11: 100,
    12: 155, 13: 140, 14: 119.64, 15: 116.67, 16: 200, 17: 101.25, 18: 210, 19: 122.5, 20: 140, 21: 525,
    22: 136, 23: 104.26, 24: 100, 25: 105.12, 26: 100, 27: 100, 28: 100, 29: 100, 30: 112.5, 31: 100,
    32: 100, 33: 100, 34: 100, 35: 100, 36: 100, 37: 100, 38: 104.98, 39: 100, 40: 100, 41: 101.45,
    42: 100, 43: 100, 44: 104.57, 45: 100, 46: 100, 47: 100, 48: 104.24,
}


def test_all_48_rows(sample_json):
    rows = {i["no"]: i for i in sample_json["indicators"]}
    assert sorted(rows) == list(range(1, 49))
    for no, seed in SEED_RATES.items():
        expected = 200.0 if no == 22 else seed  # the seed's one arithmetic slip
        assert rows[no]["computed_rate"] == expected, (no, rows[no])
        assert rows[no]["reported_rate"] == seed, no


def test_statuses(sample_json):
    by_status = {}
    for i in sample_json["indicators"]:
        by_status.setdefault(i["status"], []).append(i["no"])
    assert by_status["unmet"] == [1, 6]
    assert by_status["not_computable"] == [3, 5]
    assert len(by_status["met"]) == 44


def test_exactly_one_rate_mismatch_on_row_22(sample_json):
    row22 = next(i for i in sample_json["indicators"] if i["no"] == 22)
    mismatches = [f for f in sample_json["findings"] if f["code"] == "rate_mismatch"]
    assert len(mismatches) == 1
    assert mismatches[0]["cell"] == row22["cells"]["rate"]
    assert mismatches[0]["severity"] == "error"
    assert "136%" in mismatches[0]["message"] and "200%" in mismatches[0]["message"]
    # growth_* findings come from 基础数据 (tests/test_growth*.py); the indicator checks give exactly one.
    assert [f["code"] for f in sample_json["findings"] if not f["code"].startswith("growth_")] == ["rate_mismatch"]


def test_directions_and_underlines(sample_json):
    rows = {i["no"]: i for i in sample_json["indicators"]}
    assert rows[7]["direction"] == "lower"  # 城镇登记失业率 4%以内
    assert rows[35]["direction"] == "lower" and rows[36]["direction"] == "lower"
    assert rows[6]["direction"] == "relative"
    assert rows[8]["direction"] == "qualitative" and rows[29]["direction"] == "qualitative"
    assert rows[1]["reported_unmet"] is True and rows[6]["reported_unmet"] is True
    assert not any(i["reported_unmet"] for n, i in rows.items() if n not in (1, 6))


def test_categories_and_cells(sample_json):
    rows = {i["no"]: i for i in sample_json["indicators"]}
    assert rows[1]["category"] == "主要经济指标"
    assert rows[38]["category"] == rows[48]["category"] == "保障和改善民生"
    assert rows[22]["cells"]["target"].startswith("附件1!")


def test_plan_targets(sample_json):
    targets = sample_json["targets"]
    assert [t["target"] for t in targets][:3] == ["3%左右", "5%左右", "8%左右"]
    assert len(targets) == 9
    assert {t["name"] for t in targets} >= {"地区生产总值", "城镇登记失业率", "单位GDP能耗"}
    unemployment = next(t for t in targets if t["name"] == "城镇登记失业率")
    assert unemployment["direction"] == "lower"


def test_cli_json_is_utf8_and_exit_1(sample_path):
    proc = subprocess.run([sys.executable, "-m", "addin", "check", str(sample_path), "--json"], capture_output=True)
    assert proc.returncode == 1  # row 22's wrong rate is an error finding
    text = proc.stdout.decode("utf-8")
    assert "地区生产总值" in text  # Chinese unescaped
    data = json.loads(text)
    assert len(data["indicators"]) == 48


def test_cli_human_output_names_status_in_words(sample_path):
    proc = subprocess.run([sys.executable, "-m", "addin", "check", str(sample_path)], capture_output=True,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1
    assert "未完成" in out and "无法核算" in out and "rate_mismatch" in out


def test_to_frame(sample_result):
    frame = sample_result.to_frame()
    assert len(frame) == 48 and frame["status"].value_counts()["unmet"] == 2


def test_streamed_json_equals_the_one_shot_json(sample_json):
    import io

    from addin.cli.check import write_json

    streamed, indented = io.BytesIO(), io.BytesIO()
    write_json(sample_json, streamed, indent_limit=0, batch=7)  # force the large-result path
    write_json(sample_json, indented)
    assert b"\n  " not in streamed.getvalue() and b"\n  " in indented.getvalue()
    assert json.loads(streamed.getvalue()) == json.loads(indented.getvalue()) == json.loads(json.dumps(sample_json))


def test_streamed_rows_as_objects_equal_their_dicts(sample_result):
    """check --json on a large result hands write_json the row objects (json_view), turned into dicts
    a batch at a time: the bytes must read back as result.to_json()."""
    import io

    from addin.cli.check import json_view, write_json

    streamed = io.BytesIO()
    write_json(json_view(sample_result, indent_limit=0), streamed, indent_limit=0, batch=5)
    assert json.loads(streamed.getvalue()) == json.loads(json.dumps(sample_result.to_json()))


def test_cli_colour_and_underline_on_a_terminal(sample_path):
    import os
    import re

    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    out = subprocess.run([sys.executable, "-m", "addin", "check", str(sample_path)], capture_output=True,
                         env=env).stdout.decode("utf-8")
    lines = {name: next(line for line in out.splitlines() if f" {name} " in line)
             for name in ("地区生产总值", "规模以上工业增加值")}
    unmet, met = lines["地区生产总值"], lines["规模以上工业增加值"]
    assert re.search(r"\x1b\[4m\s*68\.75%", unmet)  # the unmet rate underlined, as in the printed appendix
    assert re.search(r"\x1b\[[\d;]*31m未完成", unmet)  # red, and in words
    assert re.search(r"\x1b\[[\d;]*32m已完成", met) and "\x1b[4m" not in met
