"""Findings the reader alone can see: error values, uncalculated formulas, awkward merges."""
from __future__ import annotations

from addin.common.model import Finding, SheetGrid, Table, cell_ref

ROLES = ("name", "unit", "target", "actual", "rate", "verdict")
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
    out.extend(_nameless_rows(tables, grids))
    return out


def _nameless_rows(tables: list[Table], grids: dict[str, SheetGrid]) -> list[Finding]:
    """A row with a 序号 and a value but no 指标 name is left out of the check: say so, do not drop it silently."""
    out = []
    for i, table in enumerate(tables):
        grid = grids.get(table.sheet)
        if grid is None or "no" not in table.columns:
            continue
        later = [t.header_row for t in tables[i + 1:] if t.sheet == table.sheet]
        end = min(later, default=len(grid.rows) + 1)
        taken = {row.row for row in table.rows}
        name_col, no_col = table.columns["name"], table.columns["no"]
        for r in range(table.header_row + 1, end):
            if r in taken:  # (most rows: tested before the two cell lookups)
                continue
            name, no = grid.cell(r, name_col), grid.cell(r, no_col)
            if (name is not None and name.text) or no is None or not _is_number(no.text):
                continue
            if any((c := grid.cell(r, table.columns[role])) is not None and c.text
                   for role in VALUE_COLUMNS if role in table.columns):
                out.append(Finding("name_missing", "warning", cell_ref(table.sheet, r, name_col),
                                   f"{cell_ref(table.sheet, r, name_col)}: 序号 {no.text} 这一行有目标或完成情况，"
                                   "但指标名称为空，未参与核算；请填写指标名称"))
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
