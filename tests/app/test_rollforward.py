"""planreport rollforward on the real sample: next year's workbook, then check on it."""
import json
import os
import subprocess
import sys

import openpyxl
import pytest


def _run(*args):
    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True)


@pytest.fixture(scope="module")
def rolled(sample_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("roll") / "kundulun-2026.xlsx"
    proc = _run("rollforward", sample_path, "--out", out)
    assert proc.returncode == 0, proc.stderr.decode()
    return out


def test_all_nine_targets_with_their_text(rolled, sample_path):
    plan = openpyxl.load_workbook(sample_path)["附件2"]
    expected = [(plan.cell(r, 2).value, plan.cell(r, 4).value) for r in range(3, plan.max_row + 1)]
    ws = openpyxl.load_workbook(rolled)["附件1"]
    assert ws.cell(1, 1).value.startswith("2026年")
    got = [(ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(3, 3 + len(expected))]
    assert sorted(got) == sorted(expected) and len(expected) == 9
    assert ("地区生产总值", "3%左右") in got and ("城镇登记失业率", "4%以内") in got
    assert all(ws.cell(r, 5).value is None and ws.cell(r, 6).value is None for r in range(3, 12))
    assert ws.cell(3, 1).value == "主要经济指标" and "A3:A10" in {str(m) for m in ws.merged_cells.ranges}


def test_levels_carried(rolled):
    ws = openpyxl.load_workbook(rolled)["基础数据"]
    rows = {(ws.cell(r, 1).value, ws.cell(r, 2).value): ws.cell(r, 3).value for r in range(3, ws.max_row + 1)}
    assert rows[("地区生产总值", 2025)] == 1505.02 and rows[("固定资产投资", 2025)] == 252.78
    assert ("地区生产总值", 2024) not in rows  # empty prior-year rows are not carried


def test_check_reports_targets_not_yet_filled(rolled):
    proc = _run("check", rolled, "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout.decode("utf-8"))
    assert len(data["indicators"]) == 9 and data["meta"]["year"] == 2026
    empty = [f for f in data["findings"] if f["code"] == "actual_empty"]
    assert len(empty) == 9 and all(f["severity"] == "info" for f in empty)
    assert not [f for f in data["findings"] if f["severity"] == "error"]


def test_filled_next_year_scores_growth_from_carried_level(rolled, tmp_path):
    from addin.app.pipeline import check_workbook

    wb = openpyxl.load_workbook(rolled)
    ws = wb["附件1"]
    row = next(r for r in range(3, 12) if ws.cell(r, 3).value == "固定资产投资")
    ws.cell(row, 5).value = "280亿元"
    wb.save(tmp_path / "filled.xlsx")
    ind = next(i for i in check_workbook(tmp_path / "filled.xlsx").indicators if i.name == "固定资产投资")
    # 280 / 252.78 = +10.77%; 10.77 / 8 = 134.625% -> 134.63 half-up (round() would give 134.62).
    assert ind.status == "met" and ind.computed_rate == 134.63


def test_refuses_to_overwrite(rolled, sample_path):
    proc = _run("rollforward", sample_path, "--out", rolled)
    assert proc.returncode == 2 and "--force" in proc.stderr.decode()
    proc = _run("rollforward", sample_path, "--out", sample_path)
    assert proc.returncode == 2 and len(proc.stderr.decode().strip().splitlines()) == 1


def test_recalc_is_not_ignored(sample_path, tmp_path):
    """--recalc goes to LibreOffice like every reading command; without soffice that is one clear line."""
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = subprocess.run([sys.executable, "-m", "addin", "rollforward", str(sample_path), "--out", str(tmp_path / "n.xlsx"),
                           "--recalc"], capture_output=True, env={**os.environ, "PATH": str(empty)})
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "--recalc 需要 LibreOffice" in lines[0]
    assert not (tmp_path / "n.xlsx").exists()
