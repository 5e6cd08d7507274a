"""The Excel side of the add-in: what each ribbon button runs (through xlwings RunPython).

Reads the calling workbook as it is on screen (unsaved edits included) by having Excel
save a private copy (``Workbook.SaveCopyAs``) and running the file reader the CLI
uses on it: one COM call instead of one per cell or column, and the Excel path and the
headless path cannot read differently. Writes `核算结果` through xlwings and the
reports to a folder beside the workbook. Every entry point shows problems in a Chinese
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
from typing import Any, Callable, Iterator

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
    from addin.app.pipeline import check_workbook

    try:
        result = check_workbook(copy, settings)
    except PlanReportError as exc:
        raise PlanReportError(str(exc).replace(str(copy), label)) from None
    result.workbook = label
    return result


def _write_reports(result_json: dict, folder: Path, workbook_name: str) -> list[Path]:
    from addin.app.refresh import safe_stem, write_reports

    return write_reports(result_json, folder, safe_stem(Path(workbook_name).stem), REPORT_FORMATS)


def _default_out() -> str:
    from addin.app.refresh import DEFAULT_OUT

    return DEFAULT_OUT


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


def check_book(book) -> CheckResult:
    fullname = book_fullname(book)
    path = local_path(fullname)
    settings = load_settings(path)  # planreport.toml beside the workbook, as for `planreport check`
    with saved_copy(book) as copy:
        return _check_file(copy, str(path or fullname), settings)


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


def write_results(book, result_json: dict):
    """Replace the `核算结果` sheet with the shared layout (values, % formats, links, widths)."""
    with screen_frozen(book.app):
        return _write_results(book, result_json)


def _write_results(book, result_json: dict):
    from addin.common.model import column_letter
    from addin.workbook.writeback.results_sheet import SHEET_NAME, build_layout, build_rows, link_location

    names = [s.name for s in book.sheets]
    if SHEET_NAME in names:
        sheet = book.sheets[SHEET_NAME]
        sheet.clear()
    else:
        sheet = book.sheets.add(SHEET_NAME, after=book.sheets[len(names) - 1])
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
    result = check_book(book).to_json()
    write_results(book, result).activate()
    _alert(book, summary(result), "critical" if any(f["severity"] == "error" for f in result["findings"]) else "info")
    return result


@button
def generate_report(book, opener: Callable[[Path], None] = open_path) -> list[Path]:
    """生成报告: check, write `核算结果`, write Word + HTML, open the first report."""
    result = check_book(book).to_json()
    write_results(book, result)
    try:
        written = _write_reports(result, report_folder(book), book.name)
    except FileInUseError as exc:
        # Word keeps the .docx it shows locked: the second 生成报告 cannot replace it.
        raise PlanReportError(f"{exc.path}：{WORD_HOLDS_REPORT}（报告文件正被占用，无法覆盖）") from None
    opener(written[0])
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
