"""The hostile sweep (tests/hostile/make_cases.py build_sweep) through the real CLI, as a subprocess.

Each case failed before its fix: 内部错误, a value or a sheet lost without a word, a wrong
answer. What every case must show: exit 0/1 for a readable workbook or 2 with exactly one
stderr line (no Traceback, no 内部错误) naming the file or SHEET!CELL; the input byte-identical
after check; after refresh the workbook still opens in openpyxl and python-calamine.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402

_CORPUS = Path(tempfile.mkdtemp(prefix="planreport-sweep-"))
atexit.register(shutil.rmtree, _CORPUS, True)
CASES = {case.name: case for case in make_cases.build_sweep(_CORPUS)}


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out + err and "内部错误" not in err, err
    return proc.returncode, out, err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(err: str, expected: str | None) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one stderr line, got: {err!r}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), lines[0]
    if expected:
        assert expected in lines[0], lines[0]


def _outcomes(report: dict) -> list[tuple]:
    return [(i["sheet"], i["row"], i["status"], i["computed_rate"], i["reported_rate"]) for i in report["indicators"]]


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.command == "check"))
def test_check(name, tmp_path):
    case = CASES[name]
    target = _CORPUS / case.file
    before = _digest(target)
    code, out, err = run_cli(["check", str(target), "--json"], tmp_path)
    assert code == case.exit, f"{name}: exit {code}, stderr: {err.strip()}"
    assert _digest(target) == before, f"{name}: check changed the input"
    if case.exit == 2:
        _one_line(err, case.stderr)
        return
    report = json.loads(out)
    found = {(f["code"], f["cell"], f["severity"]) for f in report["findings"]}
    for code_, cell in case.findings:
        assert (code_, cell, "error") in found, f"{name}: no error {code_} at {cell}"
    for code_, cell in case.warnings:
        assert (code_, cell, "warning") in found, f"{name}: no warning {code_} at {cell}"
    listed = [t["sheet"] for t in report["tables"]] + [s["sheet"] for s in report["skipped"]]
    for sheet in case.skipped:
        assert sheet in [s["sheet"] for s in report["skipped"]], f"{name}: {sheet} not in skipped"
    with __import__("zipfile").ZipFile(target) as z:
        import re

        tabs = re.findall(rb'<sheet [^>]*name="([^"]*)"', z.read("xl/workbook.xml"))
    assert sorted(t.decode() for t in tabs) == sorted(set(listed)), f"{name}: a tab is missing from the reading map"
    if case.same_as:
        _, ref_out, _ = run_cli(["check", str(_CORPUS / CASES.get(case.same_as, case).file
                                              if case.same_as in CASES else _CORPUS / "good.xlsx"), "--json"], tmp_path)
        assert _outcomes(report) == _outcomes(json.loads(ref_out)), f"{name}: rates or statuses differ"


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.command == "refresh"))
def test_refresh(name, tmp_path):
    import openpyxl

    case = CASES[name]
    target = tmp_path / "book.xlsx"
    shutil.copyfile(_CORPUS / case.file, target)
    readers_before = _readers(target)
    code, _, err = run_cli(["refresh", str(target), "--out", str(tmp_path / "out"), "--format", "html"], tmp_path)
    assert code == case.exit, f"{name}: exit {code}, stderr: {err.strip()}"
    assert _readers(target) >= readers_before, f"{name}: a reader that opened the workbook no longer does"
    assert "核算结果" in openpyxl.load_workbook(target, read_only=True).sheetnames
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".planreport-tmp-")]


def _readers(path: Path) -> set[str]:
    """Which of openpyxl and python-calamine open the workbook (calamine refuses macro sheets, before and after)."""
    import openpyxl
    import python_calamine

    ok = set()
    try:
        openpyxl.load_workbook(path)
        ok.add("openpyxl")
    except Exception:
        pass
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet in book.sheet_names:
            book.get_sheet_by_name(sheet).to_python()
        ok.add("calamine")
    except Exception:
        pass
    return ok


def test_config_folder_is_named_as_a_folder(tmp_path):
    code, _, err = run_cli(["check", str(_CORPUS / "good.xlsx"), "--config", str(tmp_path)], tmp_path)
    assert code == 2
    _one_line(err, "文件夹")


def test_batch_out_that_is_a_file(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copyfile(_CORPUS / "good.xlsx", tmp_path / "in" / "book.xlsx")
    (tmp_path / "taken").write_text("x")
    code, _, err = run_cli(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "taken")], tmp_path)
    assert code == 2
    _one_line(err, "不是文件夹")


def test_bad_as_of_is_chinese_only(tmp_path):
    code, _, err = run_cli(["check", str(_CORPUS / "good.xlsx"), "--as-of", "2025-13-01"], tmp_path)
    assert code == 2
    _one_line(err, "2025-13-01")
    assert "argument" not in err
