"""Table layouts named by hand in planreport.toml, for tables header detection cannot guess.

    [[tables]]
    sheet = "附件1"
    header_rows = [3, 4]
    columns = { name = "B", target = "D", actual = "E", rate = "F" }
    # first_row = 5, last_row = 40: optional, the data rows (default: below the header to the sheet's end)

The reader then takes that sheet's table exactly as written (addin/workbook/read/tables.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from addin.common.errors import PlanReportError

ROLES = ("name", "target", "actual", "rate", "unit", "category", "no", "verdict")
_LETTERS = re.compile(r"[A-Z]{1,3}")
MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's grid


@dataclass(frozen=True)
class TableLayout:
    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[tuple[str, int], ...]  # (role, 1-based column), hashable so Settings stays frozen
    first_row: Optional[int] = None
    last_row: Optional[int] = None


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def table_layouts(where: str, entries) -> tuple[TableLayout, ...]:
    """The ``[[tables]]`` entries of a settings file, checked; a mistake is one Chinese line naming it."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise PlanReportError(f"{where}: [[tables]] 应为表格列表（每项含 sheet、header_rows、columns）")
    out = []
    for i, entry in enumerate(entries, 1):
        label = f"{where}: 第{i}个 [[tables]]"
        unknown = set(entry) - {"sheet", "header_rows", "columns", "first_row", "last_row"}
        if unknown:
            raise PlanReportError(f"{label} 有未知的键 “{'、'.join(sorted(unknown))}”，可用：sheet、header_rows、columns、first_row、last_row")
        sheet, rows, columns = entry.get("sheet"), entry.get("header_rows"), entry.get("columns")
        if not isinstance(sheet, str) or not sheet:
            raise PlanReportError(f"{label} 缺少工作表名 sheet")
        if isinstance(rows, int) and not isinstance(rows, bool):
            rows = [rows]
        if (not isinstance(rows, list) or not 1 <= len(rows) <= 3 or len(set(rows)) != len(rows)
                or not all(isinstance(r, int) and not isinstance(r, bool) and 1 <= r <= MAX_ROW for r in rows)):
            raise PlanReportError(f"{label} 的 header_rows 应为 1-3 个行号，如 [3, 4]")
        if not isinstance(columns, dict):
            raise PlanReportError(f"{label} 缺少 columns（如 {{ name = \"B\", target = \"D\" }}）")
        cols = []
        for role, letters in columns.items():
            if role not in ROLES:
                raise PlanReportError(f"{label} 的列角色 “{role}” 未知，可用：{'、'.join(ROLES)}")
            if not isinstance(letters, str) or not _LETTERS.fullmatch(letters.strip().upper()):
                raise PlanReportError(f"{label} 的 {role} 应为列字母，如 \"B\"")
            col = _column(letters.strip().upper())
            if col > MAX_COL:
                raise PlanReportError(f"{label} 的 {role} 列 “{letters}” 超出 Excel 的最后一列 XFD")
            twin = next((r for r, c in cols if c == col), None)
            if twin:
                raise PlanReportError(f"{label} 把同一列 {letters.strip().upper()} 同时指定给 {twin} 和 {role}")
            cols.append((role, col))
        if not {"name", "target"} <= {r for r, _ in cols}:
            raise PlanReportError(f"{label} 的 columns 至少要有 name（指标名称）和 target（目标）")
        bounds = [entry.get(k) for k in ("first_row", "last_row")]
        if any(b is not None and (not isinstance(b, int) or isinstance(b, bool) or b < 1) for b in bounds):
            raise PlanReportError(f"{label} 的 first_row / last_row 应为行号")
        if all(b is not None for b in bounds) and bounds[0] > bounds[1]:
            raise PlanReportError(f"{label} 的 first_row（{bounds[0]}）大于 last_row（{bounds[1]}）")
        if any(o.sheet == sheet and o.header_rows == tuple(sorted(rows)) for o in out):
            # the same table twice would count every indicator twice
            raise PlanReportError(f"{label} 与前面一项重复（同一工作表“{sheet}”、同样的 header_rows）")
        out.append(TableLayout(sheet, tuple(sorted(rows)), tuple(cols), *bounds))
    return tuple(out)
