"""The core's two entry points: a workbook file, or grids an adapter (Excel) already read.

file -> guard (is it safe and what format) -> read -> check -> CheckResult
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from addin.check import check_data
from addin.model import CheckResult, SheetGrid
from addin.settings import Settings, load_settings


def _open(path: Path, password: Optional[str]):
    """What the reader should open: the path itself, or decrypted bytes."""
    try:
        from addin.guard import open_source
    except ImportError:  # guard not part of this checkout yet
        return path
    return open_source(path, password=password).source


def check_workbook(path, settings: Optional[Settings] = None, *, config=None, password: Optional[str] = None) -> CheckResult:
    from addin.read import read_workbook

    path = Path(path)
    if settings is None:
        settings = load_settings(path, Path(config) if config else None)
    data = read_workbook(_open(path, password), name=str(path))
    return check_data(data, settings)


def check_grids(grids: dict[str, SheetGrid], workbook_name: str, settings: Optional[Settings] = None) -> CheckResult:
    """Grids read by an adapter (live Excel values) through the same core as files."""
    from addin.read import tables_from_grids

    return check_data(tables_from_grids(grids, workbook_name), settings or Settings())
