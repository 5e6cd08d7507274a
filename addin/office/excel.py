"""The Excel side of the add-in: what each ribbon button runs (through xlwings RunPython).

Reads the live values of the calling workbook (unsaved edits included) into the
same core the CLI uses, writes `核算结果` through xlwings and the reports to a
folder beside the workbook. Every entry point shows problems in a Chinese
message box and returns normally, so Excel never pops up a Python traceback.
Each takes an optional ``book`` (an xlwings Book) for callers other than Excel.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Optional

import xlwings as xw

from addin.common.errors import PlanReportError
from addin.common.model import CheckResult, SheetGrid

TITLE = "计划执行报告"
REPORT_FORMATS = ("docx", "html")  # Word first: it is what gets opened
LOG_FILE = Path.home() / ".planreport" / "excel.log"
PERCENT_FORMAT = "0.00%"


# --- reading -----------------------------------------------------------------

def _column_formats(sheet, nrows: int, col: int, values: list[list[Any]]) -> list[Optional[str]]:
    """Number formats of one column: one call when uniform, per filled cell when mixed."""
    uniform = sheet.range((1, col), (nrows, col)).number_format
    if uniform is not None:
        return [uniform] * nrows
    return [sheet.range((r + 1, col)).number_format if values[r][col - 1] is not None else None
            for r in range(nrows)]


def _column_underlines(sheet, nrows: int, col: int, values: list[list[Any]]) -> list[bool]:
    """Underline through the platform object (Windows COM); False where it cannot be had cheaply."""
    def underline(rng) -> Any:
        try:
            return rng.api.Font.Underline
        except Exception:  # macOS appscript or no API: underline is a hint, not needed
            return False

    uniform = underline(sheet.range((1, col), (nrows, col)))
    if uniform is not None:
        return [_is_underlined(uniform)] * nrows
    return [values[r][col - 1] is not None and _is_underlined(underline(sheet.range((r + 1, col))))
            for r in range(nrows)]


def _is_underlined(style: Any) -> bool:
    # Excel: xlUnderlineStyleNone = -4142; COM may hand back False/0 too.
    return bool(style) and style != -4142


def _merged(sheet, used, values: list[list[Any]]) -> list[tuple[int, int, int, int]]:
    if used.merge_cells is False:
        return []
    found = set()
    for r, line in enumerate(values, start=1):
        for c, value in enumerate(line, start=1):
            if value is None:
                continue  # only a merge's top-left cell holds its value
            cell = sheet.range((r, c))
            if cell.merge_cells:
                area = cell.merge_area
                found.add((area.row, area.column, area.last_cell.row, area.last_cell.column))
    return sorted(found)


def sheet_grid(sheet) -> SheetGrid:
    """One worksheet's live values, number formats, underline and merges as the core's grid."""
    from addin.workbook.read import grid_from_values

    used = sheet.used_range
    nrows, ncols = used.last_cell.row, used.last_cell.column
    whole = sheet.range((1, 1), (nrows, ncols))
    # err_to_str: error cells arrive as "#DIV/0!" (which the core reports) instead of None.
    values = whole.options(ndim=2, err_to_str=True).value
    columns = range(1, ncols + 1)
    formats = list(zip(*(_column_formats(sheet, nrows, c, values) for c in columns)))
    underlines = list(zip(*(_column_underlines(sheet, nrows, c, values) for c in columns)))
    return grid_from_values(sheet.name, values, formats, underlines, _merged(sheet, whole, values))


def read_book(book) -> dict[str, SheetGrid]:
    from addin.workbook.writeback.results_sheet import SHEET_NAME

    # Our own output sheet is not input: its header looks like an indicator table.
    return {s.name: sheet_grid(s) for s in book.sheets if s.name != SHEET_NAME}


def _local_path(book) -> Optional[Path]:
    full = Path(book.fullname)
    return full if full.is_absolute() and full.parent.is_dir() else None


def check_book(book) -> CheckResult:
    from addin.app.pipeline import check_grids
    from addin.common.settings import load_settings

    path = _local_path(book)
    return check_grids(read_book(book), str(path or book.name), load_settings(path))


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


def write_results(book, result_json: dict):
    """Replace the `核算结果` sheet with the shared layout (values, % formats, links, widths)."""
    from addin.common.model import column_letter
    from addin.workbook.writeback.results_sheet import SHEET_NAME, build_layout, build_rows, link_address

    names = [s.name for s in book.sheets]
    if SHEET_NAME in names:
        sheet = book.sheets[SHEET_NAME]
        sheet.clear()
    else:
        sheet = book.sheets.add(SHEET_NAME, after=book.sheets[len(names) - 1])
    layout = build_layout(result_json)
    rows = build_rows(result_json)
    width = max(len(r) for r in rows)
    sheet.range("A1").value = [r + [None] * (width - len(r)) for r in rows]

    for (r, c), ref in sorted(layout.links.items()):
        cell = sheet.range((r + 1, c + 1))
        cell.add_hyperlink(link_address(ref), text_to_display=str(rows[r][c]))
        cell.value = rows[r][c]  # the link's display text would turn a rate into text
    # Formats after the links: the Hyperlink cell style must not win over "0.00%".
    by_key: dict[tuple[str, int], list[int]] = {}
    for (r, c), key in layout.styles.items():
        by_key.setdefault((key, c), []).append(r + 1)
    for (key, c), rows_of in sorted(by_key.items()):
        for first, last in _runs(rows_of):
            target = sheet.range((first, c + 1), (last, c + 1))
            if key == "percent":
                target.number_format = PERCENT_FORMAT
            elif key == "header":
                target.font.bold = True
    for c, w in enumerate(layout.widths):
        sheet.range(f"{column_letter(c + 1)}:{column_letter(c + 1)}").column_width = w
    return sheet


def report_folder(book) -> Path:
    """`报告` beside the workbook, as `planreport refresh` does; for a never-saved workbook, in Documents."""
    from addin.app.refresh import DEFAULT_OUT

    path = _local_path(book)
    base = path.parent if path else Path.home() / "Documents"
    return base / DEFAULT_OUT


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
    from addin.app.refresh import safe_stem, write_reports

    written = write_reports(result, report_folder(book), safe_stem(Path(book.name).stem), REPORT_FORMATS)
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

    text = "\n".join([format_checks(checks()), f"当前工作簿：{book.fullname}", f"报告文件夹：{report_folder(book)}"])
    _alert(book, text)
    return text
