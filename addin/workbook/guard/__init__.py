"""First stage of every run: decide whether a file may be handed to a reader at all.

``open_source`` reads only what it must (the zip directory, one bounded streaming
pass over the parts, or the OLE2 directory), never writes, and turns every
problem into one Chinese line naming the file (addin.common.errors.PlanReportError).
The reader then opens ``GuardedSource.source`` and must stay inside
``GuardedSource.extents`` (see docs in this module's GuardedSource).
"""
from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, Optional, Union

from addin.common.errors import PlanReportError
from addin.workbook.files import FileIdentity, identify_open

from addin.workbook.guard.limits import Limits, raise_hint
from addin.workbook.guard.olescan import ENCRYPTED_NEEDS_PASSWORD, inspect_ole
from addin.workbook.guard.sniff import OLE_MAGIC, ZIP_MAGIC, describe_foreign
from addin.workbook.guard.zipscan import Refusal, SheetExtent, scan_package

__all__ = ["GuardedSource", "Limits", "SheetExtent", "open_source", "ENCRYPTED_NEEDS_PASSWORD"]

XLS_READONLY = ("这是旧版 .xls 工作簿，只能读取核算，不能写回结果；请在 Excel 中“另存为” .xlsx 后再运行 refresh"
                "（或加 --no-writeback 只生成报告）")
ENCRYPTED_READONLY = ("工作簿已加密，不能直接写回结果；请在 Excel 中取消密码并保存后再运行 refresh"
                      "（或加 --no-writeback 只生成报告）")


@dataclass
class GuardedSource:
    """What the reader may open, and what it must respect.

    - ``source``: the path, or a fresh in-memory copy (decrypted workbooks); pass it
      to openpyxl.load_workbook / python_calamine.load_workbook as is.
    - ``extents``: per sheet tab, the used range (max_row, max_col) of cells that
      hold a value or formula. Readers must size grids and iterate only up to it,
      not to the sheet's declared <dimension>, which can claim A1:XFD1048576.
    - ``writable`` / ``readonly_reason``: write-back calls ``require_writable()``.
    """

    path: Path
    format: Literal["xlsx", "xlsm", "xls"]
    writable: bool
    readonly_reason: Optional[str] = None
    extents: dict[str, SheetExtent] = field(default_factory=dict)
    data: Optional[bytes] = field(default=None, repr=False)  # decrypted package
    # The file as it was vetted and read (inode, size, mtime_ns, content hash): write-back
    # replaces it only while it is still this one, never a version someone saved since.
    identity: Optional[FileIdentity] = None

    @property
    def encrypted(self) -> bool:
        return self.data is not None

    @property
    def source(self) -> Union[str, BinaryIO]:
        return io.BytesIO(self.data) if self.data is not None else str(self.path)

    def require_writable(self) -> None:
        if not self.writable:
            raise PlanReportError(f"{self.path}: {self.readonly_reason}")


def open_source(path: Union[str, os.PathLike], *, password: Optional[str] = None,
                limits: Any = None, label: Optional[str] = None) -> GuardedSource:
    """Vet ``path`` and say how to read it; raise PlanReportError with one Chinese line (naming
    ``label``, by default the path) otherwise."""
    limits = Limits.coerce(limits)
    path = Path(path)
    label = label or str(path)
    try:
        return _open(path, password, limits)
    except Refusal as exc:
        raise PlanReportError(f"{label}: {exc}") from None
    except PermissionError:
        raise PlanReportError(f"{label}: 没有读取权限（或文件正被其他程序独占）；请关闭占用它的程序或检查权限") from None
    except MemoryError:
        raise PlanReportError(f"{label}: 文件过大，内存不足以检查；请确认文件来源") from None
    except OSError as exc:
        raise PlanReportError(f"{label}: 无法读取文件（{exc.strerror or exc}）；请检查路径和磁盘") from None


def _open(path: Path, password: Optional[str], limits: Limits) -> GuardedSource:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise Refusal("找不到文件；请检查路径和文件名（含扩展名 .xlsx）") from None
    except NotADirectoryError:
        raise Refusal("找不到文件（路径中有一段不是文件夹）；请检查路径") from None
    if stat.S_ISDIR(st.st_mode):
        raise Refusal("这是文件夹，不是工作簿；请指定其中的 .xlsx 文件（批量处理文件夹请用 batch 命令）")
    if not stat.S_ISREG(st.st_mode):
        raise Refusal("不是普通文件（可能是设备或管道）；请指定 .xlsx 工作簿文件")
    if st.st_size == 0:
        raise Refusal("是空文件（0 字节），可能复制或下载未完成；请重新获取原文件")
    if st.st_size > limits.max_file_bytes:
        raise Refusal(f"文件有 {st.st_size // (1024 * 1024)} MB，超过上限 {limits.max_file_bytes // (1024 * 1024)} MB，"
                      f"远超计划执行表的规模；请确认文件，{raise_hint('max_file_bytes')}")
    with open(path, "rb") as fp:
        head = fp.read(min(limits.prescan_bytes, st.st_size))
        if head.startswith(ZIP_MAGIC):
            info = scan_package(fp, st.st_size, limits)
            return GuardedSource(path=path, format=info.format, writable=True, extents=info.extents,
                                 identity=identify_open(fp))
        if head.startswith(OLE_MAGIC):
            return _from_ole(path, fp, password, limits)
    raise Refusal(describe_foreign(head, path.name))


def _from_ole(path: Path, fp: BinaryIO, password: Optional[str], limits: Limits) -> GuardedSource:
    info = inspect_ole(fp, limits, password)
    if info.kind == "xls":
        return GuardedSource(path=path, format="xls", writable=False, readonly_reason=XLS_READONLY,
                             extents=info.extents or {})
    data = info.data.getvalue()
    inner = io.BytesIO(data)
    if data.startswith(ZIP_MAGIC):
        package = scan_package(inner, len(data), limits)
        fmt, extents = package.format, package.extents
    elif data.startswith(OLE_MAGIC):
        decrypted = inspect_ole(inner, limits, None)
        if decrypted.kind != "xls":
            raise Refusal("解密后的内容不是工作簿；请确认文件来源")
        fmt, extents = "xls", decrypted.extents or {}
    else:
        raise Refusal("解密后的内容不是工作簿；请确认文件来源")
    return GuardedSource(path=path, format=fmt, writable=False, readonly_reason=ENCRYPTED_READONLY,
                         extents=extents, data=data)
