"""addin.office.excel against a stand-in for xlwings' Book/Sheet/Range built from a real workbook's values.

This is the one place a stand-in is allowed (no Excel on Linux). It mirrors only
the xlwings surface addin.office.excel uses, and its cells come from the workbook file
through openpyxl. What it does as Excel does: ``api.SaveCopyAs`` writes a real .xlsx
holding the cells and defined names as they are now (unsaved edits included), writing a
value re-types text the way Excel does ("5.5%" becomes 0.055) unless it has a leading
apostrophe, and ``names.add`` redefines a workbook-level name of the same name instead of
adding a second. Every Range property read is logged, so a test can count the COM calls.
"""
import datetime
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

import addin.office.excel as excel
from addin.render import fonts
from addin.app.pipeline import check_workbook
from addin.workbook.writeback.results_sheet import ALT_SHEET_NAME, INDICATOR_HEADER, OWN_NAME, SHEET_NAME

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"


# --- the stand-in ---------------------------------------------------------------

class App:
    def __init__(self):
        self.alerts = []
        self.screen_updating = True

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title, mode))


class _ComFont:
    def __init__(self, rng):
        self._rng = rng

    @property
    def Underline(self):  # noqa: N802 - COM spelling
        styles = {2 if self._rng.sheet.underline.get(rc) else -4142 for rc in self._rng.coords()}
        return styles.pop() if len(styles) == 1 else None


class _Api:
    def __init__(self, rng):
        self.Font = _ComFont(rng)


class _Font:
    def __init__(self, rng):
        self._rng = rng

    @property
    def bold(self):
        return all(rc in self._rng.sheet.bold for rc in self._rng.coords())

    @bold.setter
    def bold(self, value):
        for rc in self._rng.coords():
            (self._rng.sheet.bold.add if value else self._rng.sheet.bold.discard)(rc)


def excel_typed(value):
    """What Excel stores when a string is written into a General cell (zh-CN): numbers,
    percentages and month-day dates become numbers; a leading apostrophe keeps text."""
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]
    text = value.strip()
    if re.fullmatch(r"[-+]?\d+(\.\d+)?%", text):
        return float(text[:-1]) / 100
    if re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        return float(text)
    day = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text)
    if day and 1 <= int(day.group(1)) <= 12 and 1 <= int(day.group(2)) <= 28:
        return datetime.datetime(2026, int(day.group(1)), int(day.group(2)))
    return value


class Range:
    def __init__(self, sheet, r1, c1, r2, c2):
        self.sheet, self.row, self.column, self._end = sheet, r1, c1, (r2, c2)

    def __getattribute__(self, name):
        if name in ("value", "number_format", "merge_cells", "merge_area", "api", "font", "last_cell"):
            object.__getattribute__(self, "sheet").book.log.append(name)
        return object.__getattribute__(self, name)

    def coords(self):
        return [(r, c) for r in range(self.row, self._end[0] + 1) for c in range(self.column, self._end[1] + 1)]

    @property
    def last_cell(self):
        return Range(self.sheet, *self._end, *self._end)

    def options(self, ndim=None, err_to_str=False):
        return self

    @property
    def value(self):
        return [[self.sheet.values.get((r, c)) for c in range(self.column, self._end[1] + 1)]
                for r in range(self.row, self._end[0] + 1)]

    @value.setter
    def value(self, rows):
        if not isinstance(rows, list):  # xlwings takes a scalar for one cell
            rows = [[rows]]
        for i, line in enumerate(rows):
            for j, v in enumerate(line):
                self.sheet.values[(self.row + i, self.column + j)] = excel_typed(v)

    @property
    def number_format(self):
        formats = {self.sheet.formats.get(rc, "General") for rc in self.coords()}
        return formats.pop() if len(formats) == 1 else None

    @number_format.setter
    def number_format(self, fmt):
        for rc in self.coords():
            self.sheet.formats[rc] = fmt

    def _merge_of(self, r, c):
        return next((m for m in self.sheet.merged if m[0] <= r <= m[2] and m[1] <= c <= m[3]), None)

    @property
    def merge_cells(self):
        inside = {self._merge_of(*rc) is not None for rc in self.coords()}
        return inside.pop() if len(inside) == 1 else None

    @property
    def merge_area(self):
        m = self._merge_of(self.row, self.column)
        return Range(self.sheet, *m) if m else self

    @property
    def font(self):
        return _Font(self)

    @property
    def api(self):
        return _Api(self)


    @property
    def column_width(self):
        return self.sheet.widths.get(self.column)

    @column_width.setter
    def column_width(self, width):
        self.sheet.widths[self.column] = width


class _Hyperlinks:
    def __init__(self, sheet):
        self._sheet = sheet

    def Add(self, Anchor, Address, SubAddress=None, ScreenTip=None, TextToDisplay=None):  # noqa: N802,N803 - COM
        self._sheet.book.log.append("Hyperlinks.Add")
        at = (Anchor.Row, Anchor.Column)
        self._sheet.links[at] = Address + ("#" + SubAddress if SubAddress else "")
        self._sheet.tips[at] = ScreenTip
        self._sheet.values[at] = TextToDisplay  # TextToDisplay is text


class _Cells:
    def __init__(self, sheet):
        self._sheet = sheet

    def Item(self, row, column):  # noqa: N802 - COM
        self._sheet.book.log.append("Cells.Item")
        return SimpleNamespace(Row=row, Column=column)


class Sheet:
    def __init__(self, book, name):
        self.book, self.name = book, name
        self.clear()

    def clear(self):
        self.values, self.formats, self.underline, self.bold, self.links, self.widths = {}, {}, {}, set(), {}, {}
        self.tips = {}
        self.merged = []

    def activate(self):
        self.book.active = self

    @property
    def api(self):
        return SimpleNamespace(Hyperlinks=_Hyperlinks(self), Cells=_Cells(self))

    @property
    def used_range(self):
        filled = [rc for rc, v in self.values.items() if v is not None] or [(1, 1)]
        return Range(self, 1, 1, max(r for r, _ in filled), max(c for _, c in filled))

    def range(self, a, b=None):
        if isinstance(a, str):
            m = re.fullmatch(r"([A-Z]+)(\d*)(?::([A-Z]+)(\d*))?", a)
            c1 = column_index_from_string(m.group(1))
            if not m.group(2):  # whole column "A:A"
                return Range(self, 1, c1, 1_048_576, column_index_from_string(m.group(3)))
            return Range(self, int(m.group(2)), c1, int(m.group(2)), c1)
        b = b or a
        return Range(self, a[0], a[1], b[0], b[1])


class Sheets(list):
    def __init__(self, book):
        super().__init__()
        self.book = book

    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)

    def add(self, name=None, before=None, after=None):
        sheet = Sheet(self.book, name)
        self.insert(self.index(after) + 1 if after is not None else 0, sheet)
        return sheet


class NameApi:
    """A Name's COM object; ``Visible = False`` hides it from the Name Manager."""

    def __init__(self, refuse_hiding=False):
        self._visible, self._refuse = True, refuse_hiding

    @property
    def Visible(self):  # noqa: N802 - COM spelling
        return self._visible

    @Visible.setter
    def Visible(self, value):  # noqa: N802
        if self._refuse:
            raise RuntimeError("(-2147352567, '发生意外。')")
        self._visible = value


class Name:
    def __init__(self, name, refers_to, refuse_hiding=False):
        self.name, self.refers_to = name, refers_to
        self.api = NameApi(refuse_hiding)


class Names:
    """Workbook.Names: ``names[n]`` and ``contains(n)`` by name; Add redefines an existing name."""

    def __init__(self):
        self.items, self.refuse_hiding = [], False

    def contains(self, name):
        return any(n.name == name for n in self.items)

    def __getitem__(self, name):
        return next(n for n in self.items if n.name == name)

    def add(self, name, refers_to):
        self.items = [n for n in self.items if n.name != name]
        self.items.append(Name(name, refers_to, self.refuse_hiding))  # Names.Add makes a visible name
        return self.items[-1]


class BookApi:
    """Workbook's COM object: SaveCopyAs writes the cells and names as they are now to a real .xlsx."""

    def __init__(self, book):
        self._book = book

    def SaveCopyAs(self, filename):  # noqa: N802 - COM spelling
        from openpyxl.workbook.defined_name import DefinedName

        self._book.log.append("SaveCopyAs")
        wb = openpyxl.load_workbook(self._book.source)  # formats, underline, merges as saved
        for sheet in self._book.sheets:
            ws = wb[sheet.name] if sheet.name in wb.sheetnames else wb.create_sheet(sheet.name)
            for row in ws.iter_rows():
                for cell in row:  # a cell emptied since the last save is empty in the copy too
                    if cell.value is not None and (cell.row, cell.column) not in sheet.values:
                        cell.value = None
            for (r, c), value in sheet.values.items():
                ws.cell(r, c).value = value  # the live values, edits Excel has not saved
        for key in list(wb.defined_names):
            del wb.defined_names[key]
        for name in self._book.names.items:
            wb.defined_names[name.name] = DefinedName(name.name, attr_text=name.refers_to.lstrip("="),
                                                      hidden=not name.api.Visible or None)
        wb.save(filename)
        self._book.copies.append(Path(filename))


class Book:
    def __init__(self, path: Path, fullname=None):
        self.source = path
        self.fullname, self.name = str(fullname or path), path.name
        self.app, self.active = App(), None
        self.api = BookApi(self)
        self.log, self.copies = [], []
        self.sheets = Sheets(self)
        self.names = Names()
        wb = openpyxl.load_workbook(path, data_only=True)
        for key, defined in wb.defined_names.items():  # workbook-level names, as Excel's RefersTo shows them
            name = self.names.add(key, "=" + defined.attr_text)
            name.api.Visible = not defined.hidden
        for ws in wb.worksheets:
            sheet = self.sheets.add(ws.title, after=self.sheets[-1] if self.sheets else None)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        sheet.values[(cell.row, cell.column)] = cell.value
                    sheet.formats[(cell.row, cell.column)] = cell.number_format
                    sheet.underline[(cell.row, cell.column)] = cell.font.u not in (None, "none")
            sheet.merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]


# --- fixtures -------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def log_file(tmp_path, monkeypatch):
    """Internal errors go to a log the test can show, never to the user's home."""
    log = tmp_path / "excel.log"
    monkeypatch.setattr(excel, "LOG_FILE", log)
    yield log
    if log.exists() and "raise RuntimeError(\"坏了\")" not in log.read_text(encoding="utf-8"):
        pytest.fail("addin.office.excel logged an internal error:\n" + log.read_text(encoding="utf-8"))


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / SAMPLE.name
    shutil.copyfile(SAMPLE, path)
    return path


@pytest.fixture
def book(workbook):
    return Book(workbook)


def cli_results_sheet(path: Path, result_json: dict, tmp_path: Path) -> list[list]:
    """核算结果 as the CLI write-back puts it into the file, read back with openpyxl."""
    from addin.workbook.writeback.package import splice

    out = tmp_path / "cli_written.xlsx"
    with out.open("wb") as fh:
        splice(path, fh, result_json, str(path))
    ws = openpyxl.load_workbook(out)[SHEET_NAME]
    return [[c.value for c in row] for row in ws.iter_rows()]


def standin_rows(sheet: Sheet) -> list[list]:
    used = sheet.used_range
    return [[v for v in row] for row in used.value]


# --- tests ----------------------------------------------------------------------------

def test_check_data_same_result_and_sheet_as_cli(book, workbook, tmp_path):
    result = excel.check_data(book)
    cli = check_workbook(workbook).to_json()
    assert result == cli
    assert [i["row"] for i in result["indicators"] if i["status"] == "unmet"] == [3, 8]  # 地区生产总值, 居民收入
    sheet = book.sheets[SHEET_NAME]
    assert book.active is sheet
    ours = standin_rows(sheet)
    theirs = cli_results_sheet(workbook, cli, tmp_path)
    assert len(ours) == len(theirs)
    width = max(len(r) for r in ours + theirs)
    for mine, file_row in zip(ours, theirs):
        mine, file_row = (list(r) + [None] * (width - len(r)) for r in (mine, file_row))
        assert [type(v) for v in mine] == [type(v) for v in file_row], mine
        assert mine == [pytest.approx(v) if isinstance(v, float) else v for v in file_row]
    # percent cells carry a percent format, headers are bold, rate cells link to their source
    rate_col = 6
    assert sheet.formats[(2, rate_col)] == "0.00%"
    assert (1, 1) in sheet.bold
    assert "#'附件1'!F24" in sheet.links.values()
    prompt, title, mode = book.app.alerts[-1]
    assert title == "计划执行报告" and mode == "critical"  # the sample has one error-level finding
    assert "共 48 项指标" in prompt and "附件1!F24" in prompt


def test_live_values_are_used_not_the_saved_file(book):
    """An unsaved edit in Excel (F24 corrected to 200%) changes the check."""
    sheet = book.sheets["附件1"]
    assert sheet.values[(24, 6)] == pytest.approx(1.36)
    sheet.values[(24, 6)] = 2.0
    result = excel.check_data(book)
    assert not [f for f in result["findings"] if f["code"] == "rate_mismatch"]
    assert book.app.alerts[-1][2] == "info"


def test_rerun_replaces_results_sheet(book):
    first = excel.check_data(book)
    book.sheets[SHEET_NAME].values[(200, 1)] = "stale"
    second = excel.check_data(book)
    # The second run sees the first run's 核算结果 and says it skipped it (the reading map); all else is equal.
    assert {k: v for k, v in first.items() if k != "skipped"} == {k: v for k, v in second.items() if k != "skipped"}
    assert [s["sheet"] for s in second["skipped"]] == [SHEET_NAME]
    assert [s.name for s in book.sheets].count(SHEET_NAME) == 1
    assert (200, 1) not in book.sheets[SHEET_NAME].values


def test_generate_report_writes_and_opens_same_reports_as_cli(book, workbook, tmp_path):
    from addin.app.refresh import refresh_workbook

    opened = []
    written = excel.generate_report(book, opener=opened.append)
    folder = workbook.parent / "报告"
    assert [p.name for p in written] == ["kundulun-2025.docx", "kundulun-2025.html"]
    assert all(p.parent == folder for p in written)
    assert opened == [written[0]]
    cli = refresh_workbook(workbook, out_dir=tmp_path / "cli", writeback=False).outputs
    assert [p.name for p in cli] == [p.name for p in written]
    assert written[1].read_bytes() == cli[1].read_bytes()
    assert docx_text(written[0]) == docx_text(cli[0]) and "地区生产总值" in docx_text(written[0])
    assert SHEET_NAME in [s.name for s in book.sheets]
    if fonts.has_cjk_font():
        assert not book.app.alerts  # success speaks through the opened report


def docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_open_report_folder(book, workbook):
    opened = []
    assert excel.open_report_folder(book, opener=opened.append) is None
    assert "请先点击“生成报告”" in book.app.alerts[-1][0]
    (workbook.parent / "报告").mkdir()
    excel.open_report_folder(book, opener=opened.append)
    assert opened == [workbook.parent / "报告"]


def test_unusable_workbook_gives_chinese_message_box(tmp_path):
    path = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "没有表头"
    wb.save(path)
    book = Book(path)
    assert excel.check_data(book) is None
    prompt, title, mode = book.app.alerts[-1]
    assert mode == "critical" and "没有找到指标表" in prompt and "Traceback" not in prompt
    assert f"工作簿 {path} 中" in prompt and "planreport-" not in prompt  # the workbook, never the private copy


def test_internal_error_is_logged_not_raised(book, tmp_path, monkeypatch):
    def broken(_book, _settings=None):
        raise RuntimeError("坏了")

    monkeypatch.setattr(excel, "check_book", broken)
    assert excel.generate_report(book, opener=lambda p: None) is None
    prompt = book.app.alerts[-1][0]
    assert prompt.startswith("内部错误：RuntimeError: 坏了") and str(tmp_path / "excel.log") in prompt
    assert "Traceback" in (tmp_path / "excel.log").read_text(encoding="utf-8")


def test_diagnose_shows_versions_and_paths(book):
    text = excel.diagnose(book)
    assert "PlanReport 版本" in text and str(book.fullname) in text
    assert book.app.alerts[-1][0] == text


# --- reading through SaveCopyAs ------------------------------------------------------

def big_workbook(path: Path, rows: int) -> Path:
    """附件1's 48 indicators repeated to ``rows`` rows, each cell with its value and number format."""
    src = openpyxl.load_workbook(SAMPLE)["附件1"]
    sample = [[(c.value, c.number_format) for c in row] for row in src.iter_rows(min_row=3, max_row=50)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append(["类别", "序号", "指标", "目标", "完成情况", "完成率"])
    for i in range(rows):
        line = sample[i % len(sample)]
        for c, (value, fmt) in enumerate(line, start=1):
            cell = ws.cell(i + 2, c, i + 1 if c == 2 else (value if c > 1 or i == 0 else None))
            cell.number_format = fmt
    wb.save(path)
    return path


def test_5000_rows_are_read_with_one_com_call_and_agree_with_the_cli(tmp_path):
    path = big_workbook(tmp_path / "大表.xlsx", 5000)
    book = Book(path)
    book.log.clear()
    result = excel.check_book(book)
    # Before: number formats, underline and merges cell by cell, ≈30,000 calls for 5,000 rows.
    assert book.log == ["SaveCopyAs"]
    assert not book.copies[0].exists() and not book.copies[0].parent.exists()  # the private copy is gone
    assert len(result.indicators) == 5000
    assert result.to_json() == check_workbook(path).to_json()
    rate = next(i for i in result.indicators if i.row == 2)
    assert rate.actual == "5.5%" and rate.computed_rate == 68.75  # the percent format came through


def test_unsaved_new_workbook_is_read_and_reports_go_to_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = tmp_path / "source.xlsx"
    shutil.copyfile(SAMPLE, path)
    book = Book(path, fullname="工作簿1")
    book.name = "工作簿1"
    assert excel.check_book(book).workbook == "工作簿1"
    assert book.copies[0].suffix == ".xlsx"
    written = excel.generate_report(book, opener=lambda p: None)
    assert written[0] == tmp_path / "home" / "Documents" / "报告" / "工作簿1.docx"


class CloudBook(Book):
    """A workbook on OneDrive: Excel's FullName is a URL and xlwings cannot map it to a file."""

    URL = "https://d.docs.live.net/4f2a9c/文档/kundulun-2025.xlsx"

    @property
    def fullname(self):
        raise RuntimeError("Couldn't find your local OneDrive file, see: xlwings.org/error")

    @fullname.setter
    def fullname(self, value):
        pass


def test_onedrive_workbook_is_read_and_reported(workbook, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    book = CloudBook(workbook)
    book.api.FullName = CloudBook.URL
    result = excel.check_data(book)
    assert result["workbook"] == CloudBook.URL
    assert result["indicators"] == check_workbook(workbook).to_json()["indicators"]
    written = excel.generate_report(book, opener=lambda p: None)
    assert written[0].parent == tmp_path / "home" / "Documents" / "报告"
    assert CloudBook.URL in excel.diagnose(book)


# --- writing 核算结果 -------------------------------------------------------------------

def test_text_that_excel_would_retype_stays_text(book):
    result = check_workbook(SAMPLE).to_json()
    result["indicators"][0]["name"] = "1-3"  # Excel: the 3rd of January
    result["indicators"][1]["target"] = "=SUM(A1)"  # Excel: a formula
    result["indicators"][2]["actual"] = "12"  # Excel: a number
    sheet = excel.write_results(book, result)
    assert sheet.values[(2, 3)] == "1-3" and sheet.values[(3, 4)] == "=SUM(A1)" and sheet.values[(4, 5)] == "12"
    assert sheet.values[(2, 5)] == "5.5%"  # 完成情况 as the table shows it, not 0.055
    assert sheet.values[(2, 6)] == pytest.approx(0.6875) and sheet.formats[(2, 6)] == "0.00%"
    assert excel_typed("5.5%") == 0.055  # the stand-in does re-type text without the apostrophe


def test_links_have_chinese_screentips_and_rates_stay_numbers(book):
    result = excel.check_data(book)
    sheet = book.sheets[SHEET_NAME]
    rate_cell = next(rc for rc, address in sheet.links.items() if address == "#'附件1'!F24")
    assert sheet.tips[rate_cell] == "跳到 附件1!F24"
    assert all(tip.startswith("跳到 ") for tip in sheet.tips.values()) and len(sheet.tips) >= len(result["indicators"])
    assert sheet.values[rate_cell] == pytest.approx(1.36) and sheet.formats[rate_cell] == "0.00%"
    assert book.app.screen_updating is True  # restored after writing
    assert book.log.count("Hyperlinks.Add") == len(sheet.links)  # one call per link, not three


# --- faults a user meets ----------------------------------------------------------------

def _immutable(path: Path, on: bool) -> bool:
    import subprocess

    return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_word_holding_the_report_open_is_one_chinese_line(book, workbook, log_file):
    first = excel.generate_report(book, opener=lambda p: None)
    docx = first[0]
    # Word keeps the .docx it shows locked against writing; an immutable file refuses the same way (even root).
    if not _immutable(docx, True):
        pytest.skip("chattr +i 不可用，无法模拟被 Word 占用的报告")
    try:
        assert excel.generate_report(book, opener=lambda p: None) is None
    finally:
        _immutable(docx, False)
    prompt, title, mode = book.app.alerts[-1]
    assert "请先关闭 Word 中的报告" in prompt and str(docx) in prompt and mode == "critical"
    assert "内部错误" not in prompt and "\n" not in prompt
    assert not log_file.exists()


# --- whose 核算结果 it is ---------------------------------------------------------------

def with_users_sheet(path: Path, rows: list[list]) -> Path:
    """The sample with a sheet of the user's own named 核算结果 (an ordinary word for "results")."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb.create_sheet(SHEET_NAME)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


USERS_NOTES = [["我的核算笔记", None], ["GDP 口径", "按 2020 年不变价"]]
# PlanReport's header typed (or pasted) by the user: neither PlanReport's mark nor its footnote.
USERS_TABLE = [INDICATOR_HEADER, ["附件1", 1, "地区生产总值", "8%左右", "5.5%"]]


def the_file_write_backs_refusal(path: Path) -> str:
    """What `planreport refresh` says about the same workbook, after its file-name prefix."""
    from addin.common.errors import PlanReportError
    from addin.workbook.writeback import write_results as write_file

    probe = path.with_name("probe-" + path.name)
    shutil.copyfile(path, probe)
    with pytest.raises(PlanReportError) as refused:
        write_file(probe, check_workbook(probe).to_json(), backup=False)
    return str(refused.value).split(": ", 1)[1]


@pytest.mark.parametrize("rows", [USERS_NOTES, USERS_TABLE], ids=["notes", "same-header"])
def test_a_users_own_results_sheet_is_refused_in_the_file_write_backs_words(tmp_path, rows):
    path = with_users_sheet(tmp_path / "自己的核算结果.xlsx", rows)
    book = Book(path)
    before = dict(book.sheets[SHEET_NAME].values)
    assert excel.check_data(book) is None
    prompt, _title, mode = book.app.alerts[-1]
    assert mode == "critical" and prompt == f"{path}: " + the_file_write_backs_refusal(path)
    assert "不是 PlanReport 生成的" in prompt and "results_sheet_fallback" in prompt and "\n" not in prompt
    assert book.sheets[SHEET_NAME].values == before  # every cell of the user's sheet as it was
    assert [s.name for s in book.sheets].count(SHEET_NAME) == 1 and ALT_SHEET_NAME not in [s.name for s in book.sheets]
    assert not book.names.contains(OWN_NAME)
    assert excel.generate_report(book, opener=lambda p: pytest.fail("a report was opened")) is None
    assert not (tmp_path / "报告").exists()


def test_with_the_fallback_setting_results_go_beside_the_users_sheet(tmp_path):
    path = with_users_sheet(tmp_path / "自己的核算结果.xlsx", USERS_NOTES)
    (tmp_path / "planreport.toml").write_text("results_sheet_fallback = true\n", encoding="utf-8")
    book = Book(path)
    before = dict(book.sheets[SHEET_NAME].values)
    result = excel.check_data(book)
    assert [s.name for s in book.sheets] == ["附件1", "附件2", "基础数据", SHEET_NAME, ALT_SHEET_NAME]
    assert book.sheets[SHEET_NAME].values == before
    alt = book.sheets[ALT_SHEET_NAME]
    assert book.active is alt
    assert [alt.values.get((1, c)) for c in range(1, 10)] == INDICATOR_HEADER
    assert len(result["indicators"]) == 48
    mark = book.names[OWN_NAME]
    assert mark.refers_to == "='核算结果（PlanReport）'!$A$1:$I$1" and mark.api.Visible is False
    # The second press replaces PlanReport's own sheet in place; the user's is still not touched.
    alt.values[(300, 1)] = "stale"
    excel.check_data(book)
    assert [s.name for s in book.sheets].count(ALT_SHEET_NAME) == 1 and (300, 1) not in book.sheets[ALT_SHEET_NAME].values
    assert book.sheets[SHEET_NAME].values == before


def test_the_sheet_a_refresh_left_is_replaced_and_stays_marked(workbook, tmp_path):
    """A workbook refreshed from the command line, then opened in Excel: its 核算结果 is PlanReport's."""
    from addin.workbook.writeback import write_results as write_file

    write_file(workbook, check_workbook(workbook).to_json(), backup=False)
    book = Book(workbook)
    assert book.names[OWN_NAME].api.Visible is False  # the file write-back's hidden mark, as Excel loads it
    book.sheets[SHEET_NAME].values[(400, 1)] = "stale"
    excel.check_data(book)
    assert [s.name for s in book.sheets].count(SHEET_NAME) == 1 and (400, 1) not in book.sheets[SHEET_NAME].values
    assert book.names[OWN_NAME].refers_to == "='核算结果'!$A$1:$I$1" and book.names[OWN_NAME].api.Visible is False


def test_a_sheet_written_before_the_mark_existed_is_recognised_by_header_and_footnote(workbook):
    from addin.workbook.writeback import write_results as write_file

    write_file(workbook, check_workbook(workbook).to_json(), backup=False)
    book = Book(workbook)
    book.names.items.clear()  # an older PlanReport wrote no defined name
    book.sheets[SHEET_NAME].values[(400, 1)] = "stale"
    excel.check_data(book)
    assert (400, 1) not in book.sheets[SHEET_NAME].values
    assert book.names.contains(OWN_NAME)


def test_the_mark_is_added_hidden_and_the_file_write_back_honours_it(book, tmp_path):
    """What Excel saves after the button: the CLI's write-back sees PlanReport's own sheet and replaces it."""
    from addin.workbook.writeback import write_results as write_file

    assert not book.names.contains(OWN_NAME)
    excel.check_data(book)
    mark = book.names[OWN_NAME]
    assert mark.refers_to == "='核算结果'!$A$1:$I$1" and mark.api.Visible is False
    saved = tmp_path / "saved" / "kundulun-2025.xlsx"
    saved.parent.mkdir()
    book.api.SaveCopyAs(str(saved))
    write_file(saved, check_workbook(saved).to_json(), backup=False)  # no refusal: the sheet is PlanReport's
    wb = openpyxl.load_workbook(saved)
    assert wb.sheetnames.count(SHEET_NAME) == 1 and ALT_SHEET_NAME not in wb.sheetnames
    assert wb.defined_names[OWN_NAME].hidden


def test_a_name_excel_will_not_hide_still_marks_the_sheet(book):
    book.names.refuse_hiding = True
    result = excel.check_data(book)
    assert result is not None and not [a for a in book.app.alerts if a[0].startswith("内部错误")]
    assert book.names[OWN_NAME].api.Visible is True
    book.sheets[SHEET_NAME].values[(400, 1)] = "stale"
    excel.check_data(book)  # still PlanReport's own: replaced, not refused
    assert (400, 1) not in book.sheets[SHEET_NAME].values


# --- no Chinese font ---------------------------------------------------------------------

@pytest.fixture
def no_cjk_fonts(tmp_path, monkeypatch):
    """fontconfig listing no font at all, and the planreport[fonts] package out of sight."""
    from addin.render import fonts

    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig (fc-list) not installed")
    conf = tmp_path / "no-fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>\n',
                    encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.setattr(fonts, "package_font_dir", lambda: None)
    fonts.has_cjk_font.cache_clear()
    yield fonts.MISSING
    monkeypatch.undo()
    fonts.has_cjk_font.cache_clear()


def test_generate_report_says_when_there_is_no_chinese_font(book, workbook, no_cjk_fonts):
    written = excel.generate_report(book, opener=lambda p: None)
    [(prompt, title, mode)] = book.app.alerts
    assert title == "计划执行报告" and mode == "info"
    assert prompt.splitlines() == [f"已生成：{written[0]}", f"已生成：{written[1]}", no_cjk_fonts]
    assert "未找到中文字体" in no_cjk_fonts
