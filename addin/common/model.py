"""Plain dataclasses passed between the stages:

read (file or Excel) -> WorkbookData -> parse/evaluate -> CheckResult -> render/write.

No stage reaches into another's internals; each takes and returns these.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, Literal, Optional

# The sheet PlanReport writes into the workbook; never read back as input.
RESULTS_SHEET = "核算结果"
RESULTS_SHEET_ALT = "核算结果（PlanReport）"  # used when the workbook has a 核算结果 of the user's own
# The words a statistician sees for statuses and severities, wherever they are shown.
STATUS_WORDS = {"met": "已完成", "unmet": "未完成", "not_computable": "无法核算"}
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}

Severity = Literal["error", "warning", "info"]
Direction = Literal["higher", "lower", "band", "relative", "qualitative"]
Status = Literal["met", "unmet", "not_computable"]


@lru_cache(maxsize=256)
def quote_sheet(name: str) -> str:
    """Sheet name as Excel writes it in a reference (quoted when needed)."""
    plain = name and not name[0].isdigit() and all(ch.isalnum() or ch == "_" for ch in name)
    return name if plain else "'" + name.replace("'", "''") + "'"


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``附件1!F24`` — the form every message and finding uses."""
    return column_prefix(sheet, col) + str(row)


@lru_cache(maxsize=4096)
def column_prefix(sheet: str, col: int) -> str:
    """``附件1!F``: the same few per table, asked for once per cell of 50,000 rows."""
    return f"{quote_sheet(sheet)}!{column_letter(col)}"


@dataclass(slots=True)
class Cell:
    """One cell as the reader saw it, whichever adapter read it."""

    sheet: str
    row: int  # 1-based, as Excel numbers rows
    col: int  # 1-based
    value: Any = None  # str | int | float | bool | datetime | None (cached value for formulas)
    # Text the core parses: strings as typed; numbers at full precision, scaled
    # to percent ("68.75%") when the number format is a percent format.
    text: str = ""
    number_format: Optional[str] = None
    underline: bool = False
    error: Optional[str] = None  # "#DIV/0!", "#N/A", ...
    formula: Optional[str] = None
    uncached: bool = False  # a formula whose cached value is missing

    @property
    def ref(self) -> str:
        return column_prefix(self.sheet, self.col) + str(self.row)  # cell_ref, one call less (per finding and row)

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.text and not self.error and not self.formula


@dataclass(slots=True)
class SheetGrid:
    """A sheet's cells as a dense grid: ``rows[i][j]`` is Excel row i+1, column j+1."""

    name: str
    rows: list[list[Optional[Cell]]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col (1-based)
    # "worksheet", or a sheet tab with no cells to read ("chartsheet", "dialogsheet", "macrosheet"):
    # kept as an empty grid so the reading map lists it as skipped instead of losing the tab.
    kind: str = "worksheet"

    def cell(self, row: int, col: int) -> Optional[Cell]:
        if 1 <= row <= len(self.rows):
            r = self.rows[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return None


@dataclass(slots=True)
class IndicatorRow:
    """One row of an indicator table, with the cells of each recognised column."""

    sheet: str
    row: int
    name: Cell
    no: Optional[Cell] = None
    category: Optional[str] = None  # resolved through merged cells / fill-down
    category_cell: Optional[Cell] = None
    unit: Optional[Cell] = None
    target: Optional[Cell] = None
    actual: Optional[Cell] = None
    rate: Optional[Cell] = None
    verdict: Optional[Cell] = None  # a printed 完成/未完成/基本完成 word, when the table has such a column


@dataclass(slots=True)
class Table:
    sheet: str
    header_row: int
    kind: Literal["completion", "plan", "levels"]  # completion has 完成情况; plan is targets only (附件2)
    columns: dict[str, int]  # role -> 1-based column: no, category, name, unit, target, actual, rate
    rows: list[IndicatorRow] = field(default_factory=list)
    title: Optional[str] = None
    year: Optional[int] = None
    header_rows: tuple[int, ...] = ()  # every row of a 1-3 row header block (header_row is the lowest)


@dataclass(slots=True)
class SkippedSheet:
    """A sheet the reader did not take as a table, and why (in Chinese): never a silent miss."""

    sheet: str
    reason: str

    def to_json(self) -> dict:
        return {"sheet": self.sheet, "reason": self.reason}


def letters(columns: dict[str, int]) -> dict[str, str]:
    """role -> column letter, left to right as the sheet shows them."""
    return {role: column_letter(col) for role, col in sorted(columns.items(), key=lambda kv: kv[1])}


@dataclass(slots=True)
class TableMap:
    """One table as the reader took it: the reading map of ``check --json`` "tables" and ``check --explain``.

    ``kind`` is completion, plan, or levels (the 基础数据 sheet, whose roles are name, year,
    value, unit, growth, source).  ``unit`` says where a unit came from when the table has
    no 单位 column: a header bracket ("（亿元）") or a note above the table ("单位：亿元、%").
    """

    sheet: str
    kind: str
    header_rows: list[int]
    first_row: Optional[int]
    last_row: Optional[int]
    columns: dict[str, str]  # role -> column letter
    year: Optional[int] = None
    title: Optional[str] = None
    unit: Optional[dict] = None  # {"text": "亿元", "cell": "重点项目!G2"}

    @classmethod
    def of(cls, table: Table) -> "TableMap":
        rows = [r.row for r in table.rows]
        unit = next((r.unit for r in table.rows if r.unit is not None), None) if "unit" not in table.columns else None
        return cls(table.sheet, table.kind, list(table.header_rows or (table.header_row,)),
                   min(rows, default=None), max(rows, default=None),
                   letters(table.columns), table.year, table.title,
                   {"text": unit.text, "cell": unit.ref} if unit is not None else None)

    def to_json(self) -> dict:
        out = {"sheet": self.sheet, "kind": self.kind, "header_rows": self.header_rows, "first_row": self.first_row,
               "last_row": self.last_row, "columns": self.columns, "year": self.year, "title": self.title}
        if self.unit is not None:
            out["unit"] = self.unit
        return out


@dataclass(slots=True)
class Finding:
    code: str
    severity: Severity
    cell: Optional[str]
    message: str

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "cell": self.cell, "message": self.message}


@dataclass(slots=True)
class WorkbookData:
    path: str
    sheets: list[str]
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # reader-level: error values, uncached formulas, ...
    grids: dict[str, SheetGrid] = field(default_factory=dict)
    skipped: list[SkippedSheet] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The core's one reading of a row, carried forward so no later stage parses its text again.

    ``target`` and ``actual`` are ``addin.core.parse.Expr`` (typed loosely: the model sits below the core).
    Never in the JSON.
    """

    target: Any
    actual: Any = None
    year: Optional[int] = None  # the year of the table the row sits in


@dataclass(slots=True)
class IndicatorResult:
    sheet: str
    row: int
    no: Optional[int]
    category: Optional[str]
    name: str
    unit: Optional[str]
    target: str
    actual: str
    direction: Direction
    computed_rate: Optional[float]
    reported_rate: Optional[float]
    status: Status
    reported_unmet: Optional[bool]
    cells: dict[str, str]
    kind: str = ""  # growth | level | same_bound | qualitative | relative ... (for phrasing)
    note: Optional[str] = None  # why not computable, in Chinese
    parsed: Optional[Parsed] = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        return _shallow_dict(self)


@dataclass(slots=True)
class PlanTarget:
    sheet: str
    row: int
    no: Optional[int]
    name: str
    unit: Optional[str]
    target: str
    direction: Direction
    cells: dict[str, str]
    category: Optional[str] = None
    year: Optional[int] = None
    parsed: Optional[Parsed] = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        return _shallow_dict(self)


@lru_cache(maxsize=None)
def _json_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name != "parsed")


@lru_cache(maxsize=None)
def _record_maker(cls: type):
    """``lambda o: {"sheet": o.sheet, ..., "cells": dict(o.cells)}`` for the class's JSON fields: a dict
    display is about twice as fast as a comprehension of getattr calls (50,000 rows per check)."""
    items = ", ".join(f"{name!r}: dict(o.{name})" if name == "cells" else f"{name!r}: o.{name}"
                      for name in _json_fields(cls))
    return eval(f"lambda o: {{{items}}}", {"dict": dict})  # names are the dataclass's own field identifiers


def _shallow_dict(obj) -> dict:
    """Like dataclasses.asdict for flat records, without its deep copies (50,000 rows add up);
    the field names are looked up once per class, not once per row."""
    return _record_maker(type(obj))(obj)


@dataclass(slots=True)
class WorkbookMeta:
    """What a report says about itself: from the tables (title rows, years) and from the
    [report] section of planreport.toml (title, issuer, date); ``as_of`` with --as-of."""

    title: Optional[str] = None  # the completion table's title row (附件1)
    year: Optional[int] = None  # the year the completion table reports on
    plan_title: Optional[str] = None  # the plan table's title row (附件2)
    plan_year: Optional[int] = None
    report_title: Optional[str] = None
    issuer: Optional[str] = None
    date: Optional[str] = None
    as_of: Optional[str] = None

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class CheckResult:
    workbook: str
    indicators: list[IndicatorResult] = field(default_factory=list)
    targets: list[PlanTarget] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    growth: list[Any] = field(default_factory=list)  # typed entries (addin/core/growth_entries.py), each with to_json()
    meta: WorkbookMeta = field(default_factory=WorkbookMeta)
    # The reading map: every sheet is in exactly one of the two (never a silent miss).
    tables: list[TableMap] = field(default_factory=list)
    skipped: list[SkippedSheet] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict:
        from addin.common.nogc import paused_gc  # one dict per row: acyclic, and 50,000 of them

        with paused_gc():
            return {
                "workbook": self.workbook,
                "meta": self.meta.to_json(),
                "indicators": [i.to_json() for i in self.indicators],
                "targets": [t.to_json() for t in self.targets],
                "growth": [g.to_json() for g in self.growth],
                "findings": [f.to_json() for f in self.findings],
                "tables": [t.to_json() for t in self.tables],
                "skipped": [s.to_json() for s in self.skipped],
            }

    # pandas frames for the Python API (docs/api.md): flat columns, Chinese words beside the codes.
    INDICATOR_COLUMNS = ("sheet", "row", "no", "category", "name", "unit", "target", "actual", "direction",
                         "computed_rate", "reported_rate", "status", "status_text")
    FINDING_COLUMNS = ("code", "severity", "severity_text", "cell", "message")
    TARGET_COLUMNS = ("sheet", "row", "no", "category", "name", "unit", "target", "direction", "year")

    def to_frame(self):
        """One row per indicator of the completion tables."""
        return _frame([{**{c: getattr(i, c, None) for c in self.INDICATOR_COLUMNS[:-1]},
                        "status_text": STATUS_WORDS[i.status]} for i in self.indicators], self.INDICATOR_COLUMNS)

    def findings_frame(self):
        return _frame([{**f.to_json(), "severity_text": SEVERITY_WORDS[f.severity]} for f in self.findings],
                      self.FINDING_COLUMNS)

    def targets_frame(self):
        """One row per plan target (附件2)."""
        return _frame([{c: getattr(t, c) for c in self.TARGET_COLUMNS} for t in self.targets], self.TARGET_COLUMNS)


def _frame(records: list[dict], columns: tuple[str, ...]):
    import pandas as pd  # heavy: only when a frame is asked for

    return pd.DataFrame.from_records(records, columns=list(columns))
