"""核算结果 is an ordinary word: PlanReport replaces only the sheet it wrote itself.

Its sheet carries a workbook-level defined name (PlanReport_Results) on its header row;
the tests build the other situations for real: a user's own 核算结果, a user who copied
PlanReport's header, a renamed PlanReport sheet, a sheet from before the mark, and the
mark after a real LibreOffice save.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from addin.common.errors import PlanReportError
from addin.common.settings import Settings
from addin.workbook.opc import TRANSITIONAL
from addin.workbook.writeback import ALT_SHEET_NAME, OWN_NAME, SHEET_NAME, write_results
from addin.workbook.writeback.results_sheet import INDICATOR_HEADER
from writeback_support import make_workbook, members, result_json_from

ROOT = Path(__file__).resolve().parents[2]
USER_TEXT = "本单位自己的核算结果：第三季度口径，请勿删除"


def _sheets(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return re.findall(r'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml").decode())


def _with_user_sheet(path: Path, name: str = SHEET_NAME, header=None) -> Path:
    """The write-back workbook plus a sheet the statistician made, as a spreadsheet program would."""
    from openpyxl import load_workbook

    make_workbook(path)
    wb = load_workbook(path)  # building the test input, not PlanReport writing a user's file
    ws = wb.create_sheet(name)
    if header:
        ws.append(list(header))
    ws.append([USER_TEXT, 2025, "Q3"])
    wb.save(path)
    return path


def _user_cells(path: Path, name: str) -> list:
    from openpyxl import load_workbook

    return [c.value for row in load_workbook(path)[name].iter_rows() for c in row if c.value is not None]


def test_refuses_to_overwrite_a_users_own_results_sheet(tmp_path):
    book = _with_user_sheet(tmp_path / "乌海市海勃湾区.xlsx")
    before = book.read_bytes()
    with pytest.raises(PlanReportError) as err:
        write_results(book, result_json_from(book))
    message = str(err.value)
    assert "\n" not in message and "不是 PlanReport 生成的" in message and "results_sheet_fallback" in message
    assert book.read_bytes() == before
    assert not (book.parent / ".planreport" / "备份").exists() or not any((book.parent / ".planreport" / "备份").iterdir())


def test_ten_refreshes_never_lose_the_users_sheet(tmp_path):
    """The report of the issue: the user's sheet was gone after ten refreshes, backups included."""
    book = _with_user_sheet(tmp_path / "固阳县.xlsx")
    for _ in range(11):
        proc = subprocess.run([sys.executable, "-m", "addin", "refresh", str(book), "--format", "html",
                               "--out", str(tmp_path / "报告")], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "内部错误" not in proc.stderr
    assert USER_TEXT in _user_cells(book, SHEET_NAME)
    assert (tmp_path / "报告" / "固阳县.html").exists()  # the reports were still written


def test_fallback_setting_writes_beside_the_users_sheet(tmp_path):
    book = _with_user_sheet(tmp_path / "白云鄂博矿区.xlsx")
    user_part_before = members(book)
    settings = Settings(results_sheet_fallback=True)
    write_results(book, result_json_from(book), settings=settings)
    write_results(book, result_json_from(book, unmet_below=150), settings=settings)
    assert _sheets(book) == ["附件1", "图表", SHEET_NAME, ALT_SHEET_NAME]
    assert _user_cells(book, SHEET_NAME) == [USER_TEXT, 2025, "Q3"]
    after = members(book)
    user_part = "xl/worksheets/sheet3.xml"  # the user's 核算结果, as openpyxl numbered it
    assert after[user_part] == user_part_before[user_part]
    from openpyxl import load_workbook

    ours = load_workbook(book)[ALT_SHEET_NAME]
    assert [c.value for c in ours[1]] == INDICATOR_HEADER


def test_fallback_refuses_when_both_names_are_the_users(tmp_path):
    book = _with_user_sheet(tmp_path / "石拐区.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb.create_sheet(ALT_SHEET_NAME).append(["也是用户的"])
    wb.save(book)
    before = book.read_bytes()
    with pytest.raises(PlanReportError, match="都是用户自己的工作表"):
        write_results(book, result_json_from(book), settings=Settings(results_sheet_fallback=True))
    assert book.read_bytes() == before


def test_a_copied_header_alone_does_not_make_a_sheet_ours(tmp_path):
    """PlanReport's sheet exists (marked) under another name; the user made 核算结果 with the same header."""
    book = make_workbook(tmp_path / "九原区.xlsx")
    write_results(book, result_json_from(book))
    _rename_sheet(book, SHEET_NAME, "2024年核算结果")  # as Excel renames: the defined name follows the sheet
    from openpyxl import load_workbook

    wb = load_workbook(book)
    ws = wb.create_sheet(SHEET_NAME)
    ws.append(INDICATOR_HEADER)
    ws.append(["附件1", 1, "用户自己抄的表"])
    wb.save(book)
    before = book.read_bytes()
    with pytest.raises(PlanReportError, match="不是 PlanReport 生成的"):
        write_results(book, result_json_from(book))
    assert book.read_bytes() == before


def _rename_sheet(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts["xl/workbook.xml"].decode()
    xml = xml.replace(f'name="{old}"', f'name="{new}"').replace(f"'{old}'!", f"'{new}'!")
    parts["xl/workbook.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_sheet_from_before_the_mark_is_recognised_and_marked(tmp_path):
    """Workbooks refreshed by earlier versions: PlanReport's header and footnote, no defined name."""
    book = make_workbook(tmp_path / "东河区.xlsx")
    write_results(book, result_json_from(book))
    with zipfile.ZipFile(book) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts["xl/workbook.xml"].decode()
    xml = re.sub(rf'<definedName name="{OWN_NAME}"[^>]*>[^<]*</definedName>', "", xml)
    assert OWN_NAME not in xml
    parts["xl/workbook.xml"] = xml.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    write_results(book, result_json_from(book, unmet_below=150))
    assert _sheets(book).count(SHEET_NAME) == 1
    with zipfile.ZipFile(book) as zf:
        assert f"'{SHEET_NAME}'!$A$1:$I$1" in zf.read("xl/workbook.xml").decode()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_mark_survives_a_libreoffice_save(tmp_path):
    """LibreOffice re-saves the workbook (shared strings, its own defined-name spelling):
    the next refresh still knows the sheet is its own and replaces it."""
    (tmp_path / "src").mkdir()
    book = make_workbook(tmp_path / "src" / "土默特右旗.xlsx")
    write_results(book, result_json_from(book))
    saved = tmp_path / "saved"
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                           "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(book)],
                          capture_output=True, text=True, timeout=180)
    resaved = saved / book.name
    assert resaved.exists(), proc.stderr
    with zipfile.ZipFile(resaved) as zf:
        assert OWN_NAME in zf.read("xl/workbook.xml").decode()
        assert "inlineStr" not in zf.read("xl/worksheets/sheet3.xml").decode()  # really re-written by LibreOffice
    write_results(resaved, result_json_from(book, unmet_below=150))
    assert _sheets(resaved).count(SHEET_NAME) == 1
    from openpyxl import load_workbook

    ws = load_workbook(resaved)[SHEET_NAME]
    # 规模以上工业增加值 15.8% of 14%: met at the default, unmet at unmet_below=150 — the new content is in.
    assert ws["C3"].value == "规模以上工业增加值" and ws["I3"].value == "未完成"


def test_a_part_two_sheets_show_is_not_replaced(tmp_path):
    """A hand-made package where another sheet shows the very part of 核算结果: replacing the
    part would change that sheet too."""
    book = make_workbook(tmp_path / "达茂旗.xlsx")
    write_results(book, result_json_from(book))
    with zipfile.ZipFile(book) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{SHEET_NAME}"[^>]* r:id="(rId\d+)"', xml).group(1)
    xml = xml.replace("</sheets>", f'<sheet xmlns:r="{TRANSITIONAL.rel}" name="镜像" sheetId="99" r:id="{rid}"/></sheets>')
    parts["xl/workbook.xml"] = xml.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    before = book.read_bytes()
    with pytest.raises(PlanReportError, match="不是 PlanReport 生成的"):
        write_results(book, result_json_from(make_workbook(tmp_path / "copy.xlsx"), unmet_below=150))
    assert book.read_bytes() == before
