"""Every hostile case (tests/hostile/make_cases.py) through the real CLI, as a subprocess.

Bounds, not benchmarks: each run is killed at 20 s (a hang fails the case) and its
own peak RSS (os.wait4) must stay under 1 GB.
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
import threading
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402

TIME_BOUND_S = 20
MEMORY_BOUND_KB = 1024 * 1024
HARD_ADDRESS_LIMIT = 8 << 30  # a safety net for the machine; the assertion is on RSS

_CORPUS = Path(tempfile.mkdtemp(prefix="planreport-hostile-"))
atexit.register(shutil.rmtree, _CORPUS, True)
CASES = {case.name: case for case in make_cases.build(_CORPUS)}


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak RSS in KB of that child alone)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "addin", *args], stdout=out, stderr=err, cwd=cwd,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=_limit_address_space)
        timer = threading.Timer(TIME_BOUND_S, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        assert code != -9, f"planreport {' '.join(args)} did not finish within {TIME_BOUND_S} s"
        return code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), usage.ru_maxrss


def _limit_address_space() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (HARD_ADDRESS_LIMIT, HARD_ADDRESS_LIMIT))


def fingerprint(path: Path) -> str:
    if path.is_symlink() or not path.exists():
        return "absent"
    if not path.is_file():
        return f"mode {path.stat().st_mode:o}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.command == "check"))
def test_check(name, tmp_path):
    case = CASES[name]
    target = _CORPUS / case.file
    before = fingerprint(target)
    args = ["check", str(target), *case.args] + (["--json"] if case.findings or case.same_as else [])
    code, out, err, rss = run_cli(args, tmp_path)
    assert "Traceback" not in err + out, err
    assert code == case.exit, f"{name}: exit {code}, stderr: {err.strip()}"
    assert rss < MEMORY_BOUND_KB, f"{name}: peak RSS {rss // 1024} MB"
    assert fingerprint(target) == before, f"{name}: the input changed"
    if case.exit == 2:
        _assert_one_line(err, case.stderr)
    if case.same_as:
        reference = CASES[case.same_as]
        _, ref_out, _, _ = run_cli(["check", str(_CORPUS / reference.file), "--json"], tmp_path)
        assert _outcomes(out) == _outcomes(ref_out), f"{name}: rates or statuses differ from {case.same_as}"
    for code_, cell in case.findings:
        found = json.loads(out)["findings"]
        assert any(f["code"] == code_ and f["cell"] == cell and f["severity"] == "error" for f in found), (
            f"{name}: no error finding {code_} at {cell}; got {[(f['code'], f['cell']) for f in found]}")


def _outcomes(json_text: str) -> list[tuple]:
    return [(i["sheet"], i["row"], i["status"], i["computed_rate"], i["reported_rate"])
            for i in json.loads(json_text)["indicators"]]


def _assert_one_line(err: str, expected: str | None) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one stderr line, got: {err!r}"
    if expected:
        assert expected in lines[0], lines[0]


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.command == "refresh"))
def test_refresh(name, tmp_path):
    case = CASES[name]
    source = _CORPUS / case.file
    work = tmp_path / "work"
    work.mkdir()
    target = work / source.name  # refresh writes 核算结果 back: work on a copy
    shutil.copyfile(source, target)
    before = fingerprint(target)
    out_dir = tmp_path / "work" / "out"
    code, out, err, rss = run_cli(["refresh", str(target), "--out", str(out_dir), "--format", "docx,html",
                                   *case.args], tmp_path)
    assert "Traceback" not in err + out, err
    assert code == case.exit, f"{name}: exit {code}, stderr: {err.strip()}"
    assert rss < MEMORY_BOUND_KB, f"{name}: peak RSS {rss // 1024} MB"
    if case.exit == 2:
        _assert_one_line(err, case.stderr)
        assert fingerprint(target) == before, f"{name}: a refused workbook was modified"
        return
    CHECKS_AFTER_REFRESH[name](target, out_dir, tmp_path)


def _results_cells(workbook: Path):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    assert "核算结果" in wb.sheetnames
    return [cell for row in wb["核算结果"].iter_rows() for cell in row if cell.value is not None]


def _names_stay_text(workbook: Path, out_dir: Path, tmp: Path) -> None:
    cells = _results_cells(workbook)
    for name in make_cases.BAD_NAMES:
        hits = [c for c in cells if c.value == name]
        assert hits, f"{name!r} missing from 核算结果"
        assert all(c.data_type == "s" for c in hits), f"{name!r} written as {hits[0].data_type}"
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"example.invalid" in z.read(n) and b"<f>" in z.read(n) for n in sheets)


def _html_escaped(workbook: Path, out_dir: Path, tmp: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html")]
    assert pages, "refresh wrote no HTML"
    assert not any("<script>alert(" in page for page in pages)
    assert any("&lt;script&gt;" in page for page in pages)


def _file_names_safe(workbook: Path, out_dir: Path, tmp: Path) -> None:
    made = [p for p in tmp.rglob("*") if p.is_file()]
    outside = [p for p in made if out_dir not in p.parents and p.parent != workbook.parent
               and ".planreport" not in p.parts]
    assert not outside, f"files outside --out: {outside}"
    assert not any("逃逸" in part for p in tmp.rglob("*") for part in p.parts)
    for p in out_dir.rglob("*"):
        assert not set(p.name) & set('\\:*?"<>|'), p.name


def _app_xml_left_alone(workbook: Path, out_dir: Path, tmp: Path) -> None:
    _results_cells(workbook)
    source = _CORPUS / workbook.name
    with zipfile.ZipFile(workbook) as new, zipfile.ZipFile(source) as old:
        assert new.read("docProps/app.xml") == old.read("docProps/app.xml")


def _strict_written_back(workbook: Path, out_dir: Path, tmp: Path) -> None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(workbook))
    assert book.sheet_names[-1] == "核算结果"
    assert book.get_sheet_by_name("核算结果").to_python()[0][:3] == ["工作表", "序号", "指标"]
    with zipfile.ZipFile(workbook) as z:
        assert b"http://schemas.openxmlformats.org/spreadsheetml/2006/main" not in z.read("xl/workbook.xml")


CHECKS_AFTER_REFRESH = {
    "empty_app_xml_refresh": _app_xml_left_alone,
    "malformed_app_xml_refresh": _app_xml_left_alone,
    "strict_refresh": _strict_written_back,
    "workbook_part_moved_refresh": lambda workbook, out_dir, tmp: _results_cells(workbook),
    "formula_like_names_refresh": _names_stay_text,
    "script_in_name_refresh": _html_escaped,
    "title_as_file_name_refresh": _file_names_safe,
}


def test_corpus_is_large_enough():
    assert len(CASES) >= 25
    covered = {c.exit for c in CASES.values()}
    assert covered == {0, 1, 2}
    if shutil.which("soffice"):  # CI installs LibreOffice: the .xls cases must not drop out silently
        assert {"legacy_xls_check", "legacy_xls_refresh"} <= set(CASES)


def test_debug_shows_the_traceback_and_plain_runs_do_not(tmp_path):
    broken = _CORPUS / "truncated.xlsx"
    code, _, err, _ = run_cli(["check", str(broken)], tmp_path)
    assert code == 2 and "Traceback" not in err
    code, _, err, _ = run_cli(["--debug", "check", str(broken)], tmp_path)
    assert code != 0 and "Traceback (most recent call last)" in err
