"""A workbook file (or live values) -> one SheetGrid per sheet."""
from __future__ import annotations

import io
import zipfile
import zlib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO, Optional, Sequence
from xml.parsers import expat

from addin.common.errors import PlanReportError
from addin.common.model import Cell, SheetGrid
from addin.workbook.read.cell_formats import ERROR_VALUES, format_kind, number_text, temporal_text

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def _open(source: str | Path | BinaryIO, label: str) -> BinaryIO:
    if isinstance(source, (str, Path)):
        try:
            return open(source, "rb")
        except OSError as exc:
            raise PlanReportError(f"无法打开工作簿 {label}：{exc.strerror or exc}") from exc
    if not (hasattr(source, "seekable") and source.seekable()):
        return io.BytesIO(source.read())
    return source


def read_grids(source: str | Path | BinaryIO, label: Optional[str] = None) -> dict[str, SheetGrid]:
    """Every worksheet of an .xlsx/.xlsm (values, formats, underline) or .xls/.xlsb/.ods (values)."""
    label = label or str(getattr(source, "name", source))
    stream = _open(source, label)
    try:
        head = stream.read(8)
        stream.seek(0)
        if not head:
            raise PlanReportError(f"工作簿 {label} 是空文件")
        if head.startswith(CFB_MAGIC):
            return _read_calamine(stream, label)
        if not head.startswith(ZIP_MAGIC):
            raise PlanReportError(f"工作簿 {label} 不是 Excel 文件（.xlsx/.xlsm/.xls）")
        return _read_zip(stream, label)
    finally:
        if stream is not source:
            stream.close()


def _read_zip(stream: BinaryIO, label: str) -> dict[str, SheetGrid]:
    from addin.workbook.opc import PackageError
    from addin.workbook.read.sheet_halves import read_sheets
    from addin.workbook.read.xlsx import PackageFault, XmlRejected

    try:
        with zipfile.ZipFile(stream) as zf:
            names = set(zf.namelist())
            # .xlsb and .ods have no SpreadsheetML part; where an .xlsx keeps it, opc finds out.
            if "xl/workbook.xml" not in names and ("xl/workbook.bin" in names or "content.xml" in names):
                stream.seek(0)
                return _read_calamine(stream, label)
            return read_sheets(zf)
    except PackageError as exc:  # a package part: name the file too
        raise PlanReportError(f"工作簿 {label} 已损坏：{exc}") from exc
    except PlanReportError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as exc:
        raise PlanReportError(f"工作簿 {label} 已损坏或被截断，无法读取（{type(exc).__name__}）") from exc
    except expat.ExpatError as exc:
        raise PlanReportError(f"工作簿 {label} 的内部 XML 无效（{exc}）") from exc
    except XmlRejected as exc:
        raise PlanReportError(f"工作簿 {label} 被拒绝：{exc}") from exc
    except PackageFault as exc:
        raise PlanReportError(f"工作簿 {label} {exc}") from exc


def _read_calamine(stream: BinaryIO, label: str) -> dict[str, SheetGrid]:
    """Legacy .xls (and .xlsb/.ods): values only, no number formats or fonts."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(stream)
        out = {}
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            values = sheet.to_python(skip_empty_area=False)
            merged = []
            for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or []:
                merged.append((r0 + 1, c0 + 1, r1 + 1, c1 + 1))
            out[name] = grid_from_values(name, values, merged=merged)
        return out
    except PlanReportError:
        raise
    except Exception as exc:  # calamine raises its own hierarchy plus ValueError/OSError
        raise PlanReportError(f"工作簿 {label} 无法读取（{type(exc).__name__}: {exc}）".splitlines()[0]) from exc


def _value_cell(sheet: str, row: int, col: int, value: Any, fmt: Optional[str], underline: bool) -> Optional[Cell]:
    if value is None or value == "":
        return None
    cell = Cell(sheet, row, col, number_format=fmt, underline=bool(underline))
    if isinstance(value, str):
        if value.strip() in ERROR_VALUES:
            cell.error = cell.text = value.strip()
        else:
            cell.value, cell.text = value, value.strip()
    elif isinstance(value, bool):
        cell.value, cell.text = value, "TRUE" if value else "FALSE"
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        cell.value, cell.text = value, number_text(value, format_kind(fmt) == "percent")
    elif isinstance(value, (datetime, date, time)):
        cell.value, cell.text = value, temporal_text(value)
    else:
        cell.value, cell.text = value, str(value).strip()
    return cell


def grid_from_values(
    name: str,
    values_2d: Sequence[Sequence[Any]],
    number_formats_2d: Optional[Sequence[Sequence[Optional[str]]]] = None,
    underline_2d: Optional[Sequence[Sequence[bool]]] = None,
    merged: Optional[Sequence[tuple[int, int, int, int]]] = None,
) -> SheetGrid:
    """A SheetGrid from plain lists (row-major, A1 first), e.g. live values from Excel.

    Strings equal to an Excel error literal ("#N/A") are taken as error values,
    which is how Excel adapters hand them over.
    """

    def at(grid2d, r, c):
        try:
            return grid2d[r][c] if grid2d is not None else None
        except IndexError:
            return None

    rows = []
    for r, line in enumerate(values_2d):
        cells = [_value_cell(name, r + 1, c + 1, v, at(number_formats_2d, r, c), at(underline_2d, r, c))
                 for c, v in enumerate(line)]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return SheetGrid(name=name, rows=rows, merged=list(merged or []))
