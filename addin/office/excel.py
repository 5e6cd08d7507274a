"""The Excel side of the add-in: what each ribbon button runs (through xlwings RunPython).

Reads the calling workbook as it is on screen (unsaved edits included) by having Excel
save a private copy (``Workbook.SaveCopyAs``) and running the file reader the CLI
uses on it: one COM call instead of one per cell or column, and the Excel path and the
headless path cannot read differently. Writes `核算结果` through xlwings and the
reports to a folder beside the workbook. `核算结果` is replaced only when PlanReport wrote
it (the file write-back's rule and refusal, shared), and marked as PlanReport's by the
hidden defined name the file write-back uses. Every entry point shows problems in a Chinese
message box and returns normally, so Excel never pops up a Python traceback. Each
takes an optional ``book`` (an xlwings Book) for callers other than Excel.

The buttons are Windows-only: on a Mac, RunPython needs xlwings' AppleScript
installed into Excel's sandbox, which PlanReport does not do (docs/excel.md).
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import xlwings as xw

from addin.common.errors import FileInUseError, PlanReportError
from addin.common.model import CheckResult
from addin.common.settings import Settings, load_settings
from addin.office.paths import book_fullname, local_path

TITLE = "计划执行报告"
REPORT_FORMATS = ("docx", "html")  # Word first: it is what gets opened
LOG_FILE = Path.home() / ".planreport" / "excel.log"
PERCENT_FORMAT = "0.00%"
COPY_SUFFIXES = (".xlsx", ".xlsm", ".xls")  # SaveCopyAs keeps the workbook's own format
WORD_HOLDS_REPORT = "请先关闭 Word 中的报告，再点“生成报告”"


# --- the app layer: every call into it is here, so it can be re-pointed in one place ---

def _check_file(copy: Path, label: str, settings: Settings) -> CheckResult:
    """The CLI's own read and check of a file, reported under the workbook's name, not the copy's."""
    from addin.app.options import Options
    from addin.app.pipeline import run

    return run(copy, Options(settings=settings, name=label)).result


def _write_reports(result_json: dict, folder: Path, workbook_name: str) -> list[Path]:
    from addin.app.refresh import safe_stem, write_reports

    return write_reports(result_json, folder, safe_stem(Path(workbook_name).stem), REPORT_FORMATS)


def _default_out() -> str:
    from addin.app.refresh import DEFAULT_OUT

    return DEFAULT_OUT


def _font_warning() -> Optional[str]:
    """The sentence every way in shows when this machine has no Chinese font (None on Windows)."""
    from addin.render.fonts import font_warning

    return font_warning()


# --- reading -----------------------------------------------------------------

@contextmanager
def saved_copy(book) -> Iterator[Path]:
    """The workbook as on screen, saved by Excel to a private temporary file, removed afterwards."""
    suffix = Path(book.name).suffix.lower()
    suffix = suffix if suffix in COPY_SUFFIXES else ".xlsx"  # a never-saved 工作簿1 is saved as .xlsx
    with tempfile.TemporaryDirectory(prefix="planreport-", ignore_cleanup_errors=True) as folder:
        copy = Path(folder) / f"workbook{suffix}"
        book.api.SaveCopyAs(str(copy))  # the open workbook keeps its name, path and saved state
        yield copy


def book_label(book) -> str:
    """What messages call the workbook: its file, else what Excel calls it (工作簿1, a OneDrive URL)."""
    fullname = book_fullname(book)
    return str(local_path(fullname) or fullname)


def book_settings(book) -> Settings:
    """planreport.toml beside the workbook, as for `planreport check`."""
    return load_settings(local_path(book_fullname(book)))


def check_book(book, settings: Optional[Settings] = None) -> CheckResult:
    settings = settings or book_settings(book)
    with saved_copy(book) as copy:
        return _check_file(copy, book_label(book), settings)


# --- writing -----------------------------------------------------------------

def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs, so formats take one call per run."""
    runs: list[tuple[int, int]] = []
    for r in sorted(rows):
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


def as_excel_text(value: Any) -> Any:
    """A text cell as Excel keeps it text: a leading apostrophe, which Excel stores as the
    cell's prefix, not its value. Without it Excel re-types what it writes: "5.5%" becomes
    0.055, "1-3" the 3rd of January, "=…" a formula. The apostrophe rides in the one bulk
    write (a "@" format would cost a call per run of text cells) and keeps the cell text
    even if someone later changes its format."""
    return "'" + value if isinstance(value, str) and value else value


def link_tip(ref: str) -> str:
    return f"跳到 {ref}"


@contextmanager
def screen_frozen(app) -> Iterator[None]:
    """Excel not repainting while 核算结果 is written: thousands of links are much faster unseen."""
    before = app.screen_updating
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = before


def _values(rng) -> list:
    """A range's values as one flat list, whatever its shape (one COM call)."""
    return [v for row in rng.options(ndim=2).value for v in row]


def own_mark(book) -> tuple[bool, Optional[str]]:
    """(whether the workbook carries PlanReport's mark, the sheet the mark points at)."""
    from addin.workbook.writeback.results_sheet import OWN_NAME, marked_sheet

    names = book.names
    if not names.contains(OWN_NAME):
        return False, None
    name = names[OWN_NAME]
    if name.name != OWN_NAME:  # Excel can answer with a sheet-level name ("附件1!PlanReport_Results"): not the mark
        return False, None
    return True, marked_sheet(name.refers_to)


def results_target(book, fallback: bool) -> tuple[str, Optional[str]]:
    """(the sheet 核算结果 goes to, the existing sheet to replace | None to add one), decided by the
    file write-back's own rule; a 核算结果 of the user's own is refused in the file write-back's words."""
    from addin.workbook.writeback.package import choose_target
    from addin.workbook.writeback.results_sheet import INDICATOR_HEADER, is_own_sheet

    any_mark, marked = own_mark(book)

    def is_own(name: str) -> bool:
        sheet = book.sheets[name]
        row1 = _values(sheet.range((1, 1), (1, len(INDICATOR_HEADER))))
        column_a = _values(sheet.range((1, 1), (sheet.used_range.last_cell.row, 1)))
        return is_own_sheet(name, row1, column_a, marked, any_mark)

    return choose_target([s.name for s in book.sheets], is_own, fallback, book_label(book))


def mark_own(book, sheet_name: str) -> None:
    """Point the workbook-level name OWN_NAME at ``sheet_name``'s header row (Excel's Names.Add
    redefines a name that exists), hidden as the file write-back hides it."""
    from addin.workbook.writeback.results_sheet import OWN_NAME, own_name_formula

    name = book.names.add(OWN_NAME, "=" + own_name_formula(sheet_name))
    try:
        name.api.Visible = False  # the statistician's Name Manager stays theirs
    except Exception:  # hiding is a courtesy (a Mac's appscript, an odd build): a visible mark still marks
        pass


def write_results(book, result_json: dict, settings: Optional[Settings] = None):
    """Write `核算结果` with the shared layout (values, % formats, links, widths) into PlanReport's
    own sheet — or, with settings.results_sheet_fallback, 核算结果（PlanReport） beside a sheet of the
    user's — and mark it. Decided before anything changes: a refusal leaves the workbook as it was."""
    name, existing = results_target(book, bool(settings and settings.results_sheet_fallback))
    with screen_frozen(book.app):
        sheet = _write_results(book, result_json, name, existing)
    mark_own(book, sheet.name)
    return sheet


def _write_results(book, result_json: dict, name: str, existing: Optional[str]):
    from addin.common.model import column_letter
    from addin.workbook.writeback.results_sheet import build_layout, build_rows, link_location

    if existing is not None:
        sheet = book.sheets[existing]
        sheet.clear()
    else:
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    layout = build_layout(result_json)
    rows = build_rows(result_json)
    width = max(len(r) for r in rows)
    block = [[as_excel_text(v) for v in r] + [None] * (width - len(r)) for r in rows]
    sheet.range("A1").value = block

    # Excel's Hyperlinks.Add with every part at once: xlwings' add_hyperlink makes three calls
    # (Add, TextToDisplay, ScreenTip) and a Range lookup per link, and 5,000 rows have ~16,000 links.
    hyperlinks, cells = sheet.api.Hyperlinks, sheet.api.Cells
    for (r, c), ref in sorted(layout.links.items()):
        hyperlinks.Add(Anchor=cells.Item(r + 1, c + 1), Address="", SubAddress=link_location(ref),
                       ScreenTip=link_tip(ref), TextToDisplay=str(rows[r][c]))
    if layout.links:
        # A link's display text is text: write the block once more (one call) so rates are numbers again.
        sheet.range("A1").value = block
    # Formats after the links: the Hyperlink cell style must not win over "0.00%".
    by_key: dict[tuple[str, int], list[int]] = {}
    for (r, c), key in layout.styles.items():
        by_key.setdefault((key, c), []).append(r + 1)
    for (key, c), rows_of in sorted(by_key.items()):
        for first, last in _runs(rows_of):
            target = sheet.range((first, c + 1), (last, c + 1))
            if key in ("percent", "link_percent"):
                target.number_format = PERCENT_FORMAT
            elif key == "header":
                target.font.bold = True
    for c, w in enumerate(layout.widths):
        sheet.range(f"{column_letter(c + 1)}:{column_letter(c + 1)}").column_width = w
    return sheet


def report_folder(book) -> Path:
    """`报告` beside the workbook, as `planreport refresh` does. A never-saved workbook, or one
    Excel knows only by its OneDrive/SharePoint address, has no folder here: Documents\\报告."""
    path = local_path(book_fullname(book))
    base = path.parent if path else Path.home() / "Documents"
    return base / _default_out()


def open_path(path: Path) -> None:
    """Open a file or folder with what the system associates with it."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # noqa: S606 - the user asked to open it
    else:
        subprocess.Popen(["open" if sys.platform == "darwin" else "xdg-open", str(path)])


# --- the buttons ---------------------------------------------------------------

def _alert(book, message: str, mode: str = "info") -> None:
    book.app.alert(message, title=TITLE, mode=mode)


def _log(exc: BaseException) -> Path:
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOG_FILE.open("a", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)) + "\n")
    return LOG_FILE


def button(func: Callable) -> Callable:
    """Run a ribbon action on the calling workbook; turn every failure into a Chinese message box."""

    @functools.wraps(func)
    def run(book=None, **kwargs):
        book = book or xw.Book.caller()
        try:
            return func(book, **kwargs)
        except PlanReportError as exc:
            _alert(book, str(exc), "critical")
        except Exception as exc:  # never a traceback window in front of a statistician
            log = _log(exc)
            _alert(book, f"内部错误：{type(exc).__name__}: {exc}\n详细信息已记录在 {log}", "critical")
        return None

    return run


def summary(result_json: dict) -> str:
    indicators = result_json.get("indicators", [])
    count = {s: sum(1 for i in indicators if i.get("status") == s) for s in ("met", "unmet", "not_computable")}
    findings = result_json.get("findings", [])
    errors = sum(1 for f in findings if f.get("severity") == "error")
    lines = [f"共 {len(indicators)} 项指标：已完成 {count['met']} 项，未完成 {count['unmet']} 项，"
             f"无法核算 {count['not_computable']} 项。",
             f"核对问题 {len(findings)} 条（其中错误 {errors} 条），详见“核算结果”工作表。"]
    lines += [f"· {f.get('cell') or ''} {f.get('message')}" for f in findings[:5]]
    if len(findings) > 5:
        lines.append(f"……另有 {len(findings) - 5} 条")
    return "\n".join(lines)


@button
def check_data(book) -> dict:
    """核对数据: check, write `核算结果`, select it, show a short summary."""
    settings = book_settings(book)
    result = check_book(book, settings).to_json()
    write_results(book, result, settings).activate()
    _alert(book, summary(result), "critical" if any(f["severity"] == "error" for f in result["findings"]) else "info")
    return result


@button
def generate_report(book, opener: Callable[[Path], None] = open_path) -> list[Path]:
    """生成报告: check, write `核算结果`, write Word + HTML, open the first report. Success speaks
    through the opened report; a machine without Chinese fonts also gets a message saying so."""
    settings = book_settings(book)
    result = check_book(book, settings).to_json()
    write_results(book, result, settings)
    try:
        written = _write_reports(result, report_folder(book), book.name)
    except FileInUseError as exc:
        # Word keeps the .docx it shows locked: the second 生成报告 cannot replace it.
        raise PlanReportError(f"{exc.path}：{WORD_HOLDS_REPORT}（报告文件正被占用，无法覆盖）") from None
    opener(written[0])
    warning = _font_warning()
    if warning:
        _alert(book, "\n".join([f"已生成：{p}" for p in written] + [warning]))
    return written


@button
def open_report_folder(book, opener: Callable[[Path], None] = open_path) -> Path:
    folder = report_folder(book)
    if not folder.is_dir():
        raise PlanReportError(f"报告文件夹 {folder} 还不存在：请先点击“生成报告”")
    opener(folder)
    return folder


@button
def diagnose(book) -> str:
    from addin.office.excel_install import diagnose as checks, format_checks

    text = "\n".join([format_checks(checks()), f"当前工作簿：{book_fullname(book)}", f"报告文件夹：{report_folder(book)}"])
    _alert(book, text)
    return text
