"""The reading map of a check: which sheets were read as which tables, and why the others were not.

The reader knows the indicator tables; the 基础数据 levels sheet is found by the core
(addin/core/levels.py), so it moves from the reader's skipped list to the tables here,
with kind "levels".  Every sheet of the workbook ends in exactly one of the two lists.
"""
from __future__ import annotations

from addin.common.model import SkippedSheet, TableMap, WorkbookData, letters


def reading_map(data: WorkbookData) -> tuple[list[TableMap], list[SkippedSheet]]:
    from addin.core.levels import read_levels

    tables = [TableMap.of(t) for t in data.tables]
    skipped = list(data.skipped)
    # Only the sheets the reader left: an indicator sheet is never also the levels sheet.
    candidates = {s.sheet: data.grids[s.sheet] for s in skipped if s.sheet in data.grids}
    levels = read_levels(candidates) if candidates else None
    if levels is not None:
        rows = [r.name.row for r in levels.rows]
        tables.append(TableMap(levels.sheet, "levels", [levels.header_row], min(rows, default=None),
                               max(rows, default=None),
                               letters(levels.columns)))
        skipped = [s for s in skipped if s.sheet != levels.sheet]
    return tables, skipped
