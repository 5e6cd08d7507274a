"""Write-back keeps every user part byte-identical and the sheet `核算结果` readable."""
from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest

from addin.workbook.writeback import SHEET_NAME, build_rows, write_results
from writeback_support import FORMULA_CACHED, FORMULA_CELL, make_workbook, members, result_json_from

INDEX_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
               "docProps/app.xml"}


@pytest.fixture
def workbook(tmp_path):
    return make_workbook(tmp_path / "昆都仑区.xlsx")


def _infos(path):
    with zipfile.ZipFile(path) as zf:
        return {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in zf.infolist()}


def test_two_writebacks_leave_every_user_part_identical(workbook):
    before, raw_before = members(workbook), _infos(workbook)
    data = result_json_from(workbook)
    write_results(workbook, data)
    once = workbook.read_bytes()
    write_results(workbook, data)
    after, raw_after = members(workbook), _infos(workbook)

    assert workbook.read_bytes() == once  # the second refresh changes nothing at all
    for name, content in before.items():
        if name not in INDEX_PARTS:
            assert after[name] == content, name
            assert raw_after[name] == raw_before[name], f"{name} was recompressed"
    added = set(after) - set(before)
    assert len(added) == 1 and added.pop().startswith("xl/worksheets/sheet")
    assert b"definedName" in after["xl/workbook.xml"]
    assert after["xl/workbook.xml"].count(b"Print_Area") == 1


def test_cached_formula_value_still_reads(workbook):
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    write_results(workbook, result_json_from(workbook))
    write_results(workbook, result_json_from(workbook))
    wb = load_workbook(workbook, data_only=True)
    assert wb.sheetnames.count(SHEET_NAME) == 1 and wb.sheetnames[-1] == SHEET_NAME
    assert wb["附件1"][FORMULA_CELL].value == int(FORMULA_CACHED)
    grid = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("附件1").to_python()
    row, col = int(FORMULA_CELL[1:]) - 1, ord(FORMULA_CELL[0]) - 65
    assert grid[row][col] == float(FORMULA_CACHED)


def test_results_sheet_content(workbook):
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    data = result_json_from(workbook)
    write_results(workbook, data, backup=False)
    ws = load_workbook(workbook)[SHEET_NAME]
    assert [c.value for c in ws[1]] == ["工作表", "序号", "指标", "目标", "完成情况", "核算完成率", "填报完成率", "差异", "状态"]
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    rows = {ws.cell(r, 3).value: r for r in range(2, 8)}
    tech = rows["技术合同成交额"]
    assert ws.cell(tech, 6).value == pytest.approx(2.0) and ws.cell(tech, 6).number_format == "0.00%"
    assert ws.cell(tech, 7).value == pytest.approx(1.36) and ws.cell(tech, 7).number_format == "0.00%"
    assert ws.cell(tech, 8).value == pytest.approx(0.64)
    assert ws.cell(tech, 9).value == "已完成"
    assert ws.cell(rows["固定资产投资"], 9).value == "无法核算"
    assert ws.cell(rows["地区生产总值"], 9).value == "未完成"
    assert ws.cell(tech, 3).hyperlink.location == "'附件1'!C6"
    formula_like = ws.cell(rows["=即办件比率"], 3)
    assert formula_like.data_type == "s"  # text, never a formula
    assert ws.column_dimensions["C"].width > ws.column_dimensions["B"].width
    # The findings block: header, then the one mismatch linked to its rate cell.
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "代码")
    assert ws.cell(header, 1).font.b
    assert ws.cell(header + 1, 1).value == "rate_mismatch" and ws.cell(header + 1, 2).value == "错误"
    assert ws.cell(header + 1, 3).hyperlink.location == "'附件1'!F6"

    calamine = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(SHEET_NAME).to_python()
    assert calamine[tech - 1][2] == "技术合同成交额" and "=即办件比率" in [r[2] for r in calamine]
    assert build_rows(data)[tech - 1][5] == pytest.approx(2.0)


def test_second_refresh_replaces_in_place(workbook):
    from openpyxl import load_workbook

    write_results(workbook, result_json_from(workbook))
    wb = load_workbook(workbook)
    wb.create_sheet("备注")  # the user adds a sheet after ours (saved by openpyxl, fine for this)
    wb.save(workbook)
    write_results(workbook, result_json_from(workbook, unmet_below=150))
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["附件1", "图表", SHEET_NAME, "备注"]
    assert "未完成" in [c.value for c in wb[SHEET_NAME]["I"]]


def test_macro_workbook_keeps_vba_project(tmp_path):
    plain = make_workbook(tmp_path / "plain.xlsx")
    xlsm = tmp_path / "宏.xlsm"
    vba = bytes(range(256)) * 40
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", vba)
    write_results(xlsm, result_json_from(plain))
    assert members(xlsm)["xl/vbaProject.bin"] == vba


def test_sample_workbook_and_libreoffice_opens_it(workbook, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice/poppler not installed")
    write_results(workbook, result_json_from(workbook))
    out = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(out), str(workbook)], check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", str(out / (workbook.stem + ".pdf")), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "rate_mismatch" in text and "本表由 PlanReport 生成" in text
    assert "64.00%" in text  # the 差异 column, in its percent format


def test_sample_result_written_back(sample_path, sample_json, tmp_path):
    """The real pipeline's JSON on the sample workbook."""
    from openpyxl import load_workbook

    book = tmp_path / sample_path.name
    shutil.copy2(sample_path, book)
    write_results(book, sample_json)
    ws = load_workbook(book)[SHEET_NAME]
    names = [c.value for c in ws["C"]]
    assert len([i for i in sample_json["indicators"]]) == 48 and "技术合同成交额" in names
    row = names.index("地区生产总值") + 1
    assert ws.cell(row, 6).value == pytest.approx(0.6875) and ws.cell(row, 9).value == "未完成"
    no_rate = names.index("固定资产投资") + 1
    assert ws.cell(no_rate, 7).value is None and ws.cell(no_rate, 7).hyperlink is None
    assert [c.value for c in ws["A"]].count("rate_mismatch") == 1
