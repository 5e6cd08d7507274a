"""The 基础数据 sheet: levels (总量) and stated growth per indicator and year (docs/levels.md).

Read from the grids the reader already built, so the Excel adapter and files
share it. The indicator tables' finder ignores this sheet (it has no 目标
column); this module finds its own header row by the words below.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from addin.common.model import Cell, Finding, SheetGrid
from addin.core.parse import Expr, normalize, parse, with_default_unit
from addin.workbook.read.tables import BRACKETS, YEAR_RE  # the same header rules as the indicator tables

LEVEL_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("指标", "指标名称", "项目"),
    "year": ("年份", "年度", "年"),
    "value": ("数值", "总量", "绝对值", "数据", "绝对数"),
    "unit": ("单位", "计量单位"),
    "growth": ("增速", "增长", "增长率", "同比增长", "比上年增长"),
    "source": ("来源", "数据来源", "备注", "说明"),
}
_WORD_ROLE = {w: role for role, words in LEVEL_HEADER_WORDS.items() for w in words}
# Words that differ between a report's narrative and its tables for the same indicator.
_NAME_NOISE = re.compile(r"^(?:年内实现|全年实现|年内|全年|实现)|常住|[（(][^）)]*[）)]")
_NAME_ALIASES = (("规上", "规模以上"), ("GDP", "地区生产总值"))


def name_key(text: str) -> str:
    """'城镇常住居民人均可支配收入' and '城镇居民人均可支配收入' are one indicator."""
    key = normalize(text)
    for short, full in _NAME_ALIASES:
        if key.startswith(short):
            key = full + key[len(short):]
    return _NAME_NOISE.sub("", key)


@dataclass(slots=True)
class LevelRow:
    name: Cell
    year: int
    value_cell: Cell  # a placeholder Cell at the right address when the value is empty
    level: Optional[Expr]  # the level in the row's unit; None when empty or not a number
    unit_text: Optional[str]
    growth_cell: Optional[Cell]
    growth: Optional[Expr]  # a percent ("5.5%", "20%以上"); None when empty
    source: str = ""

    @property
    def key(self) -> str:
        return name_key(self.name.text)

    @property
    def value(self) -> Optional[Decimal]:
        return self.level.value if self.level is not None else None


@dataclass(slots=True)
class Levels:
    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[LevelRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # (name_key, year) -> the first row for it: every 附件 row asks, so no scan re-keying each level row.
    _first: dict[tuple[str, int], LevelRow] = field(default_factory=dict, repr=False)

    def add(self, row: LevelRow) -> None:
        self.rows.append(row)
        self._first.setdefault((row.key, row.year), row)

    def get(self, key: str, year: int) -> Optional[LevelRow]:
        return self._first.get((key, year))

    def next_free_ref(self) -> str:
        last = max((r.name.row for r in self.rows), default=self.header_row)
        return Cell(self.sheet, last + 1, self.columns["name"]).ref


_UNSEEN = object()
_KNOWN_TEXTS = 1 << 16

_SHORTENS = re.compile(r"[\s（(\[【]")  # what normalize() or BRACKETS would remove from an NFKC-normal text


def _cell_role(cell: Cell) -> Optional[str]:
    """_role of a grid cell, cheaply: this runs on every cell of every sheet."""
    if not isinstance(cell.value, str):
        return None  # numbers, dates, booleans and errors never spell a header word
    text = cell.text
    if _SHORTENS.search(text) is None and unicodedata.is_normalized("NFKC", text):
        return _WORD_ROLE.get(text)  # normalize() and BRACKETS would leave it as it is
    return _role(text)


def _role(text: str) -> Optional[str]:
    word = normalize(text)
    return _WORD_ROLE.get(word) or _WORD_ROLE.get(BRACKETS.sub("", word))


def _header(grid: SheetGrid) -> Optional[tuple[int, dict[str, int]]]:
    known: dict[str, Optional[str]] = {}  # text -> _role, for the texts a sheet repeats (targets, units)
    for r, cells in enumerate(grid.rows, 1):
        cols: dict[str, int] = {}
        for cell in cells:
            if cell is None or not cell.text or not isinstance(cell.value, str):
                continue  # numbers, dates, booleans and errors never spell a header word
            role = known.get(cell.text, _UNSEEN)
            if role is _UNSEEN:
                if len(known) >= _KNOWN_TEXTS:
                    known.clear()
                role = known[cell.text] = _cell_role(cell)
            if role and role not in cols:
                cols[role] = cell.col
        if {"name", "year", "value"} <= cols.keys():
            return r, cols
    return None


def _year(cell: Optional[Cell]) -> Optional[int]:
    m = YEAR_RE.search(normalize(cell.text)) if cell is not None and cell.text else None
    return int(m.group(1)) if m else None


def growth_expr(text: str) -> Expr:
    """'5.5%', '20%以上', or a bare 5.5 read as percent points."""
    expr = parse(text)
    return parse(normalize(text) + "%") if expr.kind == "number" and expr.unit is None else expr


def _row(grid: SheetGrid, r: int, cols: dict[str, int], out: list[Finding]) -> Optional[LevelRow]:
    get = lambda role: grid.cell(r, cols[role]) if role in cols else None  # noqa: E731
    name = get("name")
    if name is None or not name.text:
        return None
    year = _year(get("year"))
    if year is None:
        out.append(Finding("growth_year_unreadable", "warning", (get("year") or name).ref,
                           f"基础数据中“{name.text}”的年份无法识别，应为四位年份（如 2025）"))
        return None
    unit_text = get("unit").text if get("unit") is not None and get("unit").text else None
    value_cell = get("value") or Cell(grid.name, r, cols["value"])
    level = None
    if value_cell.text:
        level = with_default_unit(parse(value_cell.text), unit_text)
        if level.kind != "number" or level.unit == "%":
            out.append(Finding("growth_level_unreadable", "warning", value_cell.ref,
                               f"基础数据中“{name.text}”{year}年的数值“{value_cell.text}”不是总量数字"))
            level = None
    growth_cell = get("growth")
    growth = growth_expr(growth_cell.text) if growth_cell is not None and growth_cell.text else None
    if growth is not None and (not growth.is_number or growth.kind == "range" or growth.unit != "%"):
        out.append(Finding("growth_rate_unreadable", "warning", growth_cell.ref,
                           f"基础数据中“{name.text}”{year}年的增速“{growth_cell.text}”不是百分数"))
        growth = None
    source = get("source").text if get("source") is not None else ""
    return LevelRow(name, year, value_cell, level, (level.unit_text if level else None) or unit_text,
                    growth_cell, growth, source)


def read_levels(grids: dict[str, SheetGrid]) -> Optional[Levels]:
    """The first sheet with a 指标/年份/数值 header, preferring one named 基础数据."""
    ordered = sorted(grids.values(), key=lambda g: "基础数据" not in g.name)
    for grid in ordered:
        found = _header(grid)
        if found is None:
            continue
        hrow, cols = found
        levels = Levels(grid.name, hrow, cols)
        for r in range(hrow + 1, len(grid.rows) + 1):
            row = _row(grid, r, cols, levels.findings)
            if row is not None:
                levels.add(row)
        return levels
    return None
