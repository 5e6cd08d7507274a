"""Files PlanReport writes — reports, next year's workbook — and the identity of one it read.

Nothing is ever half-written: content goes to a temporary file (or folder) in the
destination folder, is flushed to disk, and only then renamed into place, so a full
disk, a kill or a power cut leaves the old file (or none), never a truncated one.
Every OSError on the way becomes one Chinese line naming the file (PlanReportError).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Union

from addin.common.errors import FileInUseError, PlanReportError

TEMP_PREFIX = ".planreport-tmp-"

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "所在文件系统是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "路径不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "已有同名文件",
    errno.ENAMETOOLONG: "路径过长",
}


def reason(exc: OSError) -> str:
    """An OSError as the clause a statistician understands."""
    return _REASONS.get(exc.errno, exc.strerror or type(exc).__name__)


@dataclass(frozen=True)
class FileIdentity:
    """Which file, in which version: the same path may be replaced by another save at any time."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    sha256: str


def identify(path: Union[str, os.PathLike]) -> FileIdentity:
    """The identity of the file at ``path`` now (its content read once, from one open handle)."""
    with open(path, "rb") as f:
        return identify_open(f)


def identify_open(f: BinaryIO) -> FileIdentity:
    """The identity of an open file (read from its start; the position is left at the end)."""
    st = os.fstat(f.fileno())
    f.seek(0)
    digest = hashlib.file_digest(f, "sha256").hexdigest()
    return FileIdentity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, digest)


def still_same(path: Union[str, os.PathLike], expected: FileIdentity) -> bool:
    """True when ``path`` is still the very file and content ``expected`` describes.
    The stat fields are compared first, so a changed file costs no hashing."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != (expected.device, expected.inode, expected.size,
                                                              expected.mtime_ns):
        return False
    return identify(path) == expected


def temp_prefix(path: Path) -> str:
    """How the temporaries of ``path`` begin: a digest of its name, not the name, so a file
    whose name is near the file system's 255-byte limit still gets a temporary beside it."""
    return f"{TEMP_PREFIX}{hashlib.sha1(Path(path).name.encode('utf-8')).hexdigest()[:16]}-"


def ensure_folder(folder: Union[str, os.PathLike]) -> Path:
    """Create ``folder`` (and parents) or say in one line why it cannot be."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PlanReportError(f"{folder}: 输出位置是一个文件，不是文件夹；请换一个 --out 文件夹")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlanReportError(f"{folder}: 无法创建输出文件夹（{reason(exc)}）；请换一个 --out 文件夹或检查权限") from None
    return folder


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); Windows has no directory handles for it."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Union[str, os.PathLike], write: Callable[[BinaryIO], None], *, durable: bool = True) -> Path:
    """Call ``write(binary_file)`` on a temporary file beside ``path``, then rename it to ``path``.

    ``durable=False`` skips the two fsyncs, for bookkeeping whose loss in a power cut costs
    nothing but a question asked again: the rename still never shows a half-written file."""
    path = Path(path)
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PlanReportError(f"{path}: 无法写入（{reason(exc)}）") from None
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp_name, path)
        if durable:
            fsync_folder(folder)
    except OSError as exc:
        raise PlanReportError(f"{path}: 无法写入（{reason(exc)}），未留下不完整的文件") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    return path


class Staging:
    """A private folder inside the output folder where a set of reports is written whole,
    then each is renamed into place; on any failure the folder and everything in it goes.

    ``with Staging(out) as stage: render(stage.path("x.docx")); outputs = stage.publish(["x.docx"])``
    """

    def __init__(self, folder: Union[str, os.PathLike]):
        self.folder = Path(folder)
        self.dir: Path = self.folder

    def __enter__(self) -> "Staging":
        ensure_folder(self.folder)
        try:
            self.dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=self.folder))
        except OSError as exc:
            raise PlanReportError(f"{self.folder}: 输出文件夹不可写（{reason(exc)}）；请换一个 --out 文件夹或检查权限") from None
        return self

    def path(self, name: str) -> Path:
        return self.dir / name

    def publish(self, names: list[str]) -> list[Path]:
        for name in names:
            with open(self.dir / name, "rb") as f:
                os.fsync(f.fileno())
        placed = []
        for name in names:
            try:
                os.replace(self.dir / name, self.folder / name)
            except PermissionError:
                if (self.folder / name).exists():  # the old report is held open (Word locks what it shows)
                    raise FileInUseError(self.folder / name) from None
                raise
            placed.append(self.folder / name)
        fsync_folder(self.folder)
        return placed

    def __exit__(self, kind, exc, tb) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise PlanReportError(f"{self.folder}: 报告写入失败（{reason(exc)}），未留下不完整的文件") from None
