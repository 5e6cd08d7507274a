"""Build PlanReport.xlam from xlwings' ribbon add-in template.

The template's VBA project is unlocked and its ``_VBA_PROJECT`` stream carries
version 0xFFFF, so Excel compiles modules from source on load. We therefore
only need to (1) make each module we rewrite source-only (MODULEOFFSET 0 in the
``dir`` stream, module stream = compressed source), (2) rewrite the compound
file with streams of new sizes, and (3) copy the zip with the VBA project and
the ribbon XML swapped. Byte-reproducible: fixed zip timestamps, template order.
"""
from __future__ import annotations

import io
import struct
import tempfile
import zipfile
from pathlib import Path

from addin.office import ovba

PACKAGE_DIR = Path(__file__).resolve().parent
VBA_DIR = PACKAGE_DIR / "vba"
CUSTOMUI = PACKAGE_DIR / "customui.xml"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
VBA_PART = "xl/vbaProject.bin"
CUSTOMUI_PART = "customUI/customUI.xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The xlwings VBA module names its settings after PROJECT_NAME: the sheet
# "<name>.conf" and the user file %USERPROFILE%\.<name>\<name>.conf (on a Mac
# ~/Library/Containers/com.microsoft.Excel/Data/<name>.conf). The template says
# "myaddin"; ours reads its own file, which `planreport excel install` writes.
PROJECT_NAME = "planreport"
_PROJECT_NAME_LINE = 'Public Const PROJECT_NAME As String = "{}"'

_MODULESTREAMNAME = 0x001A
_MODULEOFFSET = 0x0031
_PROJECTVERSION = 0x0009  # its Size field says 4 but 6 bytes follow (MS-OVBA 2.3.4.2.1.11)


def template_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        from addin.common.errors import PlanReportError

        raise PlanReportError("未安装 xlwings，找不到加载项模板 " + TEMPLATE_NAME)
    return Path(spec.origin).parent / TEMPLATE_NAME


def dir_records(data: bytes) -> list[tuple[int, bytes, int]]:
    """Records of a decompressed ``dir`` stream as (id, payload, size field)."""
    records, pos = [], 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        length = 6 if rid == _PROJECTVERSION else size
        records.append((rid, data[pos:pos + length], size))
        pos += length
    return records


def dir_bytes(records: list[tuple[int, bytes, int]]) -> bytes:
    return b"".join(struct.pack("<HI", rid, size) + payload for rid, payload, size in records)


def zero_module_offsets(dir_data: bytes, modules: set[str]) -> bytes:
    """The ``dir`` stream with MODULEOFFSET 0 for ``modules`` (their source starts the stream)."""
    records, current, seen = dir_records(dir_data), None, set()
    for i, (rid, payload, size) in enumerate(records):
        if rid == _MODULESTREAMNAME:
            current = payload.decode("cp1252")
        elif rid == _MODULEOFFSET and current in modules:
            records[i] = (rid, struct.pack("<I", 0), 4)
            seen.add(current)
    missing = modules - seen
    if missing:
        raise ValueError(f"模板的 VBA 工程中没有模块: {', '.join(sorted(missing))}")
    return dir_bytes(records)


def module_offsets(dir_data: bytes) -> dict[str, int]:
    out, current = {}, None
    for rid, payload, _ in dir_records(dir_data):
        if rid == _MODULESTREAMNAME:
            current = payload.decode("cp1252")
        elif rid == _MODULEOFFSET:
            out[current] = struct.unpack("<I", payload)[0]
    return out


def bas_source(path: Path) -> bytes:
    """A .bas file as VBA stores it: ASCII, CRLF line ends."""
    text = path.read_text(encoding="utf-8")
    if not text.isascii():
        bad = next(ch for ch in text if not ch.isascii())
        raise ValueError(f"{path.name} 含非 ASCII 字符 {bad!r}；中文请放在 customui.xml 或写成 \\uXXXX")
    lines = text.replace("\r\n", "\n").split("\n")
    return "\r\n".join(lines).encode("ascii")


def xlwings_source(template_source: bytes) -> bytes:
    """The template's xlwings module with its settings named after PlanReport."""
    old = _PROJECT_NAME_LINE.format("myaddin").encode("ascii")
    if template_source.count(old) != 1:
        raise ValueError("xlwings 模块中找不到 PROJECT_NAME 常量，模板版本不兼容")
    return template_source.replace(old, _PROJECT_NAME_LINE.format(PROJECT_NAME).encode("ascii"))


def build_vba_project(template_bin: bytes, vba_dir: Path = VBA_DIR) -> bytes:
    import cfbwrite
    import olefile

    ole = olefile.OleFileIO(template_bin)
    dir_data = ovba.decompress(ole.openstream("VBA/dir").read())
    offsets = module_offsets(dir_data)
    sources = {p.stem: bas_source(p) for p in sorted(vba_dir.glob("*.bas"))}
    xlwings_raw = ole.openstream("VBA/xlwings").read()[offsets["xlwings"]:]
    sources["xlwings"] = xlwings_source(ovba.decompress(xlwings_raw))
    ole.close()

    replacements = {("VBA", name): ovba.compress(src) for name, src in sources.items()}
    replacements[("VBA", "dir")] = ovba.compress(zero_module_offsets(dir_data, set(sources)))
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "template.bin", Path(tmp) / "vbaProject.bin"
        src.write_bytes(template_bin)
        cfbwrite.rebuild(src, dst, replacements)
        return dst.read_bytes()


def build_xlam(out: Path, template: Path | None = None) -> Path:
    template = template or template_path()
    out = Path(out)
    buf = io.BytesIO()
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(buf, "w") as zout:
        swapped = {
            VBA_PART: build_vba_project(zin.read(VBA_PART)),
            CUSTOMUI_PART: CUSTOMUI.read_bytes(),
        }
        for info in zin.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0
            entry.create_system = 0
            zout.writestr(entry, swapped.get(info.filename, zin.read(info.filename)), compresslevel=9)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(out)
    return out
