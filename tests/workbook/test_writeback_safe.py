"""Safe saving: refusals leave the file untouched; the lock serialises refreshes; backups."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from addin.common.errors import PlanReportError, WorkbookBusyError
from addin.workbook.writeback import SHEET_NAME, write_results
from writeback_support import make_workbook, result_json_from

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workbook(tmp_path):
    return make_workbook(tmp_path / "达尔罕茂明安联合旗2025年计划执行情况.xlsx")


def _sheet_count(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/workbook.xml").decode().count(f'name="{SHEET_NAME}"')


@pytest.mark.parametrize("owner", ["~${name}", "~${short}", ".~lock.{name}#"])
def test_refuses_while_open_in_office(workbook, owner):
    data = result_json_from(workbook)
    (workbook.parent / owner.format(name=workbook.name, short=workbook.name[2:])).write_bytes(b"owner")
    before = workbook.read_bytes()
    with pytest.raises(WorkbookBusyError, match="工作簿正被 Excel 打开，请关闭后重试") as err:
        write_results(workbook, data)
    assert err.value.exit_code == 2 and "\n" not in str(err.value)
    assert workbook.read_bytes() == before


def test_refuses_read_only_file(workbook):
    data = result_json_from(workbook)
    workbook.chmod(0o444)
    before = workbook.read_bytes()
    with pytest.raises(WorkbookBusyError, match="只读"):
        write_results(workbook, data)
    assert workbook.read_bytes() == before


def test_refuses_xls(tmp_path):
    old = tmp_path / "旧格式.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 508)
    with pytest.raises(PlanReportError, match=r"\.xls"):
        write_results(old, {"indicators": [], "findings": []})
    assert old.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"


def test_refuses_damaged_package_untouched(tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PlanReportError, match="坏.xlsx"):
        write_results(broken, {"indicators": [], "findings": []})
    assert broken.read_bytes() == b"PK\x03\x04 not really a zip"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".planreport-tmp")]


def test_backup_keeps_previous_version_and_mode(workbook):
    workbook.chmod(0o640)
    original = workbook.read_bytes()
    backup = write_results(workbook, result_json_from(workbook))
    assert backup == workbook.parent / ".planreport" / "备份" / f"{workbook.stem}.1.xlsx"
    assert backup.read_bytes() == original
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o640
    second = write_results(workbook, result_json_from(workbook))
    assert second.name == f"{workbook.stem}.2.xlsx" and second.read_bytes() != original
    assert write_results(workbook, result_json_from(workbook), backup=False) == workbook


def _start(code: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


HOLD_LOCK = """
    import sys
    from pathlib import Path
    from addin.workbook.writeback.safe import workbook_lock
    with workbook_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.read()
"""

WRITE = """
    import json, sys
    from addin.workbook.writeback import write_results
    write_results(sys.argv[1], json.loads(sys.argv[2]), wait=float(sys.argv[3]))
"""


def test_lock_held_by_another_refresh(workbook):
    import json

    data = result_json_from(workbook)
    holder = _start(HOLD_LOCK, str(workbook))
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = workbook.read_bytes()
        with pytest.raises(WorkbookBusyError, match="另一个核算正在写回"):
            write_results(workbook, data, wait=0.3)
        assert workbook.read_bytes() == before
        waiter = _start(WRITE, str(workbook), json.dumps(data), "30")
        holder.stdin.close()  # the first refresh finishes; the waiting one goes ahead
        assert waiter.wait(60) == 0, waiter.stderr.read()
    finally:
        holder.kill()
        holder.wait()
    assert _sheet_count(workbook) == 1


def test_two_concurrent_writebacks(workbook):
    import json

    data = json.dumps(result_json_from(workbook))
    procs = [_start(WRITE, str(workbook), data, "30") for _ in range(2)]
    for p in procs:
        assert p.wait(60) == 0, p.stderr.read()
    assert _sheet_count(workbook) == 1
    with zipfile.ZipFile(workbook) as zf:
        assert zf.testzip() is None
    backups = sorted((workbook.parent / ".planreport" / "备份").iterdir())
    assert len(backups) == 2
