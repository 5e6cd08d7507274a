"""Replace a workbook on disk so that it is, at every instant, either the old file or the new one.

Write a temporary file in the same folder, fsync it, keep the file mode, hard-link
(or copy) the old file into the backup folder, then ``os.replace``. Refuse — with a
WorkbookBusyError and the file untouched — when Excel, LibreOffice/WPS or another
refresh has the workbook, or when the file is read-only.

Backups: ``.planreport/备份/<名称>.<n><扩展名>`` in the workbook's folder, the
newest ``KEEP_BACKUPS`` kept; the lock file is ``.planreport/<名称>.lock`` there too.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from addin.common.errors import PlanReportError, WorkbookBusyError

STATE_DIR = ".planreport"
BACKUP_DIR = "备份"
KEEP_BACKUPS = 10
TEMP_PREFIX = ".planreport-tmp-"
WRITABLE_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
BUSY_MESSAGE = "工作簿正被 Excel 打开，请关闭后重试"


def owner_files(path: Path) -> list[Path]:
    """Files an office suite leaves beside a workbook it has open.

    Excel: ``~$name`` (for long names the first two characters give way to ``~$``);
    LibreOffice: ``.~lock.name#``; WPS: ``.~name``."""
    name = path.name
    return [path.with_name("~$" + name), path.with_name("~$" + name[2:]),
            path.with_name(f".~lock.{name}#"), path.with_name(".~" + name)]


def check_writable(path: Path) -> None:
    label = path.name
    if path.suffix.lower() == ".xls":
        raise PlanReportError(f"{label}: .xls 旧格式不能写回核算结果，请在 Excel 中另存为 .xlsx 后重试（或加 --no-writeback）")
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        raise PlanReportError(f"{label}: 只能写回 .xlsx/.xlsm 工作簿（或加 --no-writeback）")
    if not path.is_file():
        raise PlanReportError(f"{label}: 找不到工作簿文件 {path}")
    for owner in owner_files(path):
        if owner.exists():
            raise WorkbookBusyError(f"{label}: {BUSY_MESSAGE}（发现 {owner.name}）")
    # Mode bits, not os.access: root (cron, containers) may write anything, but a file the
    # statistician marked read-only must stay as it is.
    if not path.stat().st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise WorkbookBusyError(f"{label}: 工作簿是只读文件，无法写回核算结果")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise WorkbookBusyError(f"{label}: 工作簿所在文件夹不可写，无法写回核算结果")


def _try_lock(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


@contextlib.contextmanager
def workbook_lock(path: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold the workbook's refresh lock, waiting up to ``wait`` seconds for another holder.

    An OS lock (flock / msvcrt) rather than a pid file: a refresh killed with -9 releases
    it at once, so no stale lock ever blocks the next run."""
    state = path.parent / STATE_DIR
    state.mkdir(exist_ok=True)
    lock_path = state / (path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise WorkbookBusyError(f"{path.name}: 另一个核算正在写回这个工作簿，请稍后重试（或加大 --wait）")
            time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock_path
    finally:
        os.close(fd)  # closing releases flock and msvcrt locks alike


def _temp_prefix(path: Path) -> str:
    return f"{TEMP_PREFIX}{path.name}-"


def _remove_stale_temps(path: Path) -> None:
    """Temporaries a killed run left for this workbook; safe to delete because we hold its
    lock. Other workbooks' temporaries in the same folder may be in use right now."""
    prefix = _temp_prefix(path)
    for tmp in path.parent.iterdir():
        if tmp.name.startswith(prefix):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _keep_backup(path: Path) -> Path:
    folder = path.parent / STATE_DIR / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = path.stem, path.suffix
    numbers = sorted(int(p.name[len(stem) + 1:-len(suffix)]) for p in folder.glob(f"{stem}.*{suffix}")
                     if p.name[len(stem) + 1:-len(suffix)].isdigit())
    backup = folder / f"{stem}.{(numbers[-1] + 1) if numbers else 1}{suffix}"
    try:
        os.link(path, backup)  # the old inode lives on as the backup: instant, no copy
    except OSError:
        shutil.copy2(path, backup)
    for old in numbers[: max(0, len(numbers) + 1 - KEEP_BACKUPS)]:
        with contextlib.suppress(OSError):
            (folder / f"{stem}.{old}{suffix}").unlink()
    return backup


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: Path, write: Callable[[object], None], *, wait: float = 0.0,
                       backup: bool = True) -> Path | None:
    """Call ``write(binary_file)`` to produce the new content, then swap it in.

    Returns the backup path (None without a backup)."""
    path = Path(path)
    check_writable(path)
    with workbook_lock(path, wait):
        check_writable(path)  # Excel may have opened it while we waited
        _remove_stale_temps(path)
        mode = stat.S_IMODE(path.stat().st_mode)
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w+b") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            kept = _keep_backup(path) if backup else None
            try:
                os.replace(tmp, path)
            except PermissionError:
                # Windows refuses to replace a file Excel holds open.
                raise WorkbookBusyError(f"{path.name}: {BUSY_MESSAGE}") from None
            _fsync_dir(path.parent)
            return kept
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
