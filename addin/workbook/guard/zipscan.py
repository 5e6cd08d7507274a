"""Bounded inspection of an OOXML zip package before any parser opens it.

Reads the central directory, refuses what no honest workbook contains (bombs,
DTDs, odd encodings, absurd used ranges, giant strings), and measures each
sheet's used range so the reader never allocates beyond it. Member data is
streamed through zlib in 1 MiB pieces and counted: the declared size in the
directory can lie, and not every reader (calamine's Rust zip) stops at it.
Typical plan workbooks (< 1 MB of XML) pass in a few milliseconds.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Callable, Optional

from addin.workbook.opc import PackageError, PackageIndex

from addin.workbook.guard.base import Refusal, SheetExtent, check_total_area
from addin.workbook.guard.cellscan import CellScan, TextRuns
from addin.workbook.guard.limits import MiB, Limits, raise_hint

__all__ = ["Refusal", "SheetExtent", "PackageInfo", "scan_package"]

CHUNK = 1 * MiB
SAFE_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1",
                  "gb2312", "gbk", "gb18030", "windows-1252", "cp1252", "cp936"}
MACRO_TYPE = b"macroEnabled"
SHEET_PART = re.compile(r"(?i)^xl/(worksheets|dialogsheets|macrosheets)/[^/]+\.xml$")
TEXT_PART = re.compile(r"(?i)^xl/(sharedStrings\.xml|comments[^/]*\.xml|threadedComments/.*\.xml)$")
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
FOREIGN_MAIN = {
    "xl/workbook.bin": "这是 .xlsb 二进制工作簿，本工具不支持；请在 Excel 中“另存为” .xlsx 工作簿再试",
    "word/document.xml": "这是 Word 文档，不是 Excel 工作簿；请选择 .xlsx 工作簿",
    "ppt/presentation.xml": "这是 PowerPoint 演示文稿，不是 Excel 工作簿；请选择 .xlsx 工作簿",
    "content.xml": "这是 OpenDocument（WPS/LibreOffice）格式文件；请“另存为” .xlsx 工作簿再试",
}


@dataclass
class PackageInfo:
    format: str  # xlsx | xlsm
    extents: dict[str, SheetExtent]  # by sheet name (tab), e.g. "附件1"


def scan_package(fp: BinaryIO, size: int, limits: Limits) -> PackageInfo:
    entries, cd_size, cd_end = _directory_totals(fp, size)
    if entries > limits.max_members:
        raise _too_many_members(f"压缩包内有 {entries} 个部件", limits)
    if cd_size > 64 * MiB:
        raise Refusal("压缩包目录异常庞大，不像正常工作簿；请确认文件来源")
    _count_entries(fp, entries, cd_size, cd_end, limits)
    try:
        zf = zipfile.ZipFile(fp)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, struct.error) as exc:
        raise Refusal(f"压缩包结构损坏（{exc}）；请重新获取原文件") from None
    names = [i.filename for i in infos]
    _check_directory(infos, names, limits)
    main_part, index = _main_part(fp, infos, names, limits)
    tabs = {e.part: e.name or e.part for e in index.sheets() if e.part} if index else {}
    extents: dict[str, SheetExtent] = {}
    total = [0]
    cells = [0]
    tags = TagBudget(limits)
    for info in infos:
        if info.is_dir():
            continue
        consumers = _consumers_for(info.filename, tabs, extents, cells, limits, tags)
        _stream_member(fp, info, limits, total, consumers)
    check_total_area(extents, limits)
    fmt = "xlsm" if _is_macro(index, infos) else "xlsx"
    return PackageInfo(format=fmt, extents={e.sheet: e for e in extents.values()})


def _too_many_members(clause: str, limits: Limits) -> Refusal:
    return Refusal(f"{clause}，超过上限 {limits.max_members}，不像正常工作簿；请确认文件来源，{raise_hint('max_members')}")


def _directory_totals(fp: BinaryIO, size: int) -> tuple[int, int, int]:
    """Entry count, directory size and where the directory ends, from the end record,
    before zipfile builds a list."""
    tail_len = min(size, 22 + 65535)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        raise Refusal("文件不完整（压缩包被截断），可能是下载或复制未完成；请重新获取原文件")
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<IHHHHIIH", tail[pos:pos + 22])
    cd_end = size - tail_len + pos
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator = tail[pos - 20:pos] if pos >= 20 else b""
        if locator[:4] != b"PK\x06\x07":
            raise Refusal("压缩包结构损坏（ZIP64 目录缺失）；请重新获取原文件")
        (offset,) = struct.unpack("<Q", locator[8:16])
        fp.seek(offset)
        record = fp.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise Refusal("压缩包结构损坏（ZIP64 目录损坏）；请重新获取原文件")
        entries, cd_size = struct.unpack("<QQ", record[32:48])
        cd_end = offset
    return entries, cd_size, cd_end


_CD_ENTRY = struct.Struct("<4s24xHHH12x")  # signature ... name, extra and comment lengths: 46 bytes


def _count_entries(fp: BinaryIO, claimed: int, cd_size: int, cd_end: int, limits: Limits) -> None:
    """Walk the central directory header by header, as zipfile will (it reads ``cd_size``
    bytes before the end record and ignores the count): the count in the end record can
    under-state the entries (claims 11, holds 1,000,010), and a list of a million ZipInfos
    costs seconds and hundreds of MB. Stops one entry past the limit, so it stays fast."""
    start = cd_end - cd_size
    if start < 0:
        raise Refusal("压缩包结构损坏（目录位置无效）；请重新获取原文件")
    fp.seek(start)
    count, pos = 0, start
    while pos + _CD_ENTRY.size <= cd_end:
        head = fp.read(_CD_ENTRY.size)
        signature, name_len, extra_len, comment_len = _CD_ENTRY.unpack(head)
        if signature != b"PK\x01\x02":
            break  # zipfile stops here too (and says the directory is bad)
        count += 1
        if count > limits.max_members:
            raise _too_many_members(f"压缩包内有超过 {limits.max_members} 个部件（目录末尾记录只声称 {claimed} 个）", limits)
        skip = name_len + extra_len + comment_len
        fp.seek(skip, 1)
        pos += _CD_ENTRY.size + skip
    if count != claimed:
        raise Refusal(f"压缩包目录末尾记录声称 {claimed} 个部件，目录中实际有 {count} 个，文件被篡改或损坏；请重新获取原文件")


def _check_directory(infos: list[zipfile.ZipInfo], names: list[str], limits: Limits) -> None:
    if len(set(n.lower() for n in names)) != len(names):
        raise Refusal("压缩包内有重名部件，不同软件会读到不同内容；请在 Excel 中重新保存后再试")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refusal("压缩包部件带有 ZIP 密码，不是正常工作簿；请确认文件来源")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refusal(f"压缩包部件 {info.filename} 使用了 Excel 不用的压缩方式；请在 Excel 中重新保存后再试")
        if info.file_size > limits.max_member_uncompressed:
            raise Refusal(_bomb(f"部件 {info.filename} 解压后 {info.file_size // MiB} MB", "max_member_uncompressed"))
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise Refusal(_bomb(f"部件 {info.filename} 压缩比 {ratio:.0f}:1 超过上限 {limits.max_ratio:.0f}:1", "max_ratio"))
        total += info.file_size
    if total > limits.max_total_uncompressed:
        raise Refusal(_bomb(f"解压后共 {total // MiB} MB", "max_total_uncompressed"))


def _bomb(detail: str, setting: str) -> str:
    return f"疑似压缩炸弹：{detail}；未读取。{raise_hint(setting)}"


def _main_part(fp, infos, names, limits) -> tuple[str, Optional[PackageIndex]]:
    """The workbook part, and the package index when its parts parse (the reader says
    precisely what is broken otherwise; the guard needs the index only to label sheets)."""
    present = set(names)
    for part, clause in FOREIGN_MAIN.items():
        if part in present and "xl/workbook.xml" not in present:
            raise Refusal(clause)
    if "[Content_Types].xml" not in present:
        raise Refusal("压缩包里没有 [Content_Types].xml，不是 Office 工作簿；请选择 .xlsx 工作簿")
    try:
        index = PackageIndex(lambda name: _small_part(fp, infos, name, limits), names)
        target = index.workbook_part
    except PackageError:
        index, target = None, "xl/workbook.xml" if "xl/workbook.xml" in present else None
    if target is None or target not in present:
        raise Refusal("压缩包里找不到工作簿主体（xl/workbook.xml），不是 Excel 工作簿或已损坏；请重新获取原文件")
    return target, index


def _is_macro(index: Optional[PackageIndex], infos) -> bool:
    try:
        declared = index.override_type(index.workbook_part) if index else None
    except PackageError:
        declared = None
    if declared is not None:
        return MACRO_TYPE.decode() in declared
    return any(i.filename.lower() == "xl/vbaproject.bin" for i in infos)


def _small_part(fp, infos, name: str, limits: Limits) -> Optional[bytes]:
    """A directory/relationship part read whole (they are a few KB in any real workbook)."""
    for info in infos:
        if info.filename == name:
            if info.file_size > 16 * MiB:
                raise Refusal(f"部件 {name} 异常庞大（{info.file_size // MiB} MB），不像正常工作簿；请确认文件来源")
            parts: list[bytes] = []
            _stream_member(fp, info, limits, [0], [XmlSafety(name), parts.append])
            return b"".join(parts)
    return None


def _consumers_for(name: str, tabs, extents, cells, limits, tags) -> list[Callable[[bytes], None]]:
    consumers: list[Callable[[bytes], None]] = [XmlSafety(name, tags)]
    if SHEET_PART.match(name) or name in tabs:
        extent = extents[name] = SheetExtent(sheet=tabs.get(name, name))
        consumers.append(CellScan(extent, cells, limits))
    elif TEXT_PART.match(name):
        consumers.append(TextRuns(f"部件 {name} ", limits))
    return consumers


def _stream_member(fp: BinaryIO, info: zipfile.ZipInfo, limits: Limits, total: list[int],
                   consumers: list[Callable[[bytes], None]]) -> None:
    """Decompress one member in bounded pieces, counting what actually comes out."""
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Refusal(f"压缩包部件 {info.filename} 的数据缺失（文件可能被截断）；请重新获取原文件")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    remaining, produced, crc = info.compress_size, 0, 0

    def emit(data: bytes) -> None:
        nonlocal produced, crc
        produced += len(data)
        total[0] += len(data)
        if produced > info.file_size:
            raise Refusal(f"压缩包部件 {info.filename} 实际解压大小超过目录声明，文件被篡改或损坏；未读取")
        if total[0] > limits.max_total_uncompressed:
            raise Refusal(_bomb(f"实际解压超过 {limits.max_total_uncompressed // MiB} MB", "max_total_uncompressed"))
        crc = zlib.crc32(data, crc)
        for consume in consumers:
            consume(data)

    try:
        while remaining > 0:
            raw = fp.read(min(CHUNK, remaining))
            if not raw:
                raise Refusal(f"压缩包部件 {info.filename} 的数据不完整（文件被截断）；请重新获取原文件")
            remaining -= len(raw)
            if inflater is None:
                emit(raw)
                continue
            while raw:
                out = inflater.decompress(raw, CHUNK)
                raw = inflater.unconsumed_tail
                if out:
                    emit(out)
                if inflater.eof:
                    break
        if inflater is not None:
            tail = inflater.flush()
            if tail:
                emit(tail)
    except zlib.error:
        raise Refusal(f"压缩包部件 {info.filename} 的数据已损坏，无法解压；请重新获取原文件") from None
    if produced != info.file_size or crc != info.CRC:
        raise Refusal(f"压缩包部件 {info.filename} 校验失败（文件损坏或被截断）；请重新获取原文件")
    for consume in consumers:
        finish = getattr(consume, "finish", None)
        if finish:
            finish()


class XmlSafety:
    """Refuse DTDs (entity expansion, external entities) and encodings that could hide one.

    OPC forbids DTDs in package parts, so no honest workbook has one; Excel escapes
    ``<`` in cell text, so a literal ``<!DOCTYPE``/``<!ENTITY`` is always markup.
    """

    MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
    XML_NAMES = (".xml", ".rels", ".vml")
    XML_HEADS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<", b"\x00\x00")

    def __init__(self, name: str, tags: Optional["TagBudget"] = None):
        self.name = name
        self.tags = tags
        self.first = True
        self.active = True
        self.carry = b""

    def __call__(self, data: bytes) -> None:
        if self.first:
            self.first = False
            # Images and printer settings are not parsed; anything that may be XML is, whatever its name.
            self.active = self.name.lower().endswith(self.XML_NAMES) or data.lstrip(b" \t\r\n").startswith(self.XML_HEADS)
            if self.active:
                self._check_encoding(data[:512])
        if not self.active:
            return
        if self.tags is not None:
            self.tags.add(data)
        window = self.carry + data
        if any(m in window for m in self.MARKERS):
            raise Refusal(f"部件 {self.name} 含有 DTD/实体声明（可能是 XML 实体攻击）；未读取，请确认文件来源")
        self.carry = window[-16:]

    def _check_encoding(self, head: bytes) -> None:
        if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00", b"\x00\x00")):
            raise Refusal(f"部件 {self.name} 使用了 UTF-16/32 编码，本工具不支持；请在 Excel 中重新保存后再试")
        m = XML_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
        if m and m.group(1).decode("ascii").lower() not in SAFE_ENCODINGS:
            raise Refusal(f"部件 {self.name} 使用了不支持的编码 {m.group(1).decode('ascii')}；请在 Excel 中重新保存后再试")


class TagBudget:
    """Elements across all XML parts: readers spend Python time on each one."""

    def __init__(self, limits: Limits):
        self.limit = limits.max_xml_tags
        self.count = 0

    def add(self, data: bytes) -> None:
        self.count += data.count(b"<")
        if self.count > self.limit:
            raise Refusal(f"工作簿的 XML 元素超过 {self.limit} 个，远超计划执行表的规模（可能是大量空行或无用样式）；"
                          f"请只保留需要核算的工作表后另存再试；{raise_hint('max_xml_tags')}")
