"""Cell-level reading: formats, errors, formulas, bad files, sparse sheets, live-value grids."""
import io
import zipfile

import pytest

from addin.common.errors import PlanReportError
from addin.workbook.read import grid_from_values, read_grids, read_workbook, tables_from_grids
from layouts import Styled, write_xlsx

HEAD = ["序号", "指标", "目标", "完成情况", "完成率"]


def test_numbers_and_percent_formats(tmp_path):
    rows = [["a", 0.055, 5.500000000000001, 9448, 1.225, Styled(0.6875, "0.00%"), Styled(1.225, "0.00%"),
             Styled(0.055, '0.0"%"'), Styled(3, "0%"), True, Styled(45000, "yyyy-mm-dd")]]
    grid = read_grids(write_xlsx(tmp_path / "n.xlsx", {"S": rows}))["S"]
    assert [c.text for c in grid.rows[0]] == ["a", "0.055", "5.5", "9448", "1.225", "68.75%", "122.5%",
                                              "0.055", "300%", "TRUE", "2023-03-15"]
    assert grid.rows[0][3].value == 9448 and isinstance(grid.rows[0][3].value, int)


def test_error_values_and_uncalculated_formulas_are_findings(tmp_path):
    rows = [HEAD, [1, "地区生产总值", "8%左右", "5.5%", "#DIV/0!"], [2, "工业", "14%以上", "15.8%", "=E2*2"],
            [3, "投资", "18%以上", "#N/A", "—"]]
    data = read_workbook(write_xlsx(tmp_path / "e.xlsx", {"附件1": rows}))
    got = [(f.code, f.severity, f.cell) for f in data.findings]
    assert got == [("error_value", "error", "附件1!E2"), ("formula_not_calculated", "error", "附件1!E3"),
                   ("error_value", "error", "附件1!D4")]
    assert data.findings[1].message.startswith("附件1!E3: 公式没有计算结果")
    assert data.tables[0].rows[1].rate.formula == "=E2*2" and data.tables[0].rows[1].rate.uncached


def test_merged_value_columns_warn(tmp_path):
    rows = [HEAD, [1, "节能减排", "完成包头市下达的目标", None, "100%"]]
    data = read_workbook(write_xlsx(tmp_path / "m.xlsx", {"A": rows}, merges={"A": ["C2:D2"]}))
    assert [(f.code, f.cell) for f in data.findings] == [("merged_cut", "A!C2")]


def test_sparse_sheet_is_not_materialised(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for r, line in enumerate([["指标", "目标"], ["地区生产总值", "8%左右"]], 1):
        for c, v in enumerate(line, 1):
            ws.cell(r, c, v)
    ws.cell(1_048_576, 3, "末行")
    wb.save(tmp_path / "sparse.xlsx")
    grid = read_grids(tmp_path / "sparse.xlsx")["S"]
    assert len(grid.rows) == 1_048_576
    assert sum(1 for r in grid.rows if r) == 3
    assert grid.cell(1_048_576, 3).text == "末行" and grid.cell(500_000, 1) is None


def test_shared_strings_with_underlined_run(tmp_path):
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook()
    ws = wb.active
    ws["A1"] = CellRichText([TextBlock(InlineFont(u="single"), "68.75"), "%"])
    ws["A2"] = " 完成 "
    wb.save(tmp_path / "r.xlsx")
    grid = read_grids(tmp_path / "r.xlsx")["Sheet"]
    assert (grid.rows[0][0].text, grid.rows[0][0].underline) == ("68.75%", True)
    assert (grid.rows[1][0].text, grid.rows[1][0].value, grid.rows[1][0].underline) == ("完成", " 完成 ", False)


@pytest.mark.parametrize("payload, words", [
    (b"", "空文件"), (b"hello, not excel", "不是 Excel"), (None, "损坏"), (b"PK\x03\x04" + b"\0" * 40, "损坏"),
])
def test_unreadable_files_fail_with_one_chinese_line(tmp_path, payload, words):
    path = tmp_path / "bad.xlsx"
    if payload is None:
        good = write_xlsx(tmp_path / "good.xlsx", {"A": [HEAD]}).read_bytes()
        payload = good[: len(good) // 2]
    path.write_bytes(payload)
    with pytest.raises(PlanReportError) as err:
        read_workbook(path)
    message = str(err.value)
    assert words in message and "bad.xlsx" in message and "\n" not in message


def test_zip_that_is_not_a_workbook(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(PlanReportError, match="xl/workbook.xml"):
        read_workbook(io.BytesIO(buf.getvalue()), name="报告.docx")


def test_dtd_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", {"A": [HEAD]})
    src = zipfile.ZipFile(path)
    out = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            z.writestr(info, data)
    with pytest.raises(PlanReportError, match="DTD"):
        read_workbook(out)


def test_no_table_names_the_header_words(tmp_path):
    with pytest.raises(PlanReportError, match="指标名称") as err:
        read_workbook(write_xlsx(tmp_path / "n.xlsx", {"A": [["姓名", "年龄"], ["张三", 30]]}))
    assert "目标" in str(err.value)


def test_file_object_input(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"A": [HEAD, [1, "地区生产总值", "8%左右", "5.5%", "68.75%"]]})
    with open(path, "rb") as f:
        data = read_workbook(f, name="上传.xlsx")
    assert data.path == "上传.xlsx" and data.tables[0].rows[0].rate.text == "68.75%"


def test_grid_from_values_shares_the_table_finder():
    values = [["2025年执行情况", None, None, None], ["指标", "目标", "完成情况", "完成率"],
              ["地区生产总值", "8%左右", 0.055, 0.6875], ["工业", "14%以上", "#N/A", 1.1286]]
    formats = [[None] * 4, [None] * 4, ["General", "General", "0.0%", "0.00%"], [None, None, None, "0.00%"]]
    underline = [[False] * 4, [False] * 4, [False, False, False, True], [False] * 4]
    grid = grid_from_values("附件1", values, formats, underline, merged=[(1, 1, 1, 4)])
    data = tables_from_grids({"附件1": grid}, "活动工作簿")
    (table,) = data.tables
    assert (table.year, table.title) == (2025, "2025年执行情况")
    assert [(r.actual.text, r.rate.text, r.rate.underline) for r in table.rows] == [
        ("5.5%", "68.75%", True), ("#N/A", "112.86%", False)]
    assert [(f.code, f.cell) for f in data.findings] == [("error_value", "附件1!C4")]


def test_reading_leaves_no_reference_cycles(tmp_path):
    """The CLI checks with the garbage collector off (addin/common/nogc.py): a cycle between the reader's
    callbacks and the grid would keep every cell of a 50,000-row sheet alive until the process ends."""
    import gc

    rows = [HEAD] + [[i, f"指标{i}", "8%左右", Styled(0.055, "0.0%"), Styled(0.6875, "0.00%")] for i in range(1, 30)]
    path = write_xlsx(tmp_path / "c.xlsx", {"附件1": rows})
    was_on = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        data = read_workbook(path)
        assert data.tables[0].rows[0].name.text == "指标1"
        del data
        assert gc.collect() == 0, "objects of the read were only reachable through reference cycles"
    finally:
        if was_on:
            gc.enable()
