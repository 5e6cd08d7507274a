"""Findings the reader alone can see: error values, uncalculated formulas, awkward merges."""
from __future__ import annotations

from ..model import Finding, SheetGrid, Table, cell_ref

ROLES = ("name", "unit", "target", "actual", "rate")
VALUE_COLUMNS = ("target", "actual", "rate")


def reader_findings(tables: list[Table], grids: dict[str, SheetGrid]) -> list[Finding]:
    out: list[Finding] = []
    for table in tables:
        for row in table.rows:
            for role in ROLES:
                cell = getattr(row, role)
                if cell is None:
                    continue
                if cell.error:
                    out.append(Finding("error_value", "error", cell.ref,
                                       f"{cell.ref}: 单元格是错误值 {cell.error}，请先在 Excel 中修正"))
                elif cell.uncached:
                    out.append(Finding("formula_not_calculated", "error", cell.ref,
                                       f"{cell.ref}: 公式没有计算结果，请在 Excel 中打开并保存，或使用 --recalc"))
        out.extend(_merged_cuts(table, grids.get(table.sheet)))
    return out


def _merged_cuts(table: Table, grid: SheetGrid | None) -> list[Finding]:
    """A merge spanning two of 目标/完成情况/完成率 hides which value is which."""
    if grid is None:
        return []
    value_cols = {table.columns[r] for r in VALUE_COLUMNS if r in table.columns}
    rows = {row.row for row in table.rows}
    out = []
    for r1, c1, r2, c2 in grid.merged:
        spanned = {c for c in value_cols if c1 <= c <= c2}
        if len(spanned) >= 2 and any(r1 <= r <= r2 for r in rows):
            ref = cell_ref(table.sheet, r1, c1)
            # An error, not a warning: the row's numbers cannot be told apart, so its rate is not to be trusted.
            out.append(Finding("merged_cut", "error", ref,
                               "合并单元格横跨目标、完成情况、完成率中的多列，无法区分各列数值；请取消合并"))
    return out
