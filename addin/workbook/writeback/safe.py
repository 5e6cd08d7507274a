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
from typing import BinaryIO, Callable, Iterator, Optional

from addin.common.errors import PlanReportError, WorkbookBusyError
from addin.workbook.files import FileIdentity, atomic_write, fsync_folder, identify, reason, still_same, temp_prefix

STATE_DIR = ".planreport"
BACKUP_DIR = "备份"
KEEP_BACKUPS = 10
WRITABLE_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
BUSY_MESSAGE = "工作簿正被 Excel 打开，请关闭后重试"
CHANGED_MESSAGE = ("工作簿在核算期间被另一个程序或他人保存过，已保留对方保存的版本，未写回核算结果；"
                   "请重新运行 refresh")


def owner_files(path: Path) -> list[Path]:
    """Files an office suite leaves beside a workbook it has open.

    Excel: ``~$name`` (for long names the first two characters give way to ``~$``);
    LibreOffice: ``.~lock.name#``; WPS: ``.~name``."""
    name = path.name
    return [path.with_name("~$" + name), path.with_name("~$" + name[2:]),
            path.with_name(f".~lock.{name}#"), path.with_name(".~" + name)]


def _may_write(st: os.stat_result, *, folder: bool = False) -> bool:
    """What the permission bits allow this process: the owner, group or other bits that
    apply to it. Root may write anything the kernel lets it, but a file or folder the
    statistician made read-only (no write bit for anyone) must stay as it is — so no
    os.access, which always says yes to root."""
    need = stat.S_IWUSR | (stat.S_IXUSR if folder else 0)
    mode = st.st_mode
    if os.name == "nt":
        return bool(mode & stat.S_IWUSR) or folder
    if os.geteuid() == 0:
        return any(mode & (need >> shift) == need >> shift for shift in (0, 3, 6))
    if st.st_uid == os.geteuid():
        shift = 0
    elif st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        shift = 3
    else:
        shift = 6
    return mode & (need >> shift) == need >> shift


def check_writable(path: Path, real: Optional[Path] = None) -> None:
    """Refuse, before anything is written, what write-back must not or cannot replace.
    ``real``: the file ``path`` leads to (through symbolic links)."""
    label = path.name
    real = real or path
    if path.suffix.lower() == ".xls":
        raise PlanReportError(f"{label}: .xls 旧格式不能写回核算结果，请在 Excel 中另存为 .xlsx 后重试（或加 --no-writeback）")
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        raise PlanReportError(f"{label}: 只能写回 .xlsx/.xlsm 工作簿（或加 --no-writeback）")
    if not real.is_file():
        raise PlanReportError(f"{label}: 找不到工作簿文件 {path}")
    # Office puts its owner file beside the name it opened: the link's or the target's.
    for owner in dict.fromkeys(owner_files(path) + owner_files(real)):
        if owner.exists():
            raise WorkbookBusyError(f"{label}: {BUSY_MESSAGE}（发现 {owner.name}）")
    if not _may_write(real.stat()):
        raise WorkbookBusyError(f"{label}: 工作簿是只读文件，无法写回核算结果")
    if not _may_write(real.parent.stat(), folder=True):
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
    lock_path = state / (path.name + ".lock")
    try:
        state.mkdir(exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        # Made by another account (a colleague's run, or root's cron job): flock works on a
        # descriptor opened for reading too, so the lock still serialises the two.
        try:
            fd = os.open(lock_path, os.O_RDONLY)
        except OSError:
            raise PlanReportError(f"{path.name}: 无法使用锁文件 {STATE_DIR}/{lock_path.name}（属于另一个账户，本账户无权打开）；"
                                  "请让它的所有者删除 .planreport 文件夹，或以该账户运行") from None
    except OSError as exc:
        raise PlanReportError(f"{path.name}: 无法创建锁文件 {STATE_DIR}/{lock_path.name}（{reason(exc)}）") from None
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise WorkbookBusyError(f"{path.name}: 另一个核算正在写回这个工作簿，请稍后重试（或加大 --wait）")
            time.sleep(0.05)
        with contextlib.suppress(OSError):  # the pid is for people; a read-only lock file has none
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        yield lock_path
    finally:
        os.close(fd)  # closing releases flock and msvcrt locks alike


def _remove_stale_temps(path: Path) -> None:
    """Temporaries a killed run left for this workbook; safe to delete because we hold its
    lock. Other workbooks' temporaries in the same folder may be in use right now."""
    state = path.parent / STATE_DIR
    for folder, prefix in ((path.parent, temp_prefix(path)), (state, temp_prefix(_history_file(path)))):
        try:
            names = os.listdir(folder)  # plain names: a batch folder holds thousands of workbooks
        except OSError:
            continue
        for name in names:
            if name.startswith(prefix):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)


def _keep_backup(path: Path) -> Path:
    """The current content of ``path`` (a regular file: links were resolved) as the next backup."""
    folder = path.parent / STATE_DIR / BACKUP_DIR
    stem, suffix = path.stem, path.suffix
    try:
        folder.mkdir(parents=True, exist_ok=True)
        numbers = sorted(int(p.name[len(stem) + 1:-len(suffix)]) for p in folder.glob(f"{stem}.*{suffix}")
                         if p.name[len(stem) + 1:-len(suffix)].isdigit())
        backup = folder / f"{stem}.{(numbers[-1] + 1) if numbers else 1}{suffix}"
        try:
            os.link(path, backup)  # the old inode lives on as the backup: instant, no copy
        except OSError:
            shutil.copy2(path, backup)
    except OSError as exc:
        raise PlanReportError(f"{path.name}: 无法保存备份到 {STATE_DIR}/{BACKUP_DIR}（{reason(exc)}），"
                              "未写回核算结果，工作簿未改动") from None
    for old in numbers[: max(0, len(numbers) + 1 - KEEP_BACKUPS)]:
        with contextlib.suppress(OSError):
            (folder / f"{stem}.{old}{suffix}").unlink()
    return backup


def _history_file(real: Path) -> Path:
    return real.parent / STATE_DIR / (real.name + ".history")


def _note_written(real: Path, old: FileIdentity, new: FileIdentity) -> None:
    """Record that PlanReport turned content ``old`` into ``new`` (only 核算结果 differs), so a
    refresh that read ``old`` and waited for the lock knows the user's data is unchanged."""
    history = _history_file(real)
    lines = _history(real)[-(KEEP_BACKUPS - 1):] + [f"{old.sha256} {new.sha256}"]
    with contextlib.suppress(PlanReportError):  # a lost note costs one refusal later, never data (so no fsync)
        atomic_write(history, lambda f: f.write(("\n".join(lines) + "\n").encode("ascii")), durable=False)


def _history(real: Path) -> list[str]:
    try:
        text = _history_file(real).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in text.splitlines() if line.count(" ") == 1]


def _written_since(real: Path, expected: FileIdentity) -> bool:
    """True when every change since ``expected`` was another PlanReport write-back."""
    edges = dict(line.split(" ") for line in _history(real))
    current = identify(real).sha256
    seen, step = set(), expected.sha256
    while step in edges and step not in seen:
        seen.add(step)
        step = edges[step]
        if step == current:
            return True
    return False


def _keep_owner(tmp: Path, st: os.stat_result) -> None:
    """Owner, group and mode of the file being replaced. Root (a scheduled job) can give the
    file back to its owner; another account can at least keep the group when it belongs to
    it, so colleagues who write through the group still can."""
    if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except PermissionError:
            with contextlib.suppress(PermissionError):
                os.chown(tmp, -1, st.st_gid)
    os.chmod(tmp, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits


def _keep_windows_attributes(path: Path, st: os.stat_result) -> None:
    """Hidden, system, archive, not-indexed: the new file would otherwise carry the temporary
    file's. Windows only (not exercised by the Linux tests)."""
    attrs = getattr(st, "st_file_attributes", None)
    if os.name != "nt" or attrs is None:
        return
    import ctypes

    keep = attrs & (stat.FILE_ATTRIBUTE_HIDDEN | stat.FILE_ATTRIBUTE_SYSTEM | stat.FILE_ATTRIBUTE_ARCHIVE
                    | stat.FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)
    ctypes.windll.kernel32.SetFileAttributesW(str(path), keep or stat.FILE_ATTRIBUTE_NORMAL)


def replace_atomically(path: Path, write: Callable[[BinaryIO, Path], None], *, wait: float = 0.0,
                       backup: bool = True, expected: Optional[FileIdentity] = None) -> Path | None:
    """Call ``write(binary_file, real_path)`` to produce the new content, then swap it in.

    ``path`` may be a symbolic link: it is resolved once and the file it leads to is locked,
    backed up and replaced (the link stays a link). ``expected``: the file as the caller read
    it; without it, the file as it is when the lock is taken. If the file is not that one
    any more when the new version is ready (a colleague saved, Excel autosaved), nothing is
    replaced. Returns the backup path (None without a backup)."""
    path = Path(path)
    real = Path(os.path.realpath(path))
    check_writable(path, real)
    with workbook_lock(real, wait):
        check_writable(path, real)  # Excel may have opened it while we waited
        if expected is not None and not still_same(real, expected) and not _written_since(real, expected):
            raise WorkbookBusyError(f"{path.name}: {CHANGED_MESSAGE}")
        before = identify(real)
        _remove_stale_temps(real)
        st = real.stat()
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(real), suffix=".tmp", dir=real.parent)
        except OSError as exc:
            raise WorkbookBusyError(f"{path.name}: 工作簿所在文件夹不可写（{reason(exc)}），无法写回核算结果") from None
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w+b") as out:
                try:
                    write(out, real)
                except PlanReportError:
                    # Read while someone rewrote it in place: theirs is a new version, not damage.
                    if not still_same(real, before):
                        raise WorkbookBusyError(f"{path.name}: {CHANGED_MESSAGE}") from None
                    raise
                out.flush()
                os.fsync(out.fileno())
            _keep_owner(tmp, st)
            if not still_same(real, before):
                raise WorkbookBusyError(f"{path.name}: {CHANGED_MESSAGE}")
            kept = _keep_backup(real) if backup else None
            try:
                os.replace(tmp, real)
            except PermissionError:
                # Windows refuses to replace a file Excel holds open.
                raise WorkbookBusyError(f"{path.name}: {BUSY_MESSAGE}") from None
            # Replaced: what follows only tidies up, and must not be reported as "未改动".
            with contextlib.suppress(OSError):
                _keep_windows_attributes(real, st)
                fsync_folder(real.parent)
                _note_written(real, before, identify(real))
            return kept
        except OSError as exc:
            raise PlanReportError(f"{path.name}: 写回核算结果失败（{reason(exc)}），工作簿未改动") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
