"""What the growth checks hand on: typed entries (one dataclass per kind) and the context they share.

The JSON ``growth`` list is made from these at the edge (``to_json``), key for
key in the order the contract has always had; nothing between the stages is a
dict. growth.py and growth_compare.py both build on this module, so neither
imports the other's internals (no import circle).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from decimal import Decimal
from typing import ClassVar, Optional

from addin.common.model import CheckResult, Finding
from addin.common.rounding import round2
from addin.common.settings import Settings
from addin.core.levels import LevelRow, Levels, name_key

HUNDRED = Decimal(100)
# Growth of these is published at constant prices; a level times it is only near the nominal level.
CONSTANT_PRICE_WORDS = ("生产总值", "增加值", "GDP")


def num(value: Optional[Decimal]) -> Optional[float]:
    """A Decimal for JSON, rounded half-up to 2 dp."""
    return None if value is None else float(round2(value))


def constant_price(name: str) -> bool:
    return any(word in name for word in CONSTANT_PRICE_WORDS)


def growth_of(later: Decimal, earlier: Decimal) -> Decimal:
    """Percent growth from one level to the next, unrounded."""
    return (later / earlier - 1) * HUNDRED


def _json(value):
    if value.__class__ in _AS_IS:
        return value
    if is_dataclass(value):
        return value.to_json()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


class Entry:
    """Base of the typed entries: ``kind`` first, then the fields in declaration order."""

    kind: ClassVar[str] = ""
    __slots__ = ()

    def to_json(self) -> dict:
        out = {"kind": self.kind} if self.kind else {}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            out[name] = value if value.__class__ in _AS_IS else _json(value)
        return out


_AS_IS = frozenset({str, int, float, bool, type(None)})  # what _json returns unchanged, tested first


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    """dataclasses.fields of an entry class, once per class (10,000 entries at 50,000 rows)."""
    return tuple(f.name for f in fields(cls))


@dataclass(slots=True)
class Basis(Entry):
    year: int
    value: Optional[float]
    growth: str


@dataclass(slots=True)
class ImpliedLevel(Entry):
    """A level from a base year's level and a growth rate (1505.02 × 1.03 ≈ 1550.17)."""

    kind: ClassVar[str] = "implied_level"
    name: str
    year: int
    value: Optional[float]
    unit: Optional[str]
    approximate: bool
    bound: str
    basis: Basis
    cells: dict[str, str]
    note: str


@dataclass(slots=True)
class ImpliedPriorLevel(ImpliedLevel):
    """Last year's level from this year's level and growth (1505.02 ÷ 1.055 ≈ 1426.56)."""

    kind: ClassVar[str] = "implied_prior_level"


@dataclass(slots=True)
class GrowthConsistency(Entry):
    kind: ClassVar[str] = "growth_consistency"
    name: str
    year: int
    stated_growth: Optional[float]
    implied_growth: Optional[float]
    consistent: bool
    approximate: bool
    values: dict[str, Optional[float]]
    unit: Optional[str]
    cells: dict[str, str]


@dataclass(slots=True)
class LevelBase(Entry):
    year: int
    value: Optional[float]
    unit: Optional[str]


@dataclass(slots=True)
class GrowthVsLevel(Entry):
    """A 附件1 row whose target is a growth rate and whose actual a level, scored with last year's level."""

    kind: ClassVar[str] = "growth_vs_level"
    name: str
    row: int
    year: int
    target: str
    actual: str
    cells: dict[str, str]
    base: Optional[LevelBase] = None
    implied_growth: Optional[float] = None
    computed_rate: Optional[float] = None
    status: str = "not_computable"


@dataclass(slots=True)
class ConventionScore(Entry):
    basis: str
    basis_cell: Optional[str]
    rate: Optional[float]
    status: str


@dataclass(slots=True)
class RelativeScores(Entry):
    """与经济增长同步 scored under both conventions, side by side."""

    kind: ClassVar[str] = "relative"
    name: str
    row: int
    target: str
    actual: str
    reference: str
    scored: str
    conventions: dict[str, ConventionScore]
    cells: dict[str, str]


@dataclass(slots=True)
class Continuity(Entry):
    kind: ClassVar[str] = "continuity"
    name: str
    next_name: str
    actual: str
    next_target: str
    gap_points: Optional[float]
    cells: dict[str, Optional[str]]


@dataclass(slots=True)
class Progress(Entry):
    kind: ClassVar[str] = "progress"
    name: str
    row: int
    as_of: str
    target: str
    actual: str
    progress: Optional[float]
    elapsed: Optional[float]
    behind: bool
    cells: dict[str, str]


class Context:
    """What every check needs; the checks append to ``entries`` and ``findings``."""

    def __init__(self, result: CheckResult, levels: Optional[Levels], settings: Settings):
        self.result, self.levels, self.settings = result, levels, settings
        self.year: Optional[int] = result.meta.year
        self.plan_year: Optional[int] = result.meta.plan_year or (self.year + 1 if self.year else None)
        self.entries: list[Entry] = []
        self.findings: list[Finding] = []

    def level(self, name: str, year: Optional[int]) -> Optional[LevelRow]:
        return find_level(self.levels, name, year)

    def add(self, code: str, severity: str, cell: Optional[str], message: str) -> None:
        self.findings.append(Finding(code, severity, cell, message))


def find_level(levels: Optional[Levels], name: str, year: Optional[int]) -> Optional[LevelRow]:
    if levels is None or year is None:
        return None
    return levels.get(name_key(name), year)

