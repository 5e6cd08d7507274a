"""Read a plan-execution workbook into model.WorkbookData.

``read_workbook`` = grids (grid.py) -> tables found by header words (tables.py)
-> reader-level findings (findings.py).  The worksheet functions (office/udfs.py) turn
their Range arguments into cells with ``grid_from_values``, the conversion files get.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Optional, Sequence

from addin.common.errors import PlanReportError
from addin.common.layouts import TableLayout
from addin.common.model import SheetGrid, WorkbookData
from addin.workbook.read.grid import grid_from_values, read_grids
from addin.common.nogc import paused_gc
from addin.workbook.read.tables import HEADER_WORDS, read_tables

__all__ = ["read_workbook", "tables_from_grids", "grid_from_values", "read_grids", "HEADER_WORDS"]


def tables_from_grids(grids: dict[str, SheetGrid], label: str, layouts: Sequence[TableLayout] = ()) -> WorkbookData:
    """Tables of every sheet; ``layouts`` (planreport.toml [[tables]]) name the columns of sheets by hand."""
    from addin.workbook.read.findings import reader_findings

    for layout in layouts:
        if layout.sheet not in grids:
            raise PlanReportError(f"planreport.toml 的 [[tables]] 指定的工作表“{layout.sheet}”不在工作簿 {label} 中"
                                  f"（现有：{'、'.join(grids)}）")
    tables, skipped, findings = read_tables(grids, layouts)
    if not tables:
        wanted = "；".join(f"{role}：{'/'.join(words[:6])}" for role, words in HEADER_WORDS.items()
                          if role in ("name", "target", "actual"))
        seen = next((f"；{s.sheet}：{s.reason}" for s in skipped if s.reason.startswith("第")), "")
        raise PlanReportError(f"工作簿 {label} 中没有找到指标表：表头需要含有指标名称和目标列（{wanted}）{seen}")
    return WorkbookData(path=label, sheets=list(grids), tables=tables,
                        findings=findings + reader_findings(tables, grids), grids=grids, skipped=skipped)


def read_workbook(source: str | Path | BinaryIO, *, name: Optional[str] = None,
                  layouts: Sequence[TableLayout] = ()) -> WorkbookData:
    label = name or (str(source) if isinstance(source, (str, Path)) else str(getattr(source, "name", "工作簿")))
    with paused_gc():
        return tables_from_grids(read_grids(source, label), label, layouts)
