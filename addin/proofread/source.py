"""The one place proofread touches the rest of PlanReport: the workbook check and the
expression parser. When those move, only the imports below change.

Turns a workbook into Facts: every completion-table actual, target and rate, every
附件2 target, every 基础数据 level and growth, each with its cell.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Optional

from addin.common.errors import PlanReportError
from addin.core.levels import read_levels
from addin.core.parse import normalize, parse, with_default_unit
from addin.app.options import Options
from addin.app.pipeline import run
from addin.common.settings import load_settings, read_toml

from addin.proofread.model import Fact, Quantity

__all__ = ["PlanReportError", "Facts", "load_facts", "normalize", "quantity", "read_proofread_config"]

# Indicator kinds the check gives (IndicatorResult.kind) whose percent actual is a growth rate.
_GROWTH_KINDS = ("growth", "relative")


@dataclass
class Facts:
    workbook: str
    facts: list[Fact] = field(default_factory=list)
    year: Optional[int] = None  # the completion table's year (the year the draft reports on)
    plan_year: Optional[int] = None
    categories: dict[str, list[Fact]] = field(default_factory=dict)  # category -> its actual facts


def quantity(text: str, unit_text: Optional[str] = None) -> Optional[Quantity]:
    """A cell's or a claim's text as a Quantity; None when it is not one number."""
    expr = with_default_unit(parse(text), unit_text) if unit_text else parse(text)
    if expr.kind != "number" or expr.value is None:
        return None
    return Quantity(expr.value, expr.scale, expr.unit, expr.unit_text, expr.bound, expr.approx, expr.growth == "down")


def read_proofread_config(config) -> tuple[dict, bool]:
    """The [proofread] table of a settings file, and whether the file also holds check settings."""
    if config is None:
        return {}, False
    path = Path(config)
    if not path.is_file():
        raise PlanReportError(f"{path}: 设置文件不存在")
    data = read_toml(path)
    table = data.get("proofread", {})
    if not isinstance(table, dict):
        raise PlanReportError(f"{path}: [proofread] 应为一张表")
    others = {k: v for k, v in data.items() if k != "proofread"}
    return table, bool(others)


def load_facts(workbook, *, config=None, password: Optional[str] = None, recalc: bool = False,
               check_config: bool = True) -> Facts:
    path = Path(workbook)
    settings = load_settings(path, config if check_config else None)
    checked = run(path, Options(settings=settings, password=password, recalc=recalc))
    data, result = checked.data, checked.result
    facts = Facts(str(path), year=result.meta.year, plan_year=result.meta.plan_year)
    order = 0

    def add(fact: Fact) -> None:
        facts.facts.append(fact)

    for ind in result.indicators:
        order += 1
        key = f"{ind.sheet}!{ind.row}"
        met = {"met": True, "unmet": False}.get(ind.status)
        actual = quantity(ind.actual, ind.unit)
        if "actual" in ind.cells:
            kind = _kind(actual, ind.kind)
            fact = Fact(ind.cells["actual"], ind.name, "actual", kind, actual, ind.actual, facts.year,
                        ind.category, met, key, order)
            add(fact)
            if ind.category:
                facts.categories.setdefault(ind.category, []).append(fact)
        target = quantity(ind.target, ind.unit)
        if "target" in ind.cells and target is not None:
            add(Fact(ind.cells["target"], ind.name, "target", _kind(target, ind.kind), target, ind.target,
                     facts.year, ind.category, met, key, order))
        if ind.computed_rate is not None:
            # Judged against the rate computed from 目标 and 完成情况, not the one typed in the cell.
            rate = Quantity(Decimal(str(ind.computed_rate)), Decimal(1), "%", "%")
            shown = f"{_plain(rate.value)}%"
            if ind.reported_rate is not None and Decimal(str(ind.reported_rate)) != rate.value:
                shown += f"（该格填报 {_plain(Decimal(str(ind.reported_rate)))}%，与核算不符）"
            add(Fact(ind.cells.get("rate", ind.cells.get("actual", "")), ind.name, "rate", "rate", rate,
                     shown, facts.year, ind.category, met, key, order))
    for t in result.targets:
        order += 1
        target = quantity(t.target, t.unit)
        if target is not None and "target" in t.cells:
            add(Fact(t.cells["target"], t.name, "plan_target", _kind(target, "growth"), target, t.target,
                     t.year or facts.plan_year, t.category, None, f"{t.sheet}!{t.row}", order))
    levels = read_levels(data.grids)
    for row in levels.rows if levels is not None else ():
        order += 1
        key = f"{levels.sheet}!{row.name.row}"
        if row.level is not None:
            q = Quantity(row.level.value, row.level.scale, row.level.unit, row.level.unit_text)
            shown = row.value_cell.text if q.unit_text and row.value_cell.text.endswith(q.unit_text) \
                else row.value_cell.text + (row.unit_text or "")
            add(Fact(row.value_cell.ref, row.name.text, "level", "amount", q, shown, row.year, None, None, key, order))
        if row.growth is not None and row.growth.value is not None:
            g = row.growth
            q = Quantity(g.value, g.scale, g.unit, g.unit_text, g.bound, g.approx, g.growth == "down")
            add(Fact(row.growth_cell.ref, row.name.text, "level_growth", "growth", q, row.growth_cell.text,
                     row.year, None, None, key, order))
    return facts


def _kind(q: Optional[Quantity], indicator_kind: str) -> str:
    if q is None or q.unit != "%":
        return "amount"
    return "growth" if indicator_kind in _GROWTH_KINDS else "share"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
