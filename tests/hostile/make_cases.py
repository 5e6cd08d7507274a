"""Generate the hostile-input corpus: ``python tests/hostile/make_cases.py OUTDIR``.

Every case is a file (or a missing/odd path) plus what `planreport check` must
answer: the exit code and either a stderr substring or findings (code + cell) in
``--json``. Nothing is committed as a blob; all files are built here from the
sample workbook's builder (workbooks/make_sample.py). ``requires`` names CLI
features a case needs beyond plain ``check`` (documentation: a missing one fails the case).

Base workbook: the sample with row 22's reported rate corrected to 200%, so a
clean copy checks with exit 0 and every error finding comes from the injected fault.
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
SHEET = "附件1"
FIRST_ROW = 3  # item 1 sits on row 3; item n on row n + 2
PASSWORD = "计划2025"
BAD_NAMES = ["=HYPERLINK(\"http://example.invalid\",\"点击\")", "+1+1", "-2-2", "@SUM(A1)"]
SCRIPT_NAME = "<script>alert('x')</script>规模以上工业增加值"
EVIL_TITLE = "../../逃逸/..\\报告:名*?\"<>|"


@dataclass
class Case:
    name: str
    file: str  # relative to the corpus folder
    exit: int
    stderr: Optional[str] = None  # substring of the single stderr line
    findings: list[tuple[str, str]] = field(default_factory=list)  # (code, cell) present in --json
    command: str = "check"  # or "refresh"
    args: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)  # "refresh", "--password", "--recalc"
    same_as: Optional[str] = None  # a case whose rates and statuses this one must reproduce exactly
    note: str = ""
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, cell) warnings present in --json
    skipped: list[str] = field(default_factory=list)  # sheets the reading map must list as skipped
    config: Optional[str] = None  # planreport.toml written beside the workbook (build_sweep cases)


# ---------------------------------------------------------------- building blocks

def _sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "workbooks" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base_workbook():
    wb = _sample_module().build_workbook()
    wb[SHEET]["F24"].value = 2.0  # 技术合同成交额 6/3 = 200%: the sample's deliberate mismatch removed
    return wb


def wb_bytes(mutate: Optional[Callable] = None) -> bytes:
    wb = base_workbook()
    if mutate:
        mutate(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite(data: bytes, changes: dict[str, Optional[bytes | Callable[[bytes], bytes]]],
            extra: Optional[dict[str, bytes]] = None) -> bytes:
    """Copy a zip package, replacing (bytes), transforming (callable) or dropping (None) members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename in changes:
                change = changes[info.filename]
                if change is None:
                    continue
                payload = change(payload) if callable(change) else change
            dst.writestr(info.filename, payload)
        for name, payload in (extra or {}).items():
            dst.writestr(name, payload)
    return out.getvalue()


def set_text(ws, ref: str, text: str) -> None:
    """A string cell even when it starts with '=' (openpyxl would make it a formula)."""
    ws[ref].value = text
    ws[ref].data_type = "s"


def deflated_zeros(total: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"0" * (1 << 20)
    parts = [comp.compress(block) for _ in range(total // len(block))]
    return b"".join(parts) + comp.flush()


def raw_member_zip(base: bytes, name: str, raw_deflate: bytes, declared: int, crc: int = 0) -> bytes:
    """The base package plus one member whose deflate stream and declared size are given."""
    eocd = base.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack_from("<HII", base, eocd + 10)
    name_b = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw_deflate), declared,
                        len(name_b), 0) + name_b + raw_deflate
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw_deflate), declared,
                        len(name_b), 0, 0, 0, 0, 0, cd_offset) + name_b
    directory = base[cd_offset: cd_offset + cd_size] + entry
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count + 1, count + 1, len(directory),
                      cd_offset + len(local), 0)
    return base[:cd_offset] + local + directory + end


def understated_zip(base: bytes, out: Path, extra: int, claim: int) -> Path:
    """The base package plus ``extra`` empty stored members, its end record claiming ``claim``
    entries in all. Streamed to ``out`` in two passes (members, then their directory entries),
    so a million members (an 80 MB file) never sit in memory."""
    eocd = base.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", base, eocd + 12)

    def members():
        offset = cd_offset
        for i in range(extra):
            name = f"{i:x}".encode()
            yield offset, name
            offset += 30 + len(name)

    with open(out, "wb") as f:
        f.write(base[:cd_offset])
        for _, name in members():
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 10, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0) + name)
        directory_start = f.tell()
        f.write(base[cd_offset: cd_offset + cd_size])
        for offset, name in members():
            f.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 10, 0, 0, 0, 0x21, 0, 0, 0,
                                len(name), 0, 0, 0, 0, 0, offset) + name)
        directory_size = f.tell() - directory_start
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, claim, claim, directory_size, directory_start, 0))
    return out


def to_strict(data: bytes) -> bytes:
    """What Excel's "Strict Open XML 电子表格" save changes: every SpreadsheetML, relationship,
    drawing and document-property namespace and relationship type, and conformance="strict"."""
    swaps = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
              b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
              b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"),
             (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main")]

    def strict(name: str):
        def change(xml: bytes) -> bytes:
            for old, new in swaps:
                xml = xml.replace(old, new)
            if name == "xl/workbook.xml":
                xml = re.sub(rb"<workbook ", b'<workbook conformance="strict" ', xml, count=1)
            return xml
        return change

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    return rewrite(data, {name: strict(name) for name in names})


# ---------------------------------------------------------------- XML payloads

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""


def _xxe(sheet_xml: bytes) -> bytes:
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", sheet_xml)
    return doctype + body.replace(b"<v>", b"<v>&xxe;", 1)


def _dimension(sheet_xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet_xml)


def _far_cell(sheet_xml: bytes) -> bytes:
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return sheet_xml.replace(b"</sheetData>", far + b"</sheetData>")


def _long_text(chars: int) -> bytes:
    """Random CJK text: long, yet compressing too poorly to look like a zip bomb."""
    rnd = random.Random(11)
    return "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(chars)).encode()


def _huge_merge(sheet_xml: bytes) -> bytes:
    """A merge from the first indicator to the last cell Excel has: must not be expanded cell by cell."""
    return re.sub(rb'<mergeCells count="(\d+)">',
                  lambda m: b'<mergeCells count="%d"><mergeCell ref="A3:XFD1048576"/>' % (int(m.group(1)) + 1),
                  sheet_xml)


def _many_rows(sheet_xml: bytes, count: int = 30_000) -> bytes:
    """The row of indicator 2 repeated below the table: big, yet inside every guard limit."""
    row = re.search(rb'<row r="4".*?</row>', sheet_xml, re.S).group(0)
    copies = (re.sub(rb'(\br=")([A-Z]*)4"', lambda m: m.group(1) + m.group(2) + b'%d"' % r, row)
              for r in range(100, 100 + count))
    return sheet_xml.replace(b"</sheetData>", b"".join(copies) + b"</sheetData>")


def _inline_long(sheet_xml: bytes) -> bytes:
    text = _long_text(200_000)  # one cell; Excel's limit is 32,767 characters
    cell = b'<row r="60"><c r="C60" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    return sheet_xml.replace(b"</sheetData>", cell + b"</sheetData>")


LONG_SST = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            b"<si><t>" + _long_text(200_000) + b"</t></si></sst>")


def _utf16(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*\?>", "", text)
    return '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16") + text.encode("utf-16-le")


# ---------------------------------------------------------------- cell-level mutations

def _cell(wb, ref, value, *, text=False):
    ws = wb[SHEET]
    if text:
        set_text(ws, ref, value)
    else:
        ws[ref].value = value


def _numbers_as_text(wb):
    ws = wb[SHEET]
    for row in range(FIRST_ROW, FIRST_ROW + 48):
        for col in "EF":
            cell = ws[f"{col}{row}"]
            if isinstance(cell.value, (int, float)):
                fmt = cell.number_format or ""
                shown = f"{cell.value * 100:g}%" if "%" in fmt else f"{cell.value:g}"
                set_text(ws, cell.coordinate, shown)


def _formula_names(wb):
    ws = wb[SHEET]
    for i, name in enumerate(BAD_NAMES):
        set_text(ws, f"C{FIRST_ROW + 10 + i}", name)


def _errors(wb):
    ws = wb[SHEET]
    ws["F6"].value = "#DIV/0!"  # openpyxl stores these as error cells (t="e")
    ws["E7"].value = "#N/A"
    ws["D8"].value = "#REF!"


def _merge_through(wb):
    ws = wb[SHEET]
    ws.merge_cells("D12:E13")  # one value spanning two indicators' target and actual


def _no_table(wb):
    for name in list(wb.sheetnames):
        del wb[name]
    ws = wb.create_sheet("数据")
    ws.append(["名称", "数量", "备注"])
    ws.append(["苹果", 3, "无"])
    ws.append(["香蕉", 5, "无"])


def _title(wb):
    wb[SHEET]["A1"].value = EVIL_TITLE


# ---------------------------------------------------------------- the corpus

def _xls_from(xlsx: Path, folder: Path) -> Optional[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xls",
                        "--outdir", str(folder), str(xlsx)], capture_output=True, timeout=120, check=False)
    out = folder / (xlsx.stem + ".xls")
    return out if out.exists() else None


def build(folder: Path) -> list[Case]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def put(name: str, data: bytes) -> str:
        (folder / name).write_bytes(data)
        return name

    good = wb_bytes()
    put("good.xlsx", good)
    cases.append(Case("good", "good.xlsx", 0, note="sample with row 22 corrected: the control case"))

    # -- broken files
    cases.append(Case("missing", "does-not-exist.xlsx", 2, "找不到文件"))
    (folder / "a-folder.xlsx").mkdir(exist_ok=True)
    cases.append(Case("directory", "a-folder.xlsx", 2, "文件夹"))
    cases.append(Case("empty", put("empty.xlsx", b""), 2, "空文件"))
    rnd = random.Random(7).randbytes(8192)
    cases.append(Case("random_bytes", put("random.xlsx", b"\x13\x37" + rnd), 2, "无法识别"))
    cases.append(Case("truncated_zip", put("truncated.xlsx", good[: len(good) // 2]), 2, "截断"))
    csv = "序号,指标,目标,完成情况\n1,地区生产总值,8%左右,5.5%\n".encode("gbk")
    cases.append(Case("csv_renamed", put("csv.xlsx", csv), 2, "CSV"))
    html = "<html><head><meta charset='utf-8'></head><body><table><tr><td>指标</td></tr></table></body></html>"
    cases.append(Case("html_renamed", put("html.xlsx", html.encode()), 2, "HTML"))
    xml2003 = ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
               "<Worksheet ss:Name=\"附件1\"/></Workbook>")
    cases.append(Case("spreadsheetml_2003", put("xml2003.xlsx", xml2003.encode()), 2, "2003 XML"))
    cases.append(Case("lock_file", put("~$kundulun.xlsx", b"\x08zhangsan" + b"\x00" * 150), 2, "临时锁文件"))
    docx = rewrite(good, {"xl/workbook.xml": None}, {"word/document.xml": b"<w:document/>"})
    cases.append(Case("docx_renamed", put("word.xlsx", docx), 2, "Word"))
    xlsb = rewrite(good, {"xl/workbook.xml": None}, {"xl/workbook.bin": b"\x83\x01\x00"})
    cases.append(Case("xlsb_renamed", put("binary.xlsx", xlsb), 2, "xlsb"))
    corrupt = bytearray(good)
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode())
    for k in range(start + 40, start + 80):
        corrupt[k] ^= 0xA5
    cases.append(Case("corrupt_deflate", put("corrupt.xlsx", bytes(corrupt)), 2, "损坏"))
    if hasattr(os, "mkfifo"):
        fifo = folder / "pipe.xlsx"
        if not fifo.exists():
            os.mkfifo(fifo)
        cases.append(Case("fifo", "pipe.xlsx", 2, "不是普通文件", note="must not block on open"))

    # -- legacy and encrypted
    xls = _xls_from(folder / "good.xlsx", folder / "xls-build")
    if xls:
        shutil.move(str(xls), folder / "legacy.xls")
        shutil.rmtree(folder / "xls-build", ignore_errors=True)
        cases.append(Case("legacy_xls_check", "legacy.xls", 0, same_as="good", note="read through python-calamine"))
        cases.append(Case("legacy_xls_refresh", "legacy.xls", 2, ".xls", command="refresh", requires=["refresh"]))
    from msoffcrypto.format.ooxml import OOXMLFile

    enc = io.BytesIO()
    OOXMLFile(io.BytesIO(good)).encrypt(PASSWORD, enc)
    put("encrypted.xlsx", enc.getvalue())
    cases.append(Case("encrypted_no_password", "encrypted.xlsx", 2, "工作簿已加密，请用 --password 提供密码"))
    cases.append(Case("encrypted_password", "encrypted.xlsx", 0, args=["--password", PASSWORD],
                      requires=["--password"], same_as="good"))
    cases.append(Case("encrypted_wrong_password", "encrypted.xlsx", 2, "密码不正确", args=["--password", "错的"],
                      requires=["--password"]))
    cases.append(Case("encrypted_refresh", "encrypted.xlsx", 2, "已加密", command="refresh",
                      args=["--password", PASSWORD], requires=["refresh", "--password"]))

    # -- resource attacks
    bomb = rewrite(good, {}, {"xl/media/image1.png": b"\0" * (64 << 20)})
    cases.append(Case("zip_bomb_ratio", put("bomb-ratio.xlsx", bomb), 2, "压缩炸弹"))
    lying = raw_member_zip(good, "xl/media/image2.png", deflated_zeros(300 << 20), declared=4096)
    cases.append(Case("zip_bomb_lying_size", put("bomb-lying.xlsx", lying), 2, "超过目录声明"))
    many = rewrite(good, {}, {f"xl/media/p{i}.bin": b"" for i in range(3000)})
    cases.append(Case("too_many_members", put("many-members.xlsx", many), 2, "个部件"))
    laughs = rewrite(good, {"xl/sharedStrings.xml": None}, {"xl/sharedStrings.xml": BILLION_LAUGHS})
    cases.append(Case("billion_laughs", put("laughs.xlsx", laughs), 2, "实体"))
    xxe = rewrite(good, {"xl/worksheets/sheet1.xml": _xxe})
    cases.append(Case("external_entity", put("xxe.xlsx", xxe), 2, "实体"))
    utf16 = rewrite(good, {"xl/worksheets/sheet1.xml": _utf16})
    cases.append(Case("utf16_part", put("utf16.xlsx", utf16), 2, "UTF-16"))
    dim = rewrite(good, {"xl/worksheets/sheet1.xml": _dimension, "xl/worksheets/sheet2.xml": _dimension})
    cases.append(Case("declared_dimension_huge", put("dimension.xlsx", dim), 0, same_as="good",
                      note="<dimension> claims A1:XFD1048576; must not allocate it"))
    rows = rewrite(good, {"xl/worksheets/sheet1.xml": _many_rows})
    cases.append(Case("thirty_thousand_rows", put("many-rows.xlsx", rows), 0,
                      note="within the guard's limits: the whole pipeline (incl. the terminal table) must stay bounded"))
    merge = rewrite(good, {"xl/worksheets/sheet1.xml": _huge_merge})
    cases.append(Case("merge_to_XFD1048576", put("huge-merge.xlsx", merge), 1, findings=[("merged_cut", f"{SHEET}!A3")]))
    far = rewrite(good, {"xl/worksheets/sheet1.xml": _far_cell})
    cases.append(Case("cell_at_XFD1048576", put("far-cell.xlsx", far), 2, "数据范围过大"))
    cases.append(Case("long_inline_string", put("long-inline.xlsx",
                                                rewrite(good, {"xl/worksheets/sheet1.xml": _inline_long})),
                      2, "超长文本"))
    long_sst = rewrite(good, {"xl/sharedStrings.xml": None}, {"xl/sharedStrings.xml": LONG_SST})
    cases.append(Case("long_shared_string", put("long-shared.xlsx", long_sst), 2, "超长文本"))

    # -- the end record under-states the members: the real ones are counted, fast and in bounded memory
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        honest = len(z.infolist())
    understated_zip(good, folder / "understated.xlsx", 1_000_010 - honest, honest)
    cases.append(Case("understated_member_count", "understated.xlsx", 2, "个部件",
                      note=f"end record claims {honest} members, the directory holds 1,000,010"))
    understated_zip(good, folder / "miscounted.xlsx", 1, honest)
    cases.append(Case("miscounted_members", "miscounted.xlsx", 2, "实际有"))

    # -- parts check does not need, broken: check tolerates them, write-back must too (or say so)
    for name, app in (("empty_app_xml", b""), ("malformed_app_xml", b"<Properties><TitlesOfParts>")):
        put(f"{name}.xlsx", rewrite(good, {"docProps/app.xml": app}))
        cases.append(Case(name, f"{name}.xlsx", 0, same_as="good"))
        cases.append(Case(f"{name}_refresh", f"{name}.xlsx", 0, command="refresh", requires=["refresh"],
                          note="app.xml only describes the file: left as it is, 核算结果 written"))
    put("malformed_content_types.xlsx", rewrite(good, {"[Content_Types].xml": lambda xml: xml[: len(xml) // 2]}))
    cases.append(Case("malformed_content_types", "malformed_content_types.xlsx", 0, same_as="good"))
    cases.append(Case("malformed_content_types_refresh", "malformed_content_types.xlsx", 2, "[Content_Types].xml",
                      command="refresh", requires=["refresh"]))

    # -- the workbook part where OPC allows it, not at xl/workbook.xml: found through _rels/.rels
    moved = {"xl/workbook.xml": "xl/book.xml", "xl/_rels/workbook.xml.rels": "xl/_rels/book.xml.rels"}
    with zipfile.ZipFile(io.BytesIO(good)) as src:
        parts = {moved.get(n, n): src.read(n) for n in src.namelist()}
    for index in ("_rels/.rels", "[Content_Types].xml"):
        parts[index] = parts[index].replace(b"xl/workbook.xml", b"xl/book.xml")
    changes = {**{n: None for n in moved}, **{n: parts[n] for n in ("_rels/.rels", "[Content_Types].xml")}}
    put("workbook_part_moved.xlsx", rewrite(good, changes, {n: parts[n] for n in moved.values()}))
    cases.append(Case("workbook_part_moved", "workbook_part_moved.xlsx", 0, same_as="good"))
    cases.append(Case("workbook_part_moved_refresh", "workbook_part_moved.xlsx", 0, command="refresh",
                      requires=["refresh"]))

    # -- a 核算结果 sheet of the user's own: read around, never overwritten
    def users_results(wb):
        wb.create_sheet("核算结果").append(["本单位自己的核算结果", "请勿删除"])

    put("users_results_sheet.xlsx", wb_bytes(users_results))
    cases.append(Case("users_results_sheet_refresh", "users_results_sheet.xlsx", 2, "不是 PlanReport 生成的",
                      command="refresh", requires=["refresh"]))

    # -- Strict Open XML: read, and written back in Strict
    put("strict.xlsx", to_strict(good))
    cases.append(Case("strict", "strict.xlsx", 0, same_as="good"))
    cases.append(Case("strict_refresh", "strict.xlsx", 0, command="refresh", requires=["refresh"]))

    # -- bad cells: error findings naming the cell, the rest computed
    def cell_case(name, mutate, exit_code, findings=(), **kw):
        cases.append(Case(name, put(f"{name}.xlsx", wb_bytes(mutate)), exit_code, findings=list(findings), **kw))

    cell_case("unparsed_target", lambda wb: _cell(wb, "D3", "8%左有"), 1, [("unparsed_target", f"{SHEET}!D3")])
    cell_case("unparsed_actual", lambda wb: _cell(wb, "E4", "十五点八"), 1, [("unparsed_actual", f"{SHEET}!E4")])
    # 即办件比率 83.41% of 80%: the formula gives the reported 104.26% once calculated.
    cell_case("uncached_formula", lambda wb: _cell(wb, "F25", "=E25/0.8"), 1,
              [("formula_not_calculated", f"{SHEET}!F25")])
    cases.append(Case("uncached_formula_recalc", "uncached_formula.xlsx", 0, args=["--recalc"], same_as="good",
                      requires=["--recalc"], note="LibreOffice recalculates into a temp copy"))
    cell_case("error_values", _errors, 1, [("error_value", f"{SHEET}!F6"), ("error_value", f"{SHEET}!E7"),
                                           ("error_value", f"{SHEET}!D8")])
    cell_case("merged_through_row", _merge_through, 1, [("merged_cut", f"{SHEET}!D12")])
    cell_case("numbers_as_text", _numbers_as_text, 0, same_as="good", note="'5.5%' typed as text is normal input")
    cell_case("formula_like_names", _formula_names, 0, note="names stay text in 核算结果")
    cases.append(Case("formula_like_names_refresh", "formula_like_names.xlsx", 0, command="refresh",
                      requires=["refresh"], note="核算结果 cells are strings, never formulas"))
    cell_case("script_in_name", lambda wb: _cell(wb, "C4", SCRIPT_NAME, text=True), 0)
    cases.append(Case("script_in_name_refresh", "script_in_name.xlsx", 0, command="refresh", requires=["refresh"],
                      note="HTML escapes the name"))
    cell_case("title_as_file_name", _title, 0)
    cases.append(Case("title_as_file_name_refresh", "title_as_file_name.xlsx", 0, command="refresh",
                      requires=["refresh"], note="output files stay inside --out with safe names"))
    cell_case("no_indicator_table", _no_table, 2, stderr="指标")

    (folder / "cases.json").write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    return cases


# ---------------------------------------------------------------- the sweep (tests/workbook/test_hostile_sweep.py)

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def to_shared_strings(data: bytes) -> bytes:
    """The package with every inline string moved into xl/sharedStrings.xml, as Excel saves it."""
    strings: list[bytes] = []
    index: dict[bytes, int] = {}

    def convert(xml: bytes) -> bytes:
        def one(m):
            text = m.group(2)
            if text not in index:
                index[text] = len(strings)
                strings.append(text)
            return m.group(1) + b' t="s"><v>%d</v></c>' % index[text]
        return re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>', one, xml)

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = {n: convert(z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/")}
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
           % (len(strings), len(strings)) + b"".join(b"<si><t>" + t + b"</t></si>" for t in strings) + b"</sst>")
    return rewrite(data, {
        **sheets,
        "[Content_Types].xml": lambda x: x.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                                   b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>", f'<Relationship Type="{R_NS}sharedStrings" '
                                                          'Target="sharedStrings.xml" Id="rId99"/></Relationships>'.encode()),
    }, {"xl/sharedStrings.xml": sst})


def add_tab(data: bytes, name: str, part: str, rel_type: str, content_type: str, body: bytes) -> bytes:
    """The package with one more sheet tab of another kind (chart sheet, dialog sheet, macro sheet)."""
    return rewrite(data, {
        "xl/workbook.xml": lambda x: x.replace(b"</sheets>", f'<sheet xmlns:r="{R_NS[:-1]}" name="{name}" sheetId="9" '
                                               'r:id="rId90"/></sheets>'.encode()),
        "xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>", f'<Relationship Type="{rel_type}" '
                                                          f'Target="/{part}" Id="rId90"/></Relationships>'.encode()),
        "[Content_Types].xml": lambda x: x.replace(b"</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/>'
                                                   '</Types>'.encode()),
    }, {part: body, _rels_of(part): b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'})


def _rels_of(part: str) -> str:
    folder, _, file = part.rpartition("/")
    return f"{folder}/_rels/{file}.rels"


def _sheet1(data: bytes, pattern: bytes, replacement: bytes) -> bytes:
    def change(xml: bytes) -> bytes:
        out, n = re.subn(pattern, replacement, xml, count=1)
        assert n == 1, pattern  # a mutation that no longer applies would make its case test nothing
        return out
    return rewrite(data, {"xl/worksheets/sheet1.xml": change})


def _writer(folder: Path) -> Callable[[str, bytes], str]:
    def put(name: str, data: bytes) -> str:
        (folder / name).write_bytes(data)
        return name
    return put


def build_sweep(folder: Path) -> list[Case]:
    """Cases found by the hostile sweep: each failed (内部错误, a silent loss or a wrong answer) before its fix."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    put = _writer(folder)
    good = wb_bytes()
    put("good.xlsx", good)  # the reference of same_as="good"
    shared = to_shared_strings(good)
    c3 = rb'(<c r="C3"[^>]*t="s"[^>]*><v>)\d+'
    cases.append(Case("shared_string_out_of_range", put("sst-oob.xlsx", _sheet1(shared, c3, rb"\g<1>99999")), 2,
                      f"{SHEET}!C3", note="was: the name silently gone, the row dropped"))
    cases.append(Case("shared_string_negative", put("sst-neg.xlsx", _sheet1(shared, c3, rb"\g<1>-1")), 2, f"{SHEET}!C3",
                      note="was: Python's -1 gave the last string, a wrong name read as right"))
    cases.append(Case("shared_string_not_a_number", put("sst-junk.xlsx", _sheet1(shared, c3, rb"\g<1>abc")), 2, "共享字符串"))
    cases.append(Case("shared_strings_clean", put("sst-good.xlsx", shared), 0, same_as="good"))
    e3 = rb'<c r="E3"[^>]*>(<v>[^<]*</v>)?</c>'
    cases.append(Case("unknown_cell_type", put("t-zz.xlsx", _sheet1(good, e3, rb'<c r="E3" t="zz"><v>0.055</v></c>')), 2,
                      f'{SHEET}!E3 的单元格类型', note="was: the actual silently empty"))
    cases.append(Case("row_number_not_a_number", put("row-x.xlsx", _sheet1(good, rb'<row r="3"', rb'<row r="x"')), 2,
                      "附件1", note="was: 已损坏（ValueError）with no sheet named"))
    for name, part, rel, ctype, body in (
            ("图表1", "xl/chartsheets/sheet1.xml", R_NS + "chartsheet",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml",
             b'<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr/>'
             b'<sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>'),
            ("对话框1", "xl/dialogsheets/sheet1.xml", R_NS + "dialogsheet",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml",
             b'<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr/></dialogsheet>'),
            ("宏1", "xl/macrosheets/sheet1.xml", "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
             "application/vnd.ms-excel.macrosheet+xml",
             b'<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1" '
             b't="inlineStr"><is><t>=HALT()</t></is></c></row></sheetData></xm:macrosheet>')):
        kind = part.split("/")[1]
        file = put(f"{kind}.xlsx", add_tab(good, name, part, rel, ctype, body))
        cases.append(Case(f"{kind}_listed", file, 0, skipped=[name], same_as="good",
                          note="was: the tab in neither tables nor skipped"))
        cases.append(Case(f"{kind}_refresh", file, 0, command="refresh"))
    cases.append(Case("chartsheet_part_missing", put("chart-missing.xlsx", rewrite(
        (folder / "chartsheets.xlsx").read_bytes(), {"xl/chartsheets/sheet1.xml": None})), 2, "xl/chartsheets/sheet1.xml"))

    def cell_case(name, mutate, exit_code, **kw):
        cases.append(Case(name, put(f"{name}.xlsx", wb_bytes(mutate)), exit_code, **kw))

    cell_case("target_only_percent_sign", lambda wb: _cell(wb, "D3", "%", text=True), 1,
              findings=[("unparsed_target", f"{SHEET}!D3")], note="was: a qualitative target, not computable, exit 0")

    def empty_table(wb):
        wb.create_sheet("空表").append(["序号", "指标", "目标", "完成情况", "完成率"])

    cell_case("table_without_rows", empty_table, 0, warnings=[("table_empty", "空表!B1")], note="was: no word at all")

    def side_by_side(wb):
        ws = wb[SHEET]
        for row, values in ((2, ["序号", "指标", "目标", "完成情况", "完成率"]), (3, [1, "外贸进出口", "5%", "6%", 1.2]),
                            (4, [2, "社会消费品零售总额", "6%", "3%", 0.5])):
            for col, value in zip("HIJKL", values):
                ws[f"{col}{row}"].value = value

    cell_case("table_beside_table", side_by_side, 0, warnings=[("table_beside", f"{SHEET}!I2")],
              note="was: the second table silently not read")

    # planreport.toml beside the workbook, broken in the ways that ended in 内部错误 or were taken silently
    for name, text, message in (
            ("config_planreport_value", "planreport = 5", "[planreport]"),
            ("config_tolerance_nan", "about_tolerance = nan", "about_tolerance"),
            ("config_tolerance_negative", "about_tolerance = -1", "about_tolerance"),
            ("config_gap_nan", "continuity_gap_points = nan", "continuity_gap_points"),
            ("config_ratio_nan", "max_ratio = nan", "max_ratio"),
            ("config_empty_word", 'ceiling_name_words = [""]', "ceiling_name_words"),
            ("config_not_utf8", "[report]\ntitle = \"报告\"\n", "UTF-8"),
            ("config_bad_toml", "[planreport\nx = 1", "第 1 行"),
            ("config_tables_row_beyond", '[[tables]]\nsheet = "附件1"\nheader_rows = [2000000]\n'
                                         'columns = {name = "C", target = "D"}', "header_rows"),
            ("config_tables_column_beyond", '[[tables]]\nsheet = "附件1"\nheader_rows = [2]\n'
                                            'columns = {name = "XFE", target = "D"}', "XFD"),
            ("config_tables_one_column_two_roles", '[[tables]]\nsheet = "附件1"\nheader_rows = [2]\n'
                                                   'columns = {name = "C", target = "C"}', "同一列 C"),
            ("config_tables_rows_reversed", '[[tables]]\nsheet = "附件1"\nheader_rows = [2]\nfirst_row = 40\n'
                                            'last_row = 10\ncolumns = {name = "C", target = "D"}', "last_row"),
            ("config_tables_twice", '[[tables]]\nsheet = "附件1"\nheader_rows = [2]\ncolumns = {name = "C", target = "D", '
                                    'actual = "E"}\n' * 2, "重复")):
        cases.append(Case(name, f"{name}/book.xlsx", 2, message, config=text))
    cases.append(Case("config_with_bom", "config_with_bom/book.xlsx", 0, config="\ufeff[report]\ntitle = \"报告\"\n",
                      note="Notepad saves UTF-8 with a BOM: was refused as bad TOML"))
    for case in cases:
        if case.config is not None:
            (folder / case.name).mkdir(exist_ok=True)
            (folder / case.file).write_bytes(good)
            encoding = "gbk" if case.name == "config_not_utf8" else "utf-8"
            (folder / case.name / "planreport.toml").write_bytes(case.config.encode(encoding))
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="hostile-"))
    built = build(target)
    print(f"{len(built)} cases in {target}")
