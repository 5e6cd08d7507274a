"""Small helpers the corpus scripts share to write their workbooks.

openpyxl is used here only to *build* test data; PlanReport itself never
round-trips a user's workbook through it.  openpyxl cannot store a formula's
cached value, so `save` patches the written sheet XML afterwards: a real
Excel file opened by a reader that does not recalculate (python-calamine,
PlanReport's own reader) shows the cached value, exactly as a file saved by
Excel would.
"""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def title(ws, ref_range: str, text: str) -> None:
    """A title written in the first cell of a merged range."""
    first = ref_range.split(":")[0]
    ws[first] = text
    ws[first].font = Font(bold=True, size=14)
    ws[first].alignment = CENTER
    ws.merge_cells(ref_range)


def header(ws, row: int, labels: list[str | None], first_col: int = 1) -> None:
    for offset, label in enumerate(labels):
        if label is None:
            continue
        cell = ws.cell(row=row, column=first_col + offset, value=label)
        cell.font = BOLD
        cell.alignment = CENTER


def heading_row(ws, row: int, text: str, last_col: int) -> None:
    """A category row inside the table ("一、经济增长"), merged across it."""
    ws.cell(row=row, column=1, value=text).font = BOLD
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def put_row(ws, row: int, values: list, formats: dict[int, str] | None = None) -> None:
    """Write one data row; None leaves a cell empty. formats maps a 0-based
    position to a number format."""
    for offset, value in enumerate(values):
        if value is None:
            continue
        cell = ws.cell(row=row, column=1 + offset, value=value)
        if formats and offset in formats:
            cell.number_format = formats[offset]


def save(wb: Workbook, path: str | os.PathLike, cached: dict[str, dict[str, float]] | None = None) -> Path:
    """Save wb to path; cached maps sheet title -> {cell ref: cached value}
    for formula cells, patched into the sheet XML after openpyxl wrote it."""
    path = Path(path)
    wb.save(path)
    if cached:
        _patch_cached_values(path, {wb.sheetnames.index(t) + 1: v for t, v in cached.items()})
    return path


def _patch_cached_values(path: Path, by_sheet: dict[int, dict[str, float]]) -> None:
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".xlsx")
    os.close(fd)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and int(match.group(1)) in by_sheet:
                data = _fill(data.decode("utf-8"), by_sheet[int(match.group(1))]).encode("utf-8")
            dst.writestr(info, data)
    os.replace(tmp, path)


def _fill(xml: str, values: dict[str, float]) -> str:
    for ref, value in values.items():
        pattern = re.compile(r'(<c r="%s"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)' % re.escape(ref))
        xml, count = pattern.subn(lambda m: f"{m.group(1)}<v>{value!r}</v>", xml)
        if count != 1:
            raise ValueError(f"no formula cell {ref} with an empty cached value")
    return xml
