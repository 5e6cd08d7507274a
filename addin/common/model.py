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
    return _column_prefix(sheet, col) + str(row)


@lru_cache(maxsize=4096)
def _column_prefix(sheet: str, col: int) -> str:
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
        return cell_ref(self.sheet, self.row, self.col)

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.text and not self.error and not self.formula


@dataclass(slots=True)
class SheetGrid:
    """A sheet's cells as a dense grid: ``rows[i][j]`` is Excel row i+1, column j+1."""

    name: str
    rows: list[list[Optional[Cell]]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col (1-based)

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

    def to_json(self) -> dict:
        return _shallow_dict(self)


def _shallow_dict(obj) -> dict:
    """Like dataclasses.asdict for flat records, without its deep copies (50,000 rows add up)."""
    out = {f.name: getattr(obj, f.name) for f in fields(obj)}
    out["cells"] = dict(out["cells"])
    return out


@dataclass
class CheckResult:
    workbook: str
    indicators: list[IndicatorResult] = field(default_factory=list)
    targets: list[PlanTarget] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    growth: list[dict] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # title, year, report date ... read from the workbook

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict:
        from addin.common.nogc import paused_gc  # one dict per row: acyclic, and 50,000 of them

        with paused_gc():
            return {
                "workbook": self.workbook,
                "meta": self.meta,
                "indicators": [i.to_json() for i in self.indicators],
                "targets": [t.to_json() for t in self.targets],
                "growth": self.growth,
                "findings": [f.to_json() for f in self.findings],
            }

    def to_frame(self):
        import pandas as pd  # heavy: only when a frame is asked for

        return pd.DataFrame([i.to_json() for i in self.indicators])
