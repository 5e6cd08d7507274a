"""The core's two entry points: a workbook file, or grids an adapter (Excel) already read.

file -> guard (is it safe and what format) -> read -> check -> CheckResult
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from addin.check import check_data
from addin.model import CheckResult, SheetGrid, WorkbookData
from addin.settings import Settings, load_settings


def read_data(path, password: Optional[str] = None) -> WorkbookData:
    """Vet the file (guard), then read it: what every command that reads a workbook calls."""
    from addin.guard import open_source
    from addin.read import read_workbook

    path = Path(path)
    return read_workbook(open_source(path, password=password).source, name=str(path))


def check_workbook(path, settings: Optional[Settings] = None, *, config=None, password: Optional[str] = None) -> CheckResult:
    path = Path(path)
    if settings is None:
        settings = load_settings(path, Path(config) if config else None)
    return check_data(read_data(path, password), settings)


def check_grids(grids: dict[str, SheetGrid], workbook_name: str, settings: Optional[Settings] = None) -> CheckResult:
    """Grids read by an adapter (live Excel values) through the same core as files."""
    from addin.read import tables_from_grids

    return check_data(tables_from_grids(grids, workbook_name), settings or Settings())
