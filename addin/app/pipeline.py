"""The core's two entry points: a workbook file, or grids an adapter (Excel) already read.

file -> guard (is it safe and what format) -> read -> check -> CheckResult
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from addin.core.check import check_data
from addin.common.model import CheckResult, SheetGrid, WorkbookData
from addin.common.settings import Settings, load_settings

if TYPE_CHECKING:
    from addin.workbook.guard import GuardedSource


def open_workbook(path, password: Optional[str] = None, *, recalc: bool = False,
                  settings: Optional[Settings] = None) -> tuple["GuardedSource", WorkbookData]:
    """Vet the file (guard), then read it. The guard's verdict comes back too, so write-back
    can ask whether the file may be written without scanning (or decrypting) it again.

    ``recalc`` (or a legacy .xls, whose number formats calamine cannot give) reads a copy
    LibreOffice recalculated and saved as .xlsx; the user's file is never touched.
    """
    from addin.workbook.guard import open_source
    from addin.workbook.read import read_workbook

    path = Path(path)
    layouts = settings.tables if settings is not None else ()  # planreport.toml [[tables]]
    guarded = open_source(path, password=password, limits=settings)
    if recalc or (guarded.format == "xls" and _soffice_available()):
        from addin.workbook.recalc import recalculated

        with recalculated(path, data=guarded.data) as copy:
            return guarded, read_workbook(open_source(copy, limits=settings).source, name=str(path), layouts=layouts)
    return guarded, read_workbook(guarded.source, name=str(path), layouts=layouts)


def read_data(path, password: Optional[str] = None, *, recalc: bool = False, settings: Optional[Settings] = None) -> WorkbookData:
    """What every command that only reads a workbook calls."""
    return open_workbook(path, password, recalc=recalc, settings=settings)[1]


def _soffice_available() -> bool:
    from addin.workbook.recalc import find_soffice

    return find_soffice() is not None


def check_workbook(path, settings: Optional[Settings] = None, *, config=None, password: Optional[str] = None,
                   recalc: bool = False) -> CheckResult:
    path = Path(path)
    if settings is None:
        settings = load_settings(path, config)
    return check_data(read_data(path, password, recalc=recalc, settings=settings), settings)


def check_grids(grids: dict[str, SheetGrid], workbook_name: str, settings: Optional[Settings] = None) -> CheckResult:
    """Grids read by an adapter (live Excel values) through the same core as files."""
    from addin.workbook.read import tables_from_grids

    settings = settings or Settings()
    return check_data(tables_from_grids(grids, workbook_name, settings.tables), settings)
