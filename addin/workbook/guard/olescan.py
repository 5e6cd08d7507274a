"""OLE2 compound files: legacy .xls, and password-protected workbooks of any kind.

Excel stores an encrypted .xlsx as an OLE2 file holding EncryptionInfo and
EncryptedPackage; msoffcrypto-tool decrypts it (and RC4-encrypted .xls) into
memory, never to disk.
"""
from __future__ import annotations

import inspect
import io
import struct
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Optional

from addin.workbook.guard.limits import Limits, raise_hint
from addin.workbook.guard.base import Refusal, SheetExtent, check_total_area, too_many_cells

ENCRYPTED_NEEDS_PASSWORD = "工作簿已加密，请用 --password 提供密码"
BOF, EOF, BOUNDSHEET, MULRK = 0x0809, 0x000A, 0x0085, 0x00BD
# NUMBER, RK, LABELSST, LABEL, FORMULA, BOOLERR, RSTRING: records that carry a value.
VALUE_RECORDS = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6})


@dataclass
class OleInfo:
    kind: str  # "xls" or "encrypted" (decrypted bytes in .data)
    data: Optional[io.BytesIO] = None
    extents: Optional[dict[str, SheetExtent]] = None


def inspect_ole(fp: BinaryIO, limits: Limits, password: Optional[str]) -> OleInfo:
    import olefile

    try:
        ole = olefile.OleFileIO(fp)
        streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception as exc:  # olefile raises several types for broken sectors
        raise Refusal(f"OLE 复合文档已损坏（{exc}）；请重新获取原文件") from None
    try:
        if {"EncryptionInfo", "EncryptedPackage"} <= streams:
            return OleInfo(kind="encrypted", data=_decrypt(fp, password))
        book = "Workbook" if "Workbook" in streams else "Book" if "Book" in streams else None
        if book is None:
            raise Refusal(_foreign_ole(streams))
        if ole.get_size(book) > limits.max_file_bytes:
            raise Refusal(f"工作簿数据流异常庞大，不像正常工作簿；请确认文件来源，{raise_hint('max_file_bytes')}")
        stream = ole.openstream(book).read()
    finally:
        ole.close()
    if _biff_encrypted(stream):
        return OleInfo(kind="encrypted", data=_decrypt(fp, password))
    return OleInfo(kind="xls", extents=biff_extents(stream, limits))


def _foreign_ole(streams: set[str]) -> str:
    if "WordDocument" in streams:
        return "这是 Word 文档（.doc），不是 Excel 工作簿；请选择 .xlsx 或 .xls 工作簿"
    if "PowerPoint Document" in streams:
        return "这是 PowerPoint 演示文稿，不是 Excel 工作簿；请选择 .xlsx 或 .xls 工作簿"
    return "这是 OLE 复合文档，但里面没有 Excel 工作簿数据；请选择 .xlsx 或 .xls 工作簿"


def _decrypt(fp: BinaryIO, password: Optional[str]) -> io.BytesIO:
    if not password:
        raise Refusal(ENCRYPTED_NEEDS_PASSWORD)
    import msoffcrypto
    from msoffcrypto import exceptions as mx

    fp.seek(0)
    out = io.BytesIO()
    try:
        office = msoffcrypto.OfficeFile(fp)
        if "verify_password" in inspect.signature(office.load_key).parameters:
            office.load_key(password=password, verify_password=True)
        else:  # .xls RC4: the key is checked while decrypting
            office.load_key(password=password)
        office.decrypt(out)
    except (mx.InvalidKeyError, mx.DecryptionError) as exc:
        if "password" in str(exc).lower() or isinstance(exc, mx.InvalidKeyError):
            raise Refusal("密码不正确，无法打开加密的工作簿；请核对 --password 后重试") from None
        raise Refusal(f"无法解密工作簿（{exc}）；请在 Excel 中取消密码后另存再试") from None
    except Exception as exc:  # unsupported schemes surface as assorted errors
        raise Refusal(f"无法解密工作簿（{type(exc).__name__}）；请在 Excel 中取消密码后另存再试") from None
    out.seek(0)
    return out


def _records(stream: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(offset, type, body offset, body length) of each BIFF record, in order."""
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        rtype, rlen = struct.unpack_from("<HH", stream, pos)
        yield pos, rtype, pos + 4, rlen
        pos += 4 + rlen


def _biff_encrypted(stream: bytes) -> bool:
    """FILEPASS (0x002F) in the globals substream marks an encrypted .xls."""
    for _, rtype, _, _ in _records(stream):
        if rtype == 0x002F:
            return True
        if rtype == EOF:
            return False
    return False


def biff_extents(stream: bytes, limits: Limits) -> dict[str, SheetExtent]:
    """Used range of each sheet from the value records (calamine allocates it densely)."""
    names = _boundsheets(stream)
    extents: dict[str, SheetExtent] = {}
    current: Optional[SheetExtent] = None
    seen_globals = False
    cells = 0
    for pos, rtype, body, rlen in _records(stream):
        if rtype == BOF:
            if seen_globals:
                label = names.get(pos, f"第 {len(extents) + 1} 个工作表")
                current = extents.setdefault(label, SheetExtent(sheet=label))
            seen_globals = True
        elif current is not None and rlen >= 4 and (rtype in VALUE_RECORDS or rtype == MULRK):
            row, col = struct.unpack_from("<HH", stream, body)
            last = col
            if rtype == MULRK and rlen >= 6:
                (last,) = struct.unpack_from("<H", stream, body + rlen - 2)
                cells += max(last - col, 0)
            cells += 1
            current.cells += 1
            current.max_row = max(current.max_row, row + 1)
            current.max_col = max(current.max_col, max(col, last) + 1)
            if cells > limits.max_cells:
                raise too_many_cells(limits)
            if current.area > limits.max_sheet_area:
                raise Refusal(f"工作表「{current.sheet}」的数据范围过大（到第 {current.max_row} 行、"
                              f"第 {current.max_col} 列），通常是远处有多余的单元格；请删除多余行列后另存再试；"
                              f"{raise_hint('max_sheet_area')}")
    check_total_area(extents, limits)
    return extents


def _boundsheets(stream: bytes) -> dict[int, str]:
    """Stream offset of each sheet's BOF -> its tab name (BIFF8 BOUNDSHEET)."""
    names: dict[int, str] = {}
    for _, rtype, body, rlen in _records(stream):
        if rtype == BOUNDSHEET and rlen >= 8:
            (offset,) = struct.unpack_from("<I", stream, body)
            cch, flags = stream[body + 6], stream[body + 7]
            raw = stream[body + 8: body + 8 + (cch * 2 if flags & 1 else cch)]
            names[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
        if rtype == EOF:
            break
    return names
