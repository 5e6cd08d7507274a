"""Growth checks across years: levels (基础数据) against growth rates (附件1, 附件2, narrative).

``growth_checks`` returns the JSON ``growth`` entries and ``growth_*`` findings;
it also scores 附件1 rows whose target is a growth rate and whose actual is a
level once last year's level is known (see addin/core/growth_compare.py).

All arithmetic in Decimal, rounded half-up to 2 dp only when a number is shown.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from addin.core.evaluate import is_ratio_name
from addin.core.levels import LevelRow, Levels, name_key, read_levels
from addin.common.model import CheckResult, Finding, PlanTarget, WorkbookData
from addin.common.rounding import change, plain, round2
from addin.core.parse import Expr, parse, with_default_unit
from addin.common.settings import DEFAULT, Settings

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


class Context:
    """What every check needs; the checks append to ``entries`` and ``findings``."""

    def __init__(self, result: CheckResult, levels: Optional[Levels], settings: Settings):
        self.result, self.levels, self.settings = result, levels, settings
        self.year: Optional[int] = result.meta.get("year")
        self.plan_year: Optional[int] = result.meta.get("plan_year") or (self.year + 1 if self.year else None)
        self.entries: list[dict] = []
        self.findings: list[Finding] = []

    def level(self, name: str, year: Optional[int]) -> Optional[LevelRow]:
        if self.levels is None or year is None:
            return None
        return self.levels.get(name_key(name), year)

    def add(self, code: str, severity: str, cell: Optional[str], message: str) -> None:
        self.findings.append(Finding(code, severity, cell, message))


def _implied(ctx: Context, name: str, base: LevelRow, growth: Expr, year: int, growth_cell: Optional[str], note: str,
             approximate: bool = False) -> None:
    value = base.value * (1 + growth.signed_base / HUNDRED)
    ctx.entries.append({
        "kind": "implied_level", "name": name, "year": year, "value": num(value), "unit": base.unit_text,
        "approximate": approximate or constant_price(name), "bound": growth.bound,
        "basis": {"year": base.year, "value": num(base.value), "growth": growth.text},
        "cells": {"level": base.value_cell.ref, **({"growth": growth_cell} if growth_cell else {})},
        "note": note,
    })


def _reference_plan_growth(ctx: Context) -> Optional[tuple[PlanTarget, Expr]]:
    for t in ctx.result.targets:
        if any(word in t.name for word in ctx.settings.reference_names):
            expr = with_default_unit(parse(t.target), t.unit)
            if expr.kind == "number" and expr.unit == "%":
                return t, expr
    return None


def implied_from_plan(ctx: Context) -> None:
    """Next year's growth targets applied to this year's levels: 1505.02 × 1.03 ≈ 1550.17."""
    reference = _reference_plan_growth(ctx)
    for t in ctx.result.targets:
        base = ctx.level(t.name, (t.year or ctx.plan_year or 0) - 1)
        if base is None or base.value is None:
            continue
        expr = with_default_unit(parse(t.target), t.unit)
        if expr.kind == "relative" and reference is not None:
            ref, ref_expr = reference
            _implied(ctx, t.name, base, ref_expr, t.year or ctx.plan_year, ref.cells.get("target"),
                     f"“{t.target}”按{ref.name}目标{ref.target}推算", approximate=True)
        elif expr.kind == "number" and expr.unit == "%" and expr.growth != "down" and not is_ratio_name(t.name):
            _implied(ctx, t.name, base, expr, t.year or ctx.plan_year, t.cells.get("target"),
                     f"{base.year}年{plain(base.value)}{base.unit_text or ''}按{t.target}推算")


def check_level_rows(ctx: Context) -> None:
    """Within 基础数据: growth with no level (implied), level with growth (consistent? or back-cast)."""
    if ctx.levels is None:
        return
    for row in ctx.levels.rows:
        if row.growth is None:
            continue
        prior = ctx.levels.get(row.key, row.year - 1)
        if row.value is None and prior is not None and prior.value is not None:
            _implied(ctx, row.name.text, prior, row.growth, row.year, row.growth_cell.ref,
                     f"{prior.year}年{plain(prior.value)}{prior.unit_text or ''}按增长{row.growth.text}推算")
        elif row.value is not None and prior is not None and prior.value is not None:
            _consistency(ctx, row, prior)
        elif row.value is not None:
            _back_cast(ctx, row, prior)


def _consistency(ctx: Context, row: LevelRow, prior: LevelRow) -> None:
    actual = growth_of(row.level.base, prior.level.base)
    stated = row.growth.signed_base
    tol = ctx.settings.growth_tolerance_points
    bound = row.growth.bound
    off = (actual < stated - tol if bound == "floor" else actual > stated + tol if bound == "ceiling"
           else abs(actual - stated) > tol)
    approximate = constant_price(row.name.text)
    consistent = not off or approximate
    ctx.entries.append({
        "kind": "growth_consistency", "name": row.name.text, "year": row.year,
        "stated_growth": num(stated), "implied_growth": num(actual), "consistent": consistent,
        "approximate": approximate, "values": {str(prior.year): num(prior.value), str(row.year): num(row.value)},
        "unit": row.unit_text,
        "cells": {"level": row.value_cell.ref, "growth": row.growth_cell.ref, "prior_level": prior.value_cell.ref},
    })
    if not consistent:
        unit = row.unit_text or ""
        ctx.add("growth_inconsistent", "warning", row.value_cell.ref,
                f"“{row.name.text}”{row.year}年{plain(row.value)}{unit}（{row.value_cell.ref}）比{prior.year}年"
                f"{plain(prior.value)}{unit}（{prior.value_cell.ref}）实际{change(actual)}，"
                f"与所写增速{row.growth.text}（{row.growth_cell.ref}）不符")


def _back_cast(ctx: Context, row: LevelRow, prior: Optional[LevelRow]) -> None:
    """This year's level and growth give last year's: 1505.02 ÷ 1.055 ≈ 1426.56."""
    value = row.value / (1 + row.growth.signed_base / HUNDRED)
    cells = {"level": row.value_cell.ref, "growth": row.growth_cell.ref}
    if prior is not None:
        cells["fill"] = prior.value_cell.ref
    ctx.entries.append({
        "kind": "implied_prior_level", "name": row.name.text, "year": row.year - 1, "value": num(value),
        "unit": row.unit_text, "approximate": constant_price(row.name.text), "bound": row.growth.bound,
        "basis": {"year": row.year, "value": num(row.value), "growth": row.growth.text}, "cells": cells,
        "note": f"{row.year}年{plain(row.value)}{row.unit_text or ''}、增长{row.growth.text}倒推",
    })


def growth_checks(data: WorkbookData, result: CheckResult, settings: Settings = DEFAULT) -> tuple[list[dict], list[Finding]]:
    from addin.core.growth_compare import continuity, relative_conventions, score_growth_vs_level

    levels = read_levels(data.grids)
    ctx = Context(result, levels, settings)
    if levels is not None:
        ctx.findings.extend(levels.findings)
    implied_from_plan(ctx)
    check_level_rows(ctx)
    score_growth_vs_level(ctx)
    relative_conventions(ctx)
    continuity(ctx)
    return ctx.entries, ctx.findings
