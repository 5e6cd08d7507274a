"""addin.workbook.guard.open_source as a library: what it hands the reader, and limits as a setting."""
from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402

from addin.common.errors import PlanReportError  # noqa: E402
from addin.workbook.guard import Limits, open_source  # noqa: E402


@pytest.fixture(scope="module")
def good() -> bytes:
    return make_cases.wb_bytes()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_workbook_is_read_from_its_path_with_used_ranges(tmp_path, good):
    path = write(tmp_path, "ok.xlsx", good)
    src = open_source(path)
    assert (src.format, src.writable, src.encrypted, src.source) == ("xlsx", True, False, str(path))
    assert (src.extents["附件1"].max_row, src.extents["附件1"].max_col) == (51, 6)
    src.require_writable()


def test_declared_dimension_does_not_widen_the_used_range(tmp_path, good):
    path = write(tmp_path, "dim.xlsx", make_cases.rewrite(good, {"xl/worksheets/sheet1.xml": make_cases._dimension}))
    extent = open_source(path).extents["附件1"]
    assert (extent.max_row, extent.max_col) == (51, 6)


def test_macro_workbook_is_xlsm(tmp_path, good):
    def macro(types: bytes) -> bytes:
        return types.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")

    path = write(tmp_path, "m.xlsm", make_cases.rewrite(good, {"[Content_Types].xml": macro}))
    assert open_source(path).format == "xlsm"


def test_encrypted_workbook_is_decrypted_in_memory_and_read_only(tmp_path, good):
    from msoffcrypto.format.ooxml import OOXMLFile

    enc = io.BytesIO()
    OOXMLFile(io.BytesIO(good)).encrypt("pw", enc)
    path = write(tmp_path, "enc.xlsx", enc.getvalue())
    with pytest.raises(PlanReportError, match="工作簿已加密，请用 --password 提供密码"):
        open_source(path)
    src = open_source(path, password="pw")
    assert src.encrypted and not src.writable
    assert src.source.read() == good
    with pytest.raises(PlanReportError, match="已加密"):
        src.require_writable()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enc.xlsx"]  # nothing decrypted to disk


def test_legacy_xls_is_readable_but_not_writable(tmp_path, good):
    xls = make_cases._xls_from(write(tmp_path, "legacy.xlsx", good), tmp_path / "out")
    if xls is None:
        assert shutil.which("soffice") is None, "soffice is installed but did not convert the workbook to .xls"
        pytest.skip("LibreOffice not installed: no .xls to test")
    src = open_source(xls)
    assert (src.format, src.writable) == ("xls", False)
    assert src.extents["附件1"].max_col == 6
    with pytest.raises(PlanReportError, match=r"\.xls"):
        src.require_writable()


@pytest.mark.parametrize("limits, message", [
    ({"max_cells": 100}, "非空单元格超过 100"),
    ({"max_sheet_area": 200}, "数据范围过大"),
    ({"max_members": 5}, "个部件"),
    ({"max_total_uncompressed": 30_000}, "压缩炸弹"),
    ({"max_text_bytes": 50}, "超长文本"),
])
def test_limits_are_a_setting(tmp_path, good, limits, message):
    path = write(tmp_path, "ok.xlsx", good)
    with pytest.raises(PlanReportError, match=message) as info:
        open_source(path, limits=limits)
    assert str(info.value).startswith(str(path))
    open_source(path, limits={"limits": Limits()})  # defaults accept it again


def test_actual_size_is_counted_even_when_the_directory_lies(tmp_path, good):
    # Declared 1 KB, compressed 100 KB (no ratio alarm), inflates to 100 MB.
    data = make_cases.raw_member_zip(good, "xl/media/x.bin", make_cases.deflated_zeros(100 << 20), declared=1024)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("xl/media/x.bin")
    assert info.file_size < info.compress_size
    with pytest.raises(PlanReportError, match="超过目录声明"):
        open_source(write(tmp_path, "lie.xlsx", data))


def test_namespace_prefixed_cells_are_counted(tmp_path, good):
    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=").replace(b"</worksheet>", b"</x:worksheet>")
        return xml.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")

    path = write(tmp_path, "x.xlsx", make_cases.rewrite(good, {"xl/worksheets/sheet1.xml": prefixed}))
    assert open_source(path).extents["附件1"].max_row == 51
