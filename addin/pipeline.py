"""The core's two entry points: a workbook file, or grids an adapter (Excel) already read.

file -> guard (is it safe and what format) -> read -> check -> CheckResult
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from addin.check import check_data
from addin.model import CheckResult, SheetGrid, WorkbookData
from addin.settings import Settings, load_settings


def read_data(path, password: Optional[str] = None, *, recalc: bool = False, settings: Optional[Settings] = None) -> WorkbookData:
    """Vet the file (guard), then read it: what every command that reads a workbook calls.

    ``recalc`` (or a legacy .xls, whose number formats calamine cannot give) reads a copy
    LibreOffice recalculated and saved as .xlsx; the user's file is never touched.
    """
    from addin.guard import open_source
    from addin.read import read_workbook

    path = Path(path)
    guarded = open_source(path, password=password, limits=settings)
    if recalc or (guarded.format == "xls" and _soffice_available()):
        from addin.recalc import recalculated

        with recalculated(path, data=guarded.data) as copy:
            return read_workbook(open_source(copy, limits=settings).source, name=str(path))
    return read_workbook(guarded.source, name=str(path))


def _soffice_available() -> bool:
    from addin.recalc import find_soffice

    return find_soffice() is not None


def check_workbook(path, settings: Optional[Settings] = None, *, config=None, password: Optional[str] = None,
                   recalc: bool = False) -> CheckResult:
    path = Path(path)
    if settings is None:
        settings = load_settings(path, Path(config) if config else None)
    return check_data(read_data(path, password, recalc=recalc, settings=settings), settings)


def check_grids(grids: dict[str, SheetGrid], workbook_name: str, settings: Optional[Settings] = None) -> CheckResult:
    """Grids read by an adapter (live Excel values) through the same core as files."""
    from addin.read import tables_from_grids

    return check_data(tables_from_grids(grids, workbook_name), settings or Settings())
