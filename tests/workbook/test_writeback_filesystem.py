"""Write-back and report writing against the file system as servers have it: files of other
accounts, symbolic links, read-only folders, foreign lock files, full disks, --out that
cannot be made. Each situation is built for real (chown, symlink, a tmpfs mounted by the
test, a second account running the command); every fault is one Chinese line, exit 2,
and the workbook and the output folder hold nothing half-written.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from addin.common.errors import PlanReportError
from addin.workbook.writeback import SHEET_NAME, write_results
from writeback_support import make_workbook, result_json_from

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534
needs_root = pytest.mark.skipif(not IS_ROOT, reason="builds files of another account: needs root")


def _runs_as(user: int) -> bool:
    """Whether this interpreter and PlanReport's dependencies can be used by another account
    (a pyenv under /root, mode 700, cannot; .ci/run opens the path for traversal)."""
    if not IS_ROOT:
        return False
    probe = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", sys.executable, "-c", "import lxml, docx"]
    return subprocess.run(probe, capture_output=True, cwd=tempfile.gettempdir()).returncode == 0


needs_other_account = pytest.mark.skipif(not _runs_as(NOBODY), reason="this interpreter cannot be run as nobody "
                                         "(its folder is closed to other accounts): run .ci/run, which opens it")


def _has_results(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return f'name="{SHEET_NAME}"' in zf.read("xl/workbook.xml").decode()


def _refresh(*args, user: int | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "addin", "refresh", *map(str, args)]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    env = {**os.environ, "HOME": tempfile.gettempdir(), "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def _one_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert "内部错误" not in lines[0] and "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# ---------------------------------------------------------------- owners, links, permissions

@needs_root
def test_root_keeps_owner_group_and_mode(tmp_path):
    """A scheduled job as root must not make the statistician's workbook root's."""
    book = make_workbook(tmp_path / "青山区.xlsx")
    os.chown(book, NOBODY, NOBODY)
    book.chmod(0o660)
    write_results(book, result_json_from(book))
    st = book.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (NOBODY, NOBODY, 0o660)
    assert _has_results(book)


def test_symlink_is_written_through_and_backed_up_by_content(tmp_path):
    (tmp_path / "data").mkdir()
    real = make_workbook(tmp_path / "data" / "稀土高新区.xlsx")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "本月.xlsx"
    link.symlink_to(real)
    original = real.read_bytes()
    backup = write_results(link, result_json_from(real))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert _has_results(real)
    assert not backup.is_symlink() and backup.read_bytes() == original
    assert backup.parent == real.parent / ".planreport" / "备份"
    assert not [p for p in (tmp_path / "links").iterdir() if p.name.startswith(".planreport")]


@needs_root
def test_read_only_folder_is_respected_by_root(tmp_path):
    """chmod 555 on the folder: root could write, but the statistician said no."""
    folder = tmp_path / "已归档"
    folder.mkdir()
    book = make_workbook(folder / "昆区.xlsx")
    before = book.read_bytes()
    folder.chmod(0o555)
    try:
        with pytest.raises(PlanReportError, match="文件夹不可写"):
            write_results(book, result_json_from(book))
    finally:
        folder.chmod(0o755)
    assert book.read_bytes() == before
    assert not (folder / ".planreport").exists()


@needs_root
@needs_other_account
@pytest.mark.parametrize("lock_mode", [0o600, 0o644])
def test_lock_file_of_another_account(lock_mode):
    """.planreport/ and its lock made by root's cron job; the statistician's account runs refresh."""
    with _shared_folder() as folder:
        book = make_workbook(folder / "东胜区.xlsx")
        os.chown(book, NOBODY, NOBODY)
        state = folder / ".planreport"
        state.mkdir(mode=0o755)
        lock = state / f"{book.name}.lock"
        lock.write_text("1")
        lock.chmod(lock_mode)
        before = book.read_bytes()
        proc = _refresh(book, "--format", "html", "--out", folder / "报告", user=NOBODY)
        _one_line(proc, book.name, ".planreport")
        assert book.read_bytes() == before


@contextlib.contextmanager
def _shared_folder():
    """A folder another account can reach (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="planreport-shared-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- full disks

@contextlib.contextmanager
def _small_disk(size: str):
    """A tmpfs of ``size`` mounted for the test; skipped only where mounting is impossible."""
    point = Path(tempfile.mkdtemp(prefix="planreport-disk-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
        point.rmdir()


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free - leave
    if free > 0:
        with open(folder / "filler", "wb") as f:
            with contextlib.suppress(OSError):
                f.write(b"\0" * free)
    assert shutil.disk_usage(folder).free <= leave + 4096


def test_disk_full_during_writeback():
    with _small_disk("2m") as disk:
        book = make_workbook(disk / "鄂托克前旗.xlsx")
        data = result_json_from(book)
        data["indicators"] = data["indicators"] * 400  # a new version bigger than the space left
        (disk / ".planreport" / "备份").mkdir(parents=True)
        before = book.read_bytes()
        _fill(disk, 64 * 1024)
        with pytest.raises(PlanReportError, match="磁盘空间不足") as err:
            write_results(book, data)
        assert "\n" not in str(err.value) and err.value.exit_code == 2
        assert book.read_bytes() == before
        assert not [p for p in disk.iterdir() if p.name.startswith(".planreport-tmp")]


def test_disk_full_while_writing_the_reports(tmp_path):
    book = make_workbook(tmp_path / "杭锦旗.xlsx")
    with _small_disk("1m") as disk:
        out = disk / "报告"
        out.mkdir()
        (out / "杭锦旗.docx").write_bytes(b"last month's report")  # must survive a failed run
        _fill(disk, 16 * 1024)
        proc = _refresh(book, "--out", out, "--format", "docx,html", "--no-writeback")
        _one_line(proc, "磁盘空间不足")
        assert sorted(p.name for p in out.iterdir()) == ["杭锦旗.docx"]
        assert (out / "杭锦旗.docx").read_bytes() == b"last month's report"


# ---------------------------------------------------------------- --out

def test_out_under_a_file_cannot_be_created(tmp_path):
    book = make_workbook(tmp_path / "乌审旗.xlsx")
    (tmp_path / "notes.txt").write_text("x")
    proc = _refresh(book, "--out", tmp_path / "notes.txt" / "报告", "--format", "html", "--no-writeback")
    _one_line(proc, "无法创建输出文件夹")
    proc = _refresh(book, "--out", tmp_path / "notes.txt", "--format", "html", "--no-writeback")
    _one_line(proc, "不是文件夹")


def test_out_on_a_read_only_file_system(tmp_path):
    book = make_workbook(tmp_path / "鄂托克旗.xlsx")
    with _small_disk("1m") as disk:
        (disk / "报告").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        proc = _refresh(book, "--out", disk / "报告", "--format", "html", "--no-writeback")
        _one_line(proc, "只读")
        proc = _refresh(book, "--out", disk / "新建" / "报告", "--format", "html", "--no-writeback")
        _one_line(proc, "无法创建输出文件夹")


def test_name_near_the_file_system_limit(tmp_path):
    """80 Chinese characters are 245 bytes with .xlsx: a temporary named after the workbook
    would pass the 255-byte limit of ext4 and most file systems."""
    book = make_workbook(tmp_path / ("呼和浩特市赛罕区" * 10 + ".xlsx"))
    assert len(book.name.encode()) == 245
    write_results(book, result_json_from(book))
    assert _has_results(book)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".planreport-tmp")]
