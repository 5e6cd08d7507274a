"""Find indicator tables in sheet grids by their header words, not their position."""
from __future__ import annotations

import re
from typing import Iterable, Optional

from addin.common.model import Cell, IndicatorRow, SheetGrid, Table
from addin.common.text import normalize

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("指标", "指标名称", "项目", "主要指标", "指标名", "项目名称", "指标项目"),
    "target": ("目标", "年度目标", "预期目标", "全年目标", "计划目标", "目标值", "年度计划目标"),
    "actual": ("完成情况", "执行情况", "实际完成", "完成值", "实际值", "实际完成值", "实际完成情况", "完成数"),
    "rate": ("完成率", "完成比例", "完成进度", "目标完成率"),
    "unit": ("单位", "计量单位"),
    "no": ("序号", "编号"),
    "category": ("类别", "分类", "领域", "指标类别", "指标分类", "类型"),
}
_WORD_ROLE = {word: role for role, words in HEADER_WORDS.items() for word in words}
BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_BRACKET_OPENERS = frozenset("（([【")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NOTE = re.compile(r"^(注|备注|说明|数据来源|资料来源)")
VALUE_ROLES = ("target", "actual", "rate")


def header_role(text: str) -> Optional[str]:
    """'完 成\\n率（%）' -> 'rate'; a year prefix ('2026年目标') is allowed."""
    if len(text) > 24:
        return None  # header words are short; skipping long texts keeps big sheets fast
    word = normalize(text)
    if not word:
        return None
    role = _WORD_ROLE.get(word)
    if role or (_BRACKET_OPENERS.isdisjoint(word) and not word.startswith(("19", "20")) and word[-1] not in "%‰"):
        return role  # nothing for the bracket, year-prefix or unit-suffix rules to remove: most data cells
    for candidate in (word, BRACKETS.sub("", word)):
        candidate = candidate.rstrip("%‰")  # '完成率%': the unit written after the word, without brackets
        role = _WORD_ROLE.get(candidate) or _WORD_ROLE.get(_YEAR_PREFIX.sub("", candidate))
        if role:
            return role
    return None


def header_columns(cells: Iterable[Optional[Cell]]) -> Optional[dict[str, int]]:
    columns: dict[str, int] = {}
    for cell in cells:
        if cell is not None and cell.text and cell.value.__class__ is str:
            role = header_role(cell.text)
            if role and role not in columns:
                columns[role] = cell.col
    return columns if "name" in columns and "target" in columns else None


def _row_texts(grid: SheetGrid, row: int) -> list[str]:
    return [c.text for c in grid.rows[row - 1] if c is not None and c.text] if row <= len(grid.rows) else []


def _header_year(grid: SheetGrid, row: int, columns: dict[str, int]) -> Optional[int]:
    cell = grid.cell(row, columns["target"])
    m = YEAR_RE.search(cell.text) if cell else None
    return int(m.group(1)) if m else None


class _MergeIndex:
    """Where a cell inside a merged range takes its value from."""

    def __init__(self, merged):
        self.anchor: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in merged:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
                continue  # a pathological range; its anchor is read directly anyway
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.anchor[(r, c)] = (r1, c1)

    def resolve(self, grid: SheetGrid, row: int, col: int) -> Optional[Cell]:
        where = self.anchor.get((row, col))
        return grid.cell(*where) if where else grid.cell(row, col)


def find_tables(grids: dict[str, SheetGrid]) -> list[Table]:
    tables: list[Table] = []
    for grid in grids.values():
        tables.extend(_sheet_tables(grid))
    return tables


def _sheet_tables(grid: SheetGrid) -> list[Table]:
    headers = [(r, cols) for r in range(1, len(grid.rows) + 1)
               if (cols := header_columns(grid.rows[r - 1])) is not None]
    if not headers:
        return []
    merges = _MergeIndex(grid.merged)
    header_rows = {r for r, _ in headers}
    tables: list[Table] = []
    current: Optional[Table] = None
    last_data_row = 0
    for i, (hrow, cols) in enumerate(headers):
        end = headers[i + 1][0] - 1 if i + 1 < len(headers) else len(grid.rows)
        gap = [t for r in range(last_data_row + 1, hrow) for t in _row_texts(grid, r)]
        titles = [t for t in gap if not _NOTE.match(normalize(t))]
        rows = _data_rows(grid, hrow, end, cols, merges, header_rows)
        continues = (current is not None and cols == current.columns and not titles
                     and _numbering_continues(current.rows, rows))
        if not continues:
            title = next((t for t in reversed(titles) if YEAR_RE.search(t)), titles[-1] if titles else None)
            year = YEAR_RE.search(title) if title else None
            current = Table(sheet=grid.name, header_row=hrow, kind="completion" if "actual" in cols else "plan",
                            columns=dict(cols), title=title,
                            year=int(year.group(1)) if year else _sheet_year(grid.name) or _header_year(grid, hrow, cols))
            tables.append(current)
            _fill_down(rows, None)
        else:
            _fill_down(rows, current.rows[-1].category if current.rows else None)
        current.rows.extend(rows)
        if rows:
            last_data_row = rows[-1].row
        else:
            last_data_row = hrow
    return tables


def _sheet_year(name: str) -> Optional[int]:
    m = YEAR_RE.search(name)
    return int(m.group(1)) if m else None


def _numbering_continues(before: list[IndicatorRow], after: list[IndicatorRow]) -> bool:
    """A repeated header continues the table unless the 序号 starts over."""
    last = next((_number(r.no) for r in reversed(before) if _number(r.no) is not None), None)
    first = next((_number(r.no) for r in after if _number(r.no) is not None), None)
    return last is None or first is None or first > last


def _number(cell: Optional[Cell]) -> Optional[float]:
    if cell is None or not cell.text:
        return None
    try:
        return float(normalize(cell.text))
    except ValueError:
        return None


def _fill_down(rows: list[IndicatorRow], category: Optional[str]) -> None:
    for row in rows:
        if row.category:
            category = row.category
        else:
            row.category = category


def _data_rows(grid: SheetGrid, hrow: int, end: int, cols: dict[str, int], merges: _MergeIndex,
               header_rows: set[int]) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []
    section: Optional[str] = None  # a name-only row heads a section when there is no category column
    for r in range(hrow + 1, end + 1):
        if r > len(grid.rows) or not grid.rows[r - 1]:
            continue
        if r in header_rows:
            continue
        first = next((c.text for c in grid.rows[r - 1] if c is not None and c.text), None)
        if first is None or _NOTE.match(normalize(first)):
            continue
        name = grid.cell(r, cols["name"])
        if name is None or not name.text:
            continue
        got = {role: grid.cell(r, col) for role, col in cols.items()}
        has_value = any(got.get(role) is not None and (got[role].text or got[role].error or got[role].formula)
                        for role in VALUE_ROLES)
        if not has_value and not (got.get("no") and got["no"].text):
            if "category" not in cols:
                section = name.text
            continue
        category_cell = merges.resolve(grid, r, cols["category"]) if "category" in cols else None
        category = normalize(category_cell.text) if category_cell is not None and category_cell.text else section
        cells = {role: got[role] if got[role] is not None else Cell(grid.name, r, col)
                 for role, col in cols.items() if role not in ("name", "category")}
        out.append(IndicatorRow(sheet=grid.name, row=r, name=name, category=category,
                                category_cell=category_cell, **cells))
    return out
