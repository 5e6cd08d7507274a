"""Read a plan-execution workbook into model.WorkbookData.

``read_workbook`` = grids (grid.py) -> tables found by header words (tables.py)
-> reader-level findings (findings.py).  The Excel adapter builds grids with
``grid_from_values`` and calls ``tables_from_grids`` so both share the finder.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Optional

from addin.common.errors import PlanReportError
from addin.common.model import RESULTS_SHEET, RESULTS_SHEET_ALT, SheetGrid, WorkbookData
from addin.workbook.read.grid import grid_from_values, read_grids
from addin.common.nogc import paused_gc
from addin.workbook.read.tables import HEADER_WORDS, find_tables

__all__ = ["read_workbook", "tables_from_grids", "grid_from_values", "read_grids", "HEADER_WORDS"]


def tables_from_grids(grids: dict[str, SheetGrid], label: str) -> WorkbookData:
    from addin.workbook.read.findings import reader_findings

    # PlanReport's own output sheet holds the same header words; reading it back would double every row.
    tables = find_tables({name: grid for name, grid in grids.items() if name not in (RESULTS_SHEET, RESULTS_SHEET_ALT)})
    if not tables:
        wanted = "；".join(f"{role}：{'/'.join(words)}" for role, words in HEADER_WORDS.items()
                          if role in ("name", "target", "actual"))
        raise PlanReportError(f"工作簿 {label} 中没有找到指标表：表头需要含有指标名称和目标列（{wanted}）")
    return WorkbookData(path=label, sheets=list(grids), tables=tables,
                        findings=reader_findings(tables, grids), grids=grids)


def read_workbook(source: str | Path | BinaryIO, *, name: Optional[str] = None) -> WorkbookData:
    label = name or (str(source) if isinstance(source, (str, Path)) else str(getattr(source, "name", "工作簿")))
    with paused_gc():
        return tables_from_grids(read_grids(source, label), label)
