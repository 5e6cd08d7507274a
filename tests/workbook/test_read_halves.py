"""A big sheet read by two processes (addin/workbook/read/sheet_halves.py) gives exactly what one
reader gives: the same cells, merges and messages, whatever sits at the cut.

Each case is read twice from the same real .xlsx: once with the split off (the one-process reader,
whose own tests pin what it reads) and once with the split forced at a chosen share of the sheet,
so a cut lands on every kind of row; the two grids, or the two messages, must be equal. The cases
where the split must be refused (a ``<row`` inside a comment or a cell at the cut) check that the
child's cells were not used, by the result being right.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.common.errors import PlanReportError
from addin.common import forked
from addin.workbook.read import sheet_halves
from addin.workbook.read.grid import read_grids
from addin.workbook.read.xlsx import Package

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
STRINGS = ["指标", "目标", "完成情况", "8%左右"]


def package(sheet_xml: bytes) -> bytes:
    """A real workbook package (the parts Excel writes) whose one sheet is ``sheet_xml``."""
    sst = "".join(f"<si><t>{s}</t></si>" for s in STRINGS)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="附件1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(STRINGS)}" uniqueCount="{len(STRINGS)}">{sst}</sst>'),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/></font><font><u/><sz val="11"/></font></fonts>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="0"/><xf numFmtId="10" fontId="1"/></cellXfs>'
            "</styleSheet>"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
        z.writestr(SHEET, sheet_xml)
    return out.getvalue()


def row_xml(r: int, kind: int, numbered: bool = True) -> bytes:
    """One row of a plausible table, its cells varied by ``kind`` (every writer's forms and rarer ones)."""
    attr = f' r="{r}"' if numbered else ""
    ref = (lambda col: f' r="{col}{r}"') if numbered else (lambda col: "")
    cells = [f'<c{ref("A")} t="inlineStr"><is><t>指标{r} &amp; &#25351;</t></is></c>',
             f'<c{ref("B")} t="s"><v>{kind % len(STRINGS)}</v></c>',
             f'<c{ref("C")} s="1"><v>0.0{kind}5</v></c>',
             f'<c{ref("D")} s="2"><v>{r * 7}</v></c>']
    if kind % 3 == 0:
        cells.append(f'<c{ref("E")} t="str"><f>C{r}*2</f><v>x{r}</v></c>')
    if kind % 4 == 1:
        cells.append(f'<c{ref("F")} t="inlineStr"><is><r><rPr><u/></rPr><t>下划线</t></r>'
                     f"<rPh><t>ふりがな</t></rPh></is></c>")
    if kind % 5 == 2:
        cells.append(f'<c{ref("G")} t="b"><v>1</v></c><c{ref("H")} t="e"><v>#N/A</v></c><c{ref("I")} s="1"/>')
    if kind % 7 == 3:
        cells.append(f'<c{ref("J")}><f>1/0</f></c>')  # a formula never calculated
    return f"<row{attr}>{''.join(cells)}</row>\n".encode()


def sheet(rows: list[bytes], tail: bytes = b"") -> bytes:
    return HEAD + b"".join(rows) + b"</sheetData>" + tail + b"</worksheet>"


def read_both(path: Path, monkeypatch, share: float):
    """(one reader's grids or message, two processes' grids or message)."""
    def read(split: bool):
        monkeypatch.setattr(forked, "enabled", split)
        monkeypatch.setattr(sheet_halves, "SPLIT_BYTES", 1)
        monkeypatch.setattr(sheet_halves, "PARENT_SHARE", share)
        try:
            return {n: (g.rows, g.merged, g.kind) for n, g in read_grids(path).items()}
        except PlanReportError as exc:
            return str(exc)

    return read(False), read(True)


def split_taken(path: Path, monkeypatch, share: float) -> bool:
    """Whether the child's cells were used (read_in_two returned a grid), not the fallback."""
    monkeypatch.setattr(forked, "enabled", True)
    monkeypatch.setattr(sheet_halves, "SPLIT_BYTES", 1)
    monkeypatch.setattr(sheet_halves, "PARENT_SHARE", share)
    with zipfile.ZipFile(path) as zf:
        return sheet_halves.read_in_two(Package(zf), "附件1", SHEET) is not None


needs_fork = pytest.mark.skipif(not forked.worth_forking(),
                                reason="one CPU, or no fork on this system: the sheet is read in one process")


@needs_fork
@pytest.mark.parametrize("share", [0.1, 0.33, 0.5, 0.77, 0.95])
def test_cells_and_merges_equal_at_any_cut(tmp_path, monkeypatch, share):
    rows = [row_xml(r, r) for r in range(1, 300)]
    tail = b'<mergeCells count="2"><mergeCell ref="A1:B2"/><mergeCell ref="C280:D299"/></mergeCells>'
    path = tmp_path / "big.xlsx"
    path.write_bytes(package(sheet(rows, tail)))
    one, two = read_both(path, monkeypatch, share)
    assert isinstance(one, dict) and one["附件1"][0][5][0].text.startswith("指标6")
    assert two == one
    assert one["附件1"][1] == [(1, 1, 2, 2), (280, 3, 299, 4)]  # the merges after sheetData: only the child reads them
    assert split_taken(path, monkeypatch, share)


@needs_fork
def test_a_row_number_used_on_both_sides_of_the_cut(tmp_path, monkeypatch):
    """Row 5 again after the cut: its later cells replace the earlier ones, as in one pass."""
    rows = [row_xml(r, r) for r in range(1, 101)] + [row_xml(5, 2), row_xml(200, 1)]
    path = tmp_path / "twice.xlsx"
    path.write_bytes(package(sheet(rows)))
    one, two = read_both(path, monkeypatch, 0.97)
    assert two == one and one["附件1"][0][4][6].value is True  # G5 from the second row 5
    assert split_taken(path, monkeypatch, 0.97)


@needs_fork
def test_rows_without_numbers_after_the_cut(tmp_path, monkeypatch):
    rows = [row_xml(r, r) for r in range(1, 60)] + [row_xml(0, k, numbered=False) for k in range(60)]
    path = tmp_path / "unnumbered.xlsx"
    path.write_bytes(package(sheet(rows)))
    for share in (0.2, 0.45):
        one, two = read_both(path, monkeypatch, share)
        assert two == one and len(one["附件1"][0]) == 119


@needs_fork
@pytest.mark.parametrize("trap", [
    b'<!-- <row r="9"><c r="A9" t="inlineStr"><is><t>commented out</t></is></c></row> -->',
    b'<c r="Z5" t="inlineStr"><is><t><![CDATA[<row r="9"><c r="A9"><v>1</v></c></row>]]></t></is></c>',
])
def test_a_row_tag_that_is_text_is_not_a_cut(tmp_path, monkeypatch, trap):
    """``<row r="`` in a comment or CDATA section: the cut would land in text. The split is refused
    (read in one process) and nothing in the comment becomes a cell."""
    rows = [row_xml(r, r) for r in range(1, 40)]
    body = b"".join(rows[:20]) + b"<row r=\"500\">" + trap + b"</row>" + b"".join(rows[20:])
    xml = HEAD + body + b"</sheetData></worksheet>"
    path = tmp_path / "trap.xlsx"
    path.write_bytes(package(xml))
    share = (xml.index(trap) + trap.index(b'<row r="') - 3) / len(xml)
    one, two = read_both(path, monkeypatch, share)
    assert two == one and len(one["附件1"][0]) >= 39
    assert not any(c is not None and c.text == "commented out" for line in one["附件1"][0] for c in line)
    assert not split_taken(path, monkeypatch, share)


@needs_fork
def test_a_cell_open_at_the_cut_is_not_a_cut(tmp_path, monkeypatch):
    """A row nested in an open cell (no writer does this): the reader does not stand between cells there."""
    rows = [row_xml(r, r) for r in range(1, 30)]
    nested = b'<row r="40"><c r="A40"><v>4</v><row r="41"><c r="A41"><v>5</v></c></row></c></row>'
    xml = HEAD + b"".join(rows) + nested + b"</sheetData></worksheet>"
    path = tmp_path / "nested.xlsx"
    path.write_bytes(package(xml))
    share = (xml.index(b'<row r="41"') - 1) / len(xml)
    one, two = read_both(path, monkeypatch, share)
    assert two == one
    assert not split_taken(path, monkeypatch, share)


@needs_fork
@pytest.mark.parametrize("fault", [
    b'<row r="90"><c r="A90" t="s"><v>99</v></c></row>',  # no such shared string
    b'<row r="90"><c r="A90"><v>1</v></row>',  # not well formed
    b'<row r="x9"><c r="A90"><v>1</v></c></row>',  # a row number that is none
    b'<row r="90"><c r="A90" t="zz"><v>1</v></c></row>',  # a cell type no writer makes
])
def test_a_fault_after_the_cut_reads_as_in_one_process(tmp_path, monkeypatch, fault):
    rows = [row_xml(r, r) for r in range(1, 80)]
    path = tmp_path / "fault.xlsx"
    path.write_bytes(package(sheet(rows + [fault] + [row_xml(r, r) for r in range(91, 120)])))
    one, two = read_both(path, monkeypatch, 0.3)
    assert isinstance(one, str) and two == one


_ROWS = st.lists(st.tuples(st.integers(1, 400), st.integers(0, 40), st.booleans()), min_size=2, max_size=60)


@needs_fork
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_ROWS, share=st.floats(0.0, 1.0))
def test_any_sheet_reads_the_same(tmp_path_factory, monkeypatch, rows, share):
    xml = sheet([row_xml(r, kind, numbered) for r, kind, numbered in rows],
                b'<mergeCells count="1"><mergeCell ref="B2:C3"/></mergeCells>')
    path = tmp_path_factory.mktemp("any") / "any.xlsx"
    path.write_bytes(package(xml))
    one, two = read_both(path, monkeypatch, share)
    assert two == one


def test_no_second_process_in_batch_workers_on_one_cpu_or_when_asked(monkeypatch):
    monkeypatch.setattr(forked, "enabled", False)
    assert not forked.worth_forking()
    monkeypatch.setattr(forked, "enabled", True)
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert not forked.worth_forking()
    monkeypatch.setenv("PLANREPORT_FORK", "0")
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert not forked.worth_forking()
    monkeypatch.delenv("PLANREPORT_FORK")
    assert forked.worth_forking() == hasattr(forked.os, "fork")


def test_batch_workers_read_in_one_process():
    from addin.app.batch import _in_worker

    was = forked.enabled
    try:
        _in_worker()
        assert forked.enabled is False
    finally:
        forked.enabled = was


@needs_fork
@pytest.mark.parametrize("error", [BlockingIOError(11, "Resource temporarily unavailable"), OSError(12, "Cannot allocate memory")])
def test_no_second_process_to_be_had_reads_in_one(tmp_path, monkeypatch, error):
    """fork refused (a process limit, no memory): the sheet is read in this process, nothing said."""
    path = tmp_path / "big.xlsx"
    path.write_bytes(package(sheet([row_xml(r, r) for r in range(1, 200)])))
    one, _ = read_both(path, monkeypatch, 0.5)

    def no_fork():
        raise error

    monkeypatch.setattr(forked.os, "fork", no_fork)
    pipes_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    _, two = read_both(path, monkeypatch, 0.5)
    assert two == one
    if pipes_before is not None:
        assert len(os.listdir("/proc/self/fd")) == pipes_before  # the pipe made for the child is closed


@needs_fork
def test_the_child_lets_go_of_the_parents_locks(tmp_path):
    """The child closes every descriptor but its pipe: a flock this process holds (refresh holds
    the workbook's) is free the moment this process lets it go, even while the child still runs."""
    import fcntl
    import time

    lock = os.open(tmp_path / "wb.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def slow():
        time.sleep(1.0)
        return "done"

    with forked.Child(slow) as child:
        os.close(lock)  # released once the child, which sleeps a second, has closed its copy
        other = os.open(tmp_path / "wb.lock", os.O_RDWR)
        try:
            deadline, got = time.monotonic() + 0.5, False
            while not got and time.monotonic() < deadline:  # the child's first steps close it
                try:
                    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    got = True
                except BlockingIOError:
                    time.sleep(0.01)
            assert got, "the child still holds the parent's lock"
        finally:
            os.close(other)
        assert child.answer() == "done"
