"""Growth checks across years: levels (基础数据) against growth rates (附件1, 附件2, narrative).

``growth_checks`` returns the typed ``growth`` entries and ``growth_*`` findings.
附件1 rows whose target is a growth rate and whose actual is a level are scored
in the check's own pass over each row (growth_compare.score_against_level);
this stage only reports what that pass found, in the section's order.

All arithmetic in Decimal, rounded half-up to 2 dp only when a number is shown.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Optional

from addin.common.model import CheckResult, Finding, PlanTarget
from addin.common.rounding import change, plain
from addin.common.settings import DEFAULT, Settings
from addin.core.evaluate import is_ratio_name
from addin.core.growth_compare import LevelScore, continuity, plan_expr, relative_conventions
from addin.core.growth_entries import (
    HUNDRED, Basis, Context, GrowthConsistency, ImpliedLevel, ImpliedPriorLevel, constant_price, growth_of, num,
)
from addin.core.levels import LevelRow, Levels
from addin.core.parse import Expr


def _implied(ctx: Context, name: str, base: LevelRow, growth: Expr, year: int, growth_cell: Optional[str], note: str,
             approximate: bool = False) -> None:
    value = base.value * (1 + growth.signed_base / HUNDRED)
    ctx.entries.append(ImpliedLevel(
        name, year, num(value), base.unit_text, approximate or constant_price(name), growth.bound,
        Basis(base.year, num(base.value), growth.text),
        {"level": base.value_cell.ref, **({"growth": growth_cell} if growth_cell else {})}, note))


def _reference_plan_growth(ctx: Context) -> Optional[tuple[PlanTarget, Expr]]:
    for t in ctx.result.targets:
        if any(word in t.name for word in ctx.settings.reference_names):
            expr = plan_expr(t)
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
        with _out_of_range(ctx, base):
            _implied_target(ctx, t, base, reference)


def _implied_target(ctx: Context, t: PlanTarget, base: LevelRow, reference: Optional[tuple[PlanTarget, Expr]]) -> None:
    expr = plan_expr(t)
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
        with _out_of_range(ctx, row):
            _check_level_row(ctx, row)


@contextmanager
def _out_of_range(ctx: Context, row: LevelRow):
    """A level or growth no arithmetic takes (1E-10 against 1E+15, a growth of −100%) is a warning on its cell;
    the other rows are still checked."""
    mark = len(ctx.entries), len(ctx.findings)
    try:
        yield
    except ArithmeticError:
        del ctx.entries[mark[0]:], ctx.findings[mark[1]:]
        ctx.add("growth_level_unusable", "warning", row.value_cell.ref,
                f"基础数据中“{row.name.text}”{row.year}年的数值或增速超出可核算范围（如上年为零、下降100%），未参与增长核对")


def _check_level_row(ctx: Context, row: LevelRow) -> None:
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
    ctx.entries.append(GrowthConsistency(
        row.name.text, row.year, num(stated), num(actual), consistent, approximate,
        {str(prior.year): num(prior.value), str(row.year): num(row.value)}, row.unit_text,
        {"level": row.value_cell.ref, "growth": row.growth_cell.ref, "prior_level": prior.value_cell.ref}))
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
    ctx.entries.append(ImpliedPriorLevel(
        row.name.text, row.year - 1, num(value), row.unit_text, constant_price(row.name.text), row.growth.bound,
        Basis(row.year, num(row.value), row.growth.text), cells,
        f"{row.year}年{plain(row.value)}{row.unit_text or ''}、增长{row.growth.text}倒推"))


def growth_checks(result: CheckResult, levels: Optional[Levels], level_scores: Iterable[LevelScore],
                  settings: Settings = DEFAULT) -> tuple[list, list[Finding]]:
    """The growth section: entries and findings in the order the JSON has always had them."""
    ctx = Context(result, levels, settings)
    if levels is not None:
        ctx.findings.extend(levels.findings)
    implied_from_plan(ctx)
    check_level_rows(ctx)
    for score in level_scores:  # scored in the row pass; reported here, in this section's order
        ctx.entries.append(score.entry)
        ctx.findings.extend(score.findings)
    relative_conventions(ctx)
    continuity(ctx)
    return ctx.entries, ctx.findings
