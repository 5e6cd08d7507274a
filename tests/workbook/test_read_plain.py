"""The plain-form sheet reader (addin/workbook/read/plain_sheet.py) gives exactly what the expat
reader gives, or gives way to it.

Every case is a real .xlsx package read twice: by ``read_plain`` and by ``Package.read_sheet`` (the
expat reader, whose own tests pin what it reads). Where ``read_plain`` reads, the grids must be
equal; the forms it must not read (whitespace, comments, CDATA, rich text, other attribute
orders, cells outside sheetData, broken XML) must make it return None, and the workbook read as a
whole must then give the expat reader's cells or message.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.common.errors import PlanReportError
from addin.workbook.read import plain_sheet
from addin.workbook.read.grid import read_grids
from addin.workbook.read.xlsx import Package
from tests.workbook.test_read_halves import HEAD, SHEET, package

ROOT = Path(__file__).resolve().parents[2]


def both(path: Path):
    """(read_plain's grid or None, the expat reader's grid) of the package's one sheet."""
    with zipfile.ZipFile(path) as zf:
        pkg = Package(zf)
        (name, member), = pkg.sheets
        return plain_sheet.read_plain(pkg, name, member), pkg.read_sheet(name, member)


def grid_state(grid):
    return grid.rows, grid.merged, grid.kind


# The shared strings of test_read_halves' package, the fourth one with an underlined run (an unmet mark).
UNDERLINED_SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  '<si><t>指标</t></si><si><t>目标</t></si><si><t>完成情况</t></si>'
                  '<si><r><rPr><u/></rPr><t>8%左右</t></r></si></sst>').encode()


def write(tmp_path: Path, body, tail: bytes = b"", head: bytes = HEAD) -> Path:
    path = tmp_path / "t.xlsx"
    body = body.encode() if isinstance(body, str) else body
    with zipfile.ZipFile(io.BytesIO(package(head + body + b"</sheetData>" + tail + b"</worksheet>"))) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, UNDERLINED_SST if info.filename == "xl/sharedStrings.xml" else src.read(info))
    return path


PLAIN_ROWS = (
    '<row r="1" spans="1:6" ht="20.1" customHeight="1" x14ac:dyDescent="0.25">'
    '<c r="A1" t="inlineStr"><is><t>指标 &amp; &#25351;&#x6807;&lt;1&gt;</t></is></c>'
    '<c r="B1" t="s"><v>2</v></c><c r="C1" s="1"><v>0.0125</v></c><c r="D1" s="2" t="n"><v>7</v></c>'
    '<c r="E1" t="str"><f>C1*2</f><v>x1</v></c><c r="F1" t="b"><v>1</v></c><c r="G1" t="e"><v>#N/A</v></c>'
    '<c r="H1" s="1"/><c r="I1"><f>1/0</f></c><c r="J1" t="inlineStr"><is><t xml:space="preserve"> 两边 </t></is></c>'
    '<c r="K1" s="2"><f t="shared" ref="K1:K2" si="0">D1/2</f><v>3.5</v></c></row>'
    '<row r="2"><c r="K2" s="2"><f t="shared" si="0"/><v>4</v></c><c r="B2" t="s"><v>0</v></c>'
    '<c r="C2" t="s"><v></v></c><c r="D2" t="s"><v/></c><c r="E2" t="inlineStr"><is><t></t></is></c></row>'
    '<row/><row spans="1:2"><c r="A4"><v>4</v></c></row><row r="007"><c r="A007"><v>-1.5E-3</v></c>'
    '<c r="B7" s="03"><v>0.5</v></c><c r="AB7" t="s"><v>3</v></c></row>'
    '<row r="9"><c r="A10"><v>10</v></c><c r="A9"><v>9</v></c></row>'
    '<row r="0"><c r="B0"><v>5</v></c></row>'  # no such row: the cell is not read (nor put in the last row)
).encode()


def test_every_plain_form_reads_as_the_expat_reader_reads_it(tmp_path):
    merges = b'<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C2:D4"/></mergeCells>'
    plain, expat = both(write(tmp_path, PLAIN_ROWS, merges + b'<pageMargins left="0.7"/>'))
    assert plain is not None, "the plain reader gave way on the forms it exists for"
    assert grid_state(plain) == grid_state(expat)
    cell = expat.rows[0][0]
    assert cell.text == "指标 & 指标<1>"  # the entities resolved by expat, as the expat reader has them
    assert expat.merged == [(1, 1, 1, 2), (2, 3, 4, 4)]
    assert expat.rows[6][1].value == 0.5 and expat.rows[8][0].value == 9 and expat.rows[9][0].value == 10
    assert [c.underline for c in expat.rows[6] if c] == [False, False, True]  # AB7 holds the underlined shared string


@pytest.mark.parametrize("body, tail", [
    (b'<row r="1">\n<c r="A1"><v>1</v></c></row>', b""),  # whitespace: its text would run into the next one
    (b'<row r="1"><c r="A1"><v>1</v></c></row>\n<row r="2"><c r="A2"><v>2</v></c></row>', b""),
    (b'<row r="1"><!-- x --><c r="A1"><v>1</v></c></row>', b""),
    (b'<row r="1"><c r="A1"><v><![CDATA[12]]></v></c></row>', b""),
    (b'<row r="1"><c r="A1" t="s" s="1"><v>1</v></c></row>', b""),  # attributes in another order
    (b'<row r="1"><c r="A1" cm="1"><v>1</v></c></row>', b""),
    ('<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><u/></rPr><t>下划线</t></r></is></c></row>', b""),
    (b'<row r="1"><c r="a1"><v>1</v></c></row>', b""),
    (b'<row r="1"><c><v>1</v></c></row>', b""),  # no r=: the cell follows the previous one
    (b'<row spans="1:2" r="5"><c r="A5"><v>1</v></c></row>', b""),  # r= after another attribute
    (b'<row r="1"><x:c r="A1"><v>1</v></x:c></row>', b""),
    (b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<extLst><ext><c r="B9"><v>9</v></c></ext></extLst>'),
])
def test_other_forms_give_way_and_the_workbook_reads_as_before(tmp_path, body, tail):
    path = write(tmp_path, body, tail)
    plain, expat = both(path)
    assert plain is None
    assert {n: grid_state(g) for n, g in read_grids(path).items()} == {"附件1": grid_state(expat)}


def test_texts_come_from_expat_so_line_ends_and_entities_read_alike(tmp_path):
    body = b'<row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>1\r\n2\r3</v></c><c r="B1" t="inlineStr"><is><t>&#13;\r\n</t></is></c></row>'
    plain, expat = both(write(tmp_path, body))
    assert plain is not None and grid_state(plain) == grid_state(expat)
    assert expat.rows[0][0].text == "1\n2\n3" and expat.rows[0][0].formula == '="a"&"b"'


def test_sheet_data_inside_a_comment_is_not_taken_for_the_real_one(tmp_path):
    # The first <sheetData> bytes are in a comment that ends inside a value, and what follows them
    # tiles as a row with one text: to expat the text is A1's, and A2 is no cell at all.
    head = HEAD.replace(b"<sheetData>", b'<sheetData ><row r="1"><c r="A1"><v><!--<sheetData>')
    path = write(tmp_path, b'<row r="2"><c r="A2"><v>-->7</v></c></row>', head=head)
    plain, expat = both(path)
    assert plain is None and [[(c.ref, c.value) for c in line if c] for line in expat.rows] == [[("附件1!A1", 7)]]


@pytest.mark.parametrize("body, words", [
    (b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>', "共享字符串第 99 项不存在"),
    (b'<row r="1"><c r="A1"><v>1</v></c><c r="A1" r="B1"><v>1</v></c></row>', "XML"),
    (b'<row r="1"><c r="A1"><v>1</v></row>', "XML"),
    (b'<row r="1"><c r="A1"><v>&bogus;</v></c></row>', "XML"),
    (b'<row r="1"><c r="A1"><v>\x01</v></c></row>', "XML"),
])
def test_a_fault_gives_the_expat_readers_message(tmp_path, body, words):
    path = write(tmp_path, body)
    with zipfile.ZipFile(path) as zf:
        assert plain_sheet.read_plain(Package(zf), "附件1", SHEET) is None
    with pytest.raises(PlanReportError) as got:
        read_grids(path)
    assert words in str(got.value)


def test_the_sample_and_a_big_generated_sheet_are_read_plain(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from gen import make_big_workbook

    big = tmp_path / "big.xlsx"
    make_big_workbook(big, 3000)
    for path in (ROOT / "workbooks" / "kundulun-2025.xlsx", big):
        with zipfile.ZipFile(path) as zf:
            pkg = Package(zf)
            for name, member in pkg.sheets:
                plain = plain_sheet.read_plain(pkg, name, member)
                assert plain is not None, (path.name, name)
                assert grid_state(plain) == grid_state(pkg.read_sheet(name, member)), (path.name, name)


def test_pieces_join_across_chunks(tmp_path, monkeypatch):
    """Rows cut into many pieces (a tiny CHUNK) read as one piece does."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>&#25351;%d</t></is></c><c r="B%d" s="1"><v>0.%d</v></c></row>'
                    % (r, r, r, r, r) for r in range(1, 400))
    path = write(tmp_path, rows)
    monkeypatch.setattr(plain_sheet, "CHUNK", 64)
    plain, expat = both(path)
    assert plain is not None and grid_state(plain) == grid_state(expat)
    assert expat.rows[398][0].text == "指399"


CELL_FORMS = st.sampled_from([
    '<c r="{c}{r}"><v>{n}</v></c>', '<c r="{c}{r}" s="1"><v>0.{n}</v></c>', '<c r="{c}{r}" t="s"><v>{k}</v></c>',
    '<c r="{c}{r}" s="2" t="n"><v>{n}E-2</v></c>', '<c r="{c}{r}" t="inlineStr"><is><t>&#25351;{n}&amp;</t></is></c>',
    '<c r="{c}{r}" t="str"><f>A{r}&amp;"x"</f><v>v{n}</v></c>', '<c r="{c}{r}"><f>1/0</f></c>', '<c r="{c}{r}" s="1"/>',
    '<c r="{c}{r}" t="e"><v>#DIV/0!</v></c>', '<c r="{c}{r}" t="b"><v>0</v></c>', '<c r="{c}{r}" t="s"><v>{bad}</v></c>',
    '<c r="{c}{r}"><v> </v></c>', '<c r="{c}{r}" t="d"><v>2025-01-0{k}T00:00:00</v></c>', '<c r="{c}{r}" t="zz"><v>1</v></c>',
    '<c r="{c}{r}" t="inlineStr"><is><t>x</t></is><!-- -->a</c>', '<c r="{c}{r}" t="inlineStr"><v>{n}</v></c>',
    '<c r="{c}{r}"><is><t>x{n}</t></is></c>', '<c r="{c}{r}" t="s"><is><t>y</t></is></c>',
    '<c r="{c}{r}" t="inlineStr"><is><t xml:space="preserve"> {n} </t></is></c>', '<c r="{c}{r}" t="inlineStr"><is><t/></is></c>',
    '<c r="{c}{r}" s="2"><v>{n}.0</v></c>', '<c r="{c}{r}" s="9"><v>{n}</v></c>',
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D", "Z", "XFD", "XFE", "ZZZ"]),
                                                                CELL_FORMS, st.integers(0, 9)),
                                                      max_size=5)), min_size=1, max_size=12),
       st.booleans())
def test_random_sheets_read_as_the_expat_reader_reads_them(tmp_path_factory, rows, numbered):
    body = "".join(
        (f'<row r="{r}">' if numbered else "<row>")
        + "".join(form.format(c=c, r=r, n=n, k=n % 4, bad=n + 10) for c, form, n in cells) + "</row>"
        for r, cells in rows).encode()
    path = write(tmp_path_factory.mktemp("p"), body)
    with zipfile.ZipFile(path) as zf:
        pkg = Package(zf)
        plain = plain_sheet.read_plain(pkg, "附件1", SHEET)
        try:
            expat = grid_state(pkg.read_sheet("附件1", SHEET))
        except Exception as exc:  # a fault: the plain reader must have given way
            assert plain is None, exc
            return
    if plain is not None:
        assert grid_state(plain) == expat


def _many_rows(n: int) -> bytes:
    return "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>&#25351;标{r}&amp;</t></is></c>'
                   f'<c r="B{r}" s="1"><v>0.{r}</v></c><c r="C{r}" t="s"><v>{r % 4}</v></c></row>' for r in range(1, n)).encode()


@pytest.mark.parametrize("fork", [True, False])
def test_texts_from_a_second_process_read_alike(tmp_path, monkeypatch, fork):
    """Above FORK_BYTES a forked child runs the expat pass and sends each piece's texts over; the
    grid is the same either way, and the child is used only when it may be."""
    from addin.common import forked

    made = []

    class Counted(forked.Child):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(forked, "Child", Counted)
    monkeypatch.setattr(forked, "enabled", fork)
    monkeypatch.setattr(plain_sheet, "FORK_BYTES", 1)
    monkeypatch.setattr(plain_sheet, "CHUNK", 300)
    merges = b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    plain, expat = both(write(tmp_path, _many_rows(300), merges))
    assert plain is not None and grid_state(plain) == grid_state(expat)
    assert expat.rows[298][0].text == "指标299&" and expat.merged == [(1, 1, 1, 2)]
    assert len(made) == (1 if fork and forked.worth_forking() else 0)


@pytest.mark.parametrize("tail", [b'<mergeCells><mergeCell ref="A1:B2"></mergeCells>',  # the child finds it after the cells
                                  b'<mergeCells><mergeCell ref="A1:B2"/></mergeCells><x>&bogus;</x>'])
def test_a_fault_the_child_meets_gives_the_expat_readers_message(tmp_path, monkeypatch, tail):
    from addin.common import forked

    path = write(tmp_path, _many_rows(200), tail)
    monkeypatch.setattr(plain_sheet, "FORK_BYTES", 1)
    monkeypatch.setattr(plain_sheet, "CHUNK", 300)
    messages = []
    for fork in (True, False):
        monkeypatch.setattr(forked, "enabled", fork)
        with zipfile.ZipFile(path) as zf:
            assert plain_sheet.read_plain(Package(zf), "附件1", SHEET) is None
        with pytest.raises(PlanReportError) as got:
            read_grids(path)
        messages.append(str(got.value))
    assert messages[0] == messages[1] and "XML" in messages[0]


def test_a_fork_refused_reads_in_this_process(tmp_path, monkeypatch):
    from addin.common import forked

    def refused(*_args, **_kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked, "enabled", True)
    monkeypatch.setattr(forked, "worth_forking", lambda: True)
    monkeypatch.setattr(forked, "Child", refused)
    monkeypatch.setattr(plain_sheet, "FORK_BYTES", 1)
    plain, expat = both(write(tmp_path, _many_rows(50)))
    assert plain is not None and grid_state(plain) == grid_state(expat)
