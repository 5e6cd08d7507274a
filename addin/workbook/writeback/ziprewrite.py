"""Rewrite a zip package: members we change are written anew, every other member is
copied as its raw compressed bytes, so the user's parts stay byte-identical (and
nothing is recompressed, which keeps large workbooks fast)."""
from __future__ import annotations

import struct
import zipfile
from contextlib import nullcontext
from typing import BinaryIO

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DATA_DESCRIPTOR_FLAG = 0x08
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # our own parts: same bytes every run


def _raw_member(src: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    src.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(src.read(_LOCAL_HEADER.size))
    if header[0] != _LOCAL_SIGNATURE:
        raise zipfile.BadZipFile(f"{info.filename}: 本地文件头损坏")
    name_len, extra_len = header[10], header[11]
    src.seek(name_len + extra_len, 1)
    data = src.read(info.compress_size)
    if len(data) != info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename}: 数据不完整")
    return data


def _copy_raw(out: zipfile.ZipFile, src: BinaryIO, info: zipfile.ZipInfo) -> None:
    raw = _raw_member(src, info)
    clone = zipfile.ZipInfo(info.filename, info.date_time)
    for attr in ("compress_type", "comment", "create_system", "create_version", "extract_version",
                 "external_attr", "internal_attr", "CRC", "compress_size", "file_size"):
        setattr(clone, attr, getattr(info, attr))
    # Sizes go into the local header, so no data descriptor follows the raw bytes.
    clone.flag_bits = info.flag_bits & ~_DATA_DESCRIPTOR_FLAG
    clone.extra = b""
    fp = out.fp
    clone.header_offset = fp.tell()
    zip64 = info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT
    fp.write(clone.FileHeader(zip64))
    fp.write(raw)
    out.start_dir = fp.tell()  # where zipfile writes the next member and the central directory
    out.filelist.append(clone)
    out.NameToInfo[clone.filename] = clone
    out._didModify = True  # zipfile writes the central directory only when it knows it changed


def rewrite(src_path, dst: BinaryIO, replace: dict[str, bytes], order_new: list[str],
            drop: frozenset[str] | set[str] = frozenset()) -> None:
    """Write ``src_path`` to ``dst`` with the members in ``replace`` substituted (in place),
    those in ``order_new`` (not in the source) appended at the end and ``drop`` left out."""
    # A path, or a binary file already open (the Word renderer passes its template's bytes).
    source = nullcontext(src_path) if hasattr(src_path, "read") else open(src_path, "rb")
    with source as raw_src, zipfile.ZipFile(raw_src) as zin, \
            zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            if info.filename in replace:
                _write_new(zout, info.filename, replace[info.filename], info.date_time)
            else:
                if info.flag_bits & 0x01:
                    raise zipfile.BadZipFile(f"{info.filename}: 成员已加密")
                _copy_raw(zout, raw_src, info)
        for name in order_new:
            _write_new(zout, name, replace[name], FIXED_DATE)


def _write_new(out: zipfile.ZipFile, name: str, data: bytes, date_time) -> None:
    info = zipfile.ZipInfo(name, date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    out.writestr(info, data)
