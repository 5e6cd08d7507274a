"""Header blocks: the 1-3 rows over an indicator table and the role of each column.

Real appendix tables put a group cell ("2025年") over 年度目标 | 1-12月完成 | 完成进度
and merge the outer cells (序号, 指标, 单位, 备注) down over both rows.  A block is
found from its lowest row (the one with the role words); the rows above belong
to it when they hold only header words, group words, or cells merged down into it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from addin.common.model import Cell, SheetGrid
from addin.workbook.read.vocabulary import (BRACKETS, YEAR_RE, bracket_unit, header_role, is_group_word,
                                            is_verdict)

MAX_HEADER_ROWS = 3
VALUE_ROLES = ("target", "actual", "rate")
_LOOKS_LIKE = frozenset({"target", "actual", "rate", "verdict"})


class MergeIndex:
    """Where a cell inside a merged range takes its value from."""

    def __init__(self, merged):
        self.anchor: dict[tuple[int, int], tuple[int, int]] = {}
        self.ranges: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.right_edge: dict[int, int] = {}  # row -> the last column a merge starting in it reaches
        for r1, c1, r2, c2 in merged:
            self.ranges[(r1, c1)] = (r1, c1, r2, c2)
            self.right_edge[r1] = max(self.right_edge.get(r1, 0), c2)
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
                continue  # a pathological range; its anchor is read directly anyway
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.anchor[(r, c)] = (r1, c1)

    def resolve(self, grid: SheetGrid, row: int, col: int) -> Optional[Cell]:
        where = self.anchor.get((row, col))
        return grid.cell(*where) if where else grid.cell(row, col)


@dataclass
class Header:
    """One header block and what it says about the columns under it."""

    rows: tuple[int, ...]  # every row of the block, top to bottom
    roles: dict[int, str]  # column -> role of its header word
    texts: dict[int, list[Cell]] = field(default_factory=dict)  # column -> header cells over it, bottom up
    columns: dict[str, int] = field(default_factory=dict)  # role -> column, once resolved
    kind: str = "plan"
    year: Optional[int] = None
    unit: Optional[Cell] = None  # a unit from a header bracket, when the table has no 单位 column
    merges: Optional[MergeIndex] = None
    first_row: Optional[int] = None  # data rows, when planreport.toml names them
    last_row: Optional[int] = None

    @property
    def row(self) -> int:
        return self.rows[-1]

    def candidates(self, role: str) -> list[int]:
        return sorted(c for c, r in self.roles.items() if r == role)

    def seen(self) -> list[Cell]:
        """The header cells that carry a role word, left to right (for messages)."""
        out = []
        for col in sorted(self.roles):
            cell = next((c for c in self.texts.get(col, ()) if header_role(c.text)), None)
            if cell is not None and cell not in out:
                out.append(cell)
        return out

    @property
    def looks_like_table(self) -> bool:
        roles = set(self.roles.values()) - {"note"}
        return len(roles) >= 2 and bool(roles & _LOOKS_LIKE)


def _text_cell(grid: SheetGrid, merges: MergeIndex, row: int, col: int, top: int) -> Optional[Cell]:
    """The cell at (row, col), or the anchor of a merge over it that starts inside the block."""
    cell = grid.cell(row, col)
    if cell is not None and cell.text:
        return cell
    where = merges.anchor.get((row, col))
    if where and where[0] >= top and where != (row, col):
        anchor = grid.cell(*where)
        if anchor is not None and anchor.text:
            return anchor
    return None


def _string_cells(grid: SheetGrid, row: int) -> list[Cell]:
    return [c for c in grid.rows[row - 1] if c is not None and c.text] if row <= len(grid.rows) else []


def _upper_row_fits(grid: SheetGrid, merges: MergeIndex, row: int, lower: int, value_cols: set[int]) -> bool:
    """Row ``row`` is part of the header block ending at ``lower``."""
    cells = _string_cells(grid, row)
    if not cells:
        return False
    covers_value = False
    for cell in cells:
        if cell.value.__class__ is not str:
            return False
        span = merges.ranges.get((cell.row, cell.col), (row, cell.col, row, cell.col))
        if header_role(cell.text):
            covers_value = covers_value or span[2] >= lower
            continue
        if not is_group_word(cell.text):
            return False  # a title, a note, a number: the block ends below it
        covers_value = covers_value or any(span[1] <= c <= span[3] for c in value_cols)
    return covers_value


def header_at(grid: SheetGrid, merges: MergeIndex, row: int) -> Header:
    """The header block whose lowest row is ``row``."""
    block = [row]
    lower_roles = {c.col: header_role(c.text) for c in _string_cells(grid, row) if c.value.__class__ is str}
    value_cols = {c for c, r in lower_roles.items() if r in VALUE_ROLES or r == "verdict"}
    while len(block) < MAX_HEADER_ROWS and block[0] > 1 and _upper_row_fits(grid, merges, block[0] - 1, row, value_cols):
        block.insert(0, block[0] - 1)
    top = block[0]
    width = max(max(len(grid.rows[r - 1]), merges.right_edge.get(r, 0)) for r in block)
    roles: dict[int, str] = {}
    texts: dict[int, list[Cell]] = {}
    for col in range(1, width + 1):
        for r in reversed(block):
            cell = _text_cell(grid, merges, r, col, top)
            if cell is None:
                continue
            texts.setdefault(col, []).append(cell)
            role = header_role(cell.text)
            if role and col not in roles and cell.col == col:
                # A role word merged across columns names its first column only; merged down, every row.
                roles[col] = role
    return Header(rows=tuple(block), roles=roles, texts=texts, merges=merges)


def resolve_columns(header: Header, grid: SheetGrid, end: int) -> bool:
    """Settle each role's column; True when the block is an indicator table's header.

    完成情况 is the value in most tables, but a column of 完成/未完成 words beside
    another value column (预计值, 落实结果) is the verdict: decided by the cells under it.
    """
    cols: dict[str, int] = {}
    for role in ("name", "target", "rate", "unit", "no", "category"):
        found = header.candidates(role)
        if found:
            cols[role] = found[0]
    actual = header.candidates("actual")
    verdicts = [c for c in actual if _holds_verdicts(grid, c, header.row, end)]
    values = [c for c in actual if c not in verdicts]
    verdict_cols = header.candidates("verdict") + verdicts
    if values:
        cols["actual"] = values[0]
        if verdict_cols:
            cols["verdict"] = verdict_cols[0]
    elif verdicts:
        cols["actual"] = verdicts[0]  # no other value column: the words are what was achieved
    elif verdict_cols:
        cols["verdict"] = verdict_cols[0]
    if "name" not in cols and "category" in cols:
        cols["name"] = cols.pop("category")  # 重点项目表: "项目类别" names the rows
    header.columns = cols
    if "name" not in cols or "target" not in cols:
        return False
    target_year, actual_year = column_year(header, cols["target"]), column_year(header, cols.get("actual"))
    if "actual" in cols and target_year and actual_year and target_year > actual_year:
        # "2025年完成 | 2026年目标": last year's outcome beside next year's plan is a plan table.
        for role in ("actual", "rate", "verdict"):
            cols.pop(role, None)
    header.kind = "completion" if "actual" in cols else "plan"
    header.year = target_year or actual_year
    if "unit" not in cols:
        header.unit = _bracket_unit(header, cols["target"]) or _bracket_unit(header, cols.get("actual"))
    return True


def column_year(header: Header, col: Optional[int]) -> Optional[int]:
    for cell in header.texts.get(col, ()) if col else ():
        m = YEAR_RE.search(BRACKETS.sub("", cell.text))
        if m:
            return int(m.group(1))
    return None


def _bracket_unit(header: Header, col: Optional[int]) -> Optional[Cell]:
    for cell in header.texts.get(col, ()) if col else ():
        unit = bracket_unit(cell.text)
        if unit:
            return Cell(cell.sheet, cell.row, cell.col, unit, unit)
    return None


def _holds_verdicts(grid: SheetGrid, col: int, hrow: int, end: int) -> bool:
    texts = [c.text for r in range(hrow + 1, min(end, len(grid.rows)) + 1)
             if (c := grid.cell(r, col)) is not None and c.text]
    if not texts:
        return False
    need, misses = 0.8 * len(texts), 0
    for t in texts:
        if not is_verdict(t):
            misses += 1
            if len(texts) - misses < need:
                return False  # at least 80% verdicts can no longer be reached
    return True
