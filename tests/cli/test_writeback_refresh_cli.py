"""Write-back through `planreport refresh` itself (the real pipeline's JSON), as a subprocess.

tests/test_writeback_lossless.py drives write_results with a hand-made result; here the
whole command runs twice on the workbook full of user parts.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from addin.workbook.writeback import SHEET_NAME
from writeback_support import FORMULA_CACHED, FORMULA_CELL, make_workbook, members

ROOT = Path(__file__).resolve().parents[2]
INDEX_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
               "docProps/app.xml", "docProps/core.xml"}
USER_PARTS = ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/charts/chart1.xml", "xl/media/image1.png",
              "xl/comments/comment1.xml", "xl/drawings/drawing1.xml", "xl/drawings/commentsDrawing1.vml")


def refresh(workbook: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", "refresh", str(workbook), "--out", str(out),
                           "--format", "html", *extra], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def workbook(tmp_path):
    return make_workbook(tmp_path / "包头市昆都仑区.xlsx")


def _one_line(run: subprocess.CompletedProcess) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    return lines[0]


def test_two_refreshes_keep_every_user_part(workbook, tmp_path):
    before = members(workbook)
    assert set(USER_PARTS) <= set(before)  # the builder really made them
    sheet1 = before["xl/worksheets/sheet1.xml"]
    assert b"<dataValidation" in sheet1 and b"<conditionalFormatting" in sheet1 and b"<mergeCell " in sheet1
    assert b"<definedName" in before["xl/workbook.xml"]

    for out in ("r1", "r2"):
        run = refresh(workbook, tmp_path / out)
        assert run.returncode == 1, run.stderr  # technology contracts: 136% reported, 200% computed
    after = members(workbook)
    for name, content in before.items():
        if name not in INDEX_PARTS:
            assert after[name] == content, name
    assert after["xl/workbook.xml"].count(f'name="{SHEET_NAME}"'.encode()) == 1
    assert b"<definedName" in after["xl/workbook.xml"]

    from openpyxl import load_workbook

    wb = load_workbook(workbook, data_only=True)
    assert wb.sheetnames.count(SHEET_NAME) == 1
    assert wb["附件1"][FORMULA_CELL].value == int(FORMULA_CACHED)
    names = [c.value for c in wb[SHEET_NAME]["C"]]
    assert "技术合同成交额" in names and "=即办件比率" in names
    assert [c.value for c in wb[SHEET_NAME]["A"]].count("rate_mismatch") == 1


@pytest.mark.parametrize("owner", ["~${name}", "~${short}"])
def test_refresh_refuses_while_excel_has_it_open(workbook, tmp_path, owner):
    (workbook.parent / owner.format(name=workbook.name, short=workbook.name[2:])).write_bytes(b"owner")
    before = workbook.read_bytes()
    run = refresh(workbook, tmp_path / "out")
    assert run.returncode == 2
    assert "工作簿正被 Excel 打开，请关闭后重试" in _one_line(run)
    assert workbook.read_bytes() == before


def test_refresh_refuses_a_read_only_workbook(workbook, tmp_path):
    workbook.chmod(0o444)
    before = workbook.read_bytes()
    run = refresh(workbook, tmp_path / "out")
    assert run.returncode == 2 and "只读" in _one_line(run)
    assert workbook.read_bytes() == before


def test_refresh_waits_then_refuses_when_another_holds_the_lock(workbook, tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from addin.workbook.writeback.safe import workbook_lock\n"
         "with workbook_lock(Path(sys.argv[1])):\n    print('locked', flush=True); sys.stdin.read()", str(workbook)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = workbook.read_bytes()
        run = refresh(workbook, tmp_path / "out", "--wait", "0.5")
        assert run.returncode == 2 and "另一个核算正在写回" in _one_line(run)
        assert workbook.read_bytes() == before
    finally:
        holder.stdin.close()
        holder.wait(30)
    with zipfile.ZipFile(workbook) as zf:
        assert SHEET_NAME not in zf.read("xl/workbook.xml").decode()


def test_two_concurrent_refresh_commands(workbook, tmp_path):
    procs = [subprocess.Popen([sys.executable, "-m", "addin", "refresh", str(workbook), "--out", str(tmp_path / f"o{i}"),
                               "--format", "html", "--wait", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT) for i in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 1, err  # both ran to the end (the sample's error finding), neither refused
    with zipfile.ZipFile(workbook) as zf:
        assert zf.testzip() is None
        assert zf.read("xl/workbook.xml").decode().count(f'name="{SHEET_NAME}"') == 1
    assert len(list((workbook.parent / ".planreport" / "备份").iterdir())) == 2
