"""Growth checks that compare 附件1 rows: with last year's level, with the reference row, with 附件2.

``score_against_level`` is called by the check's one pass over each row (a
growth target against a level actual is scored before the row's findings are
issued); the others run after the check over the results it made, reading the
Exprs each result carries (``IndicatorResult.parsed``), never the text again.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Optional

from addin.common.model import Finding, IndicatorResult, PlanTarget
from addin.common.rounding import percent, plain, round2
from addin.common.settings import Settings
from addin.core.evaluate import Evaluation, Reference, evaluate, is_reference_name, kind_of
from addin.core.growth_entries import (
    ConventionScore, Context, Continuity, GrowthVsLevel, LevelBase, RelativeScores, find_level, growth_of, num,
)
from addin.core.levels import LevelRow, Levels, name_key
from addin.core.parse import Expr, normalize, target_actual


def exprs(ind: IndicatorResult) -> tuple[Expr, Expr]:
    """The row's target and actual as the check parsed them (parsed here only for a result built by hand)."""
    if ind.parsed is not None:
        return ind.parsed.target, ind.parsed.actual
    return target_actual(ind.target, ind.actual, ind.unit)


def plan_expr(t: PlanTarget) -> Expr:
    if t.parsed is not None:
        return t.parsed.target
    return target_actual(t.target, "", t.unit)[0]


def growth_target_level_actual(name: str, target: Expr, actual: Expr) -> bool:
    """"18%以上" against "252.78亿元": a growth rate against a level."""
    return (target.is_number and target.unit == "%" and actual.kind == "number" and actual.unit not in (None, "%")
            and kind_of(name, target) == "growth")  # the name's test last: it runs per row


@dataclass(frozen=True, slots=True)
class LevelScore:
    """A growth target against a level actual, with what 基础数据 gave for last year."""

    entry: GrowthVsLevel
    evaluation: Optional[Evaluation]  # None: no level for last year, the row stays not computable
    base: Optional[LevelRow]
    findings: tuple[Finding, ...]  # growth_base_missing / growth_level_conflict, said in the growth section


_MAX_GROWTH_EXPONENT = 15


def _shown_growth(growth: Decimal) -> Expr:
    """The implied growth as it is shown (2 dp, half-up): what a statistician scores with the printed figure."""
    shown = round2(growth)
    return Expr(percent(shown), "number", value=abs(shown), unit="%", unit_text="%",
                growth="down" if shown < 0 else None)


def score_against_level(name: str, row: int, cells: dict[str, str], texts: tuple[str, str], target: Expr, actual: Expr,
                        year: Optional[int], levels: Optional[Levels], settings: Settings) -> Optional[LevelScore]:
    """附件1 "18%以上" against "252.78亿元": scored when 基础数据 has last year's level."""
    if year is None or not growth_target_level_actual(name, target, actual):
        return None
    target_text, actual_text = texts
    base = find_level(levels, name, year - 1)
    entry = GrowthVsLevel(name, row, year, target_text, actual_text, dict(cells))
    if base is None or base.value is None:
        ask = _ask_for_base(name, target_text, actual_text, cells, levels, base, year - 1)
        return LevelScore(entry, None, base, (ask,))
    if not base.level.base:
        ev = Evaluation("higher", "growth", None, "not_computable", f"{base.value_cell.ref}上年总量为零，无法推算增速")
        return LevelScore(entry, ev, base, ())
    growth = growth_of(actual.base, base.level.base)
    if growth.adjusted() > _MAX_GROWTH_EXPONENT:  # 1E-10 last year against 1E+15 this year: a slip, not a growth rate
        ev = Evaluation("higher", "growth", None, "not_computable",
                        f"按{base.value_cell.ref}上年总量{base.value_cell.text}推算的增速超出可核算范围，请检查两年的数值")
        return LevelScore(entry, ev, base, ())
    ev = evaluate(name, target, _shown_growth(growth), settings)
    note = f"按{base.value_cell.ref}上年总量{plain(base.value)}{base.unit_text or ''}推算，实际增长{percent(growth)}"
    ev = replace(ev, kind="growth", note=note)
    entry.cells["base"] = base.value_cell.ref
    entry.base = LevelBase(base.year, num(base.value), base.unit_text)
    entry.implied_growth, entry.status = num(growth), ev.status
    entry.computed_rate = float(ev.rate) if ev.rate is not None else None
    conflict = _same_year_conflict(name, actual, actual_text, cells, find_level(levels, name, year), year)
    return LevelScore(entry, ev, base, conflict)


def _ask_for_base(name: str, target_text: str, actual_text: str, cells: dict[str, str], levels: Optional[Levels],
                  base: Optional[LevelRow], year: int) -> Finding:
    if base is not None:
        where = base.value_cell.ref
    elif levels is not None:
        where = levels.next_free_ref()
    else:
        where = None
    place = f"请在 {where} 填写" if base is not None else (
        f"请在 {where} 起新增一行“{name}”{year}年，填写" if where else "请新增工作表“基础数据”（见 docs/levels.md），填写")
    return Finding("growth_base_missing", "info", where or cells.get("actual"),
                   f"“{name}”目标为增速（{target_text}），完成情况为总量（{actual_text}），{place}{year}年总量后即可核算")


def _same_year_conflict(name: str, actual: Expr, actual_text: str, cells: dict[str, str], same: Optional[LevelRow],
                        year: int) -> tuple[Finding, ...]:
    if same is None or same.level is None or same.level.base == actual.base:
        return ()
    return (Finding("growth_level_conflict", "warning", same.value_cell.ref,
                    f"“{name}”{year}年总量：基础数据 {same.value_cell.ref} 为{same.value_cell.text}{same.unit_text or ''}，"
                    f"附件完成情况 {cells.get('actual')} 为{actual_text}"),)


def _reference(ctx: Context, ind: IndicatorResult) -> Optional[tuple[IndicatorResult, Reference]]:
    for other in ctx.result.indicators:
        if other.sheet == ind.sheet and is_reference_name(other.name, ctx.settings):
            target, actual = exprs(other)
            return other, Reference(other.name, target, actual)
    return None


def relative_conventions(ctx: Context) -> None:
    """与经济增长同步 scored against the GDP target and against the GDP actual, side by side."""
    for ind in ctx.result.indicators:
        if ind.direction != "relative":
            continue
        found = _reference(ctx, ind)
        if found is None:
            continue
        ref_ind, ref = found
        target, actual = exprs(ind)
        conventions = {}
        for convention, basis, cell in (("target", ref_ind.target, "target"), ("actual", ref_ind.actual, "actual")):
            ev = evaluate(ind.name, target, actual, replace(ctx.settings, relative_convention=convention), ref)
            conventions[convention] = ConventionScore(basis, ref_ind.cells.get(cell), num(ev.rate), ev.status)
        ctx.entries.append(RelativeScores(ind.name, ind.row, ind.target, ind.actual, ref_ind.name,
                                          ctx.settings.relative_convention, conventions, dict(ind.cells)))


_QUALITATIVE_NOISE = ("的", "任务", "目标")


def _plain_target(text: str) -> str:
    s = normalize(text)
    for word in _QUALITATIVE_NOISE:
        s = s.replace(word, "")
    return s


def match_targets(indicators: list[IndicatorResult], targets: list[PlanTarget]) -> dict[int, PlanTarget]:
    """附件1 row index -> 附件2 target for the same indicator (name, else the same qualitative wording)."""
    out: dict[int, PlanTarget] = {}
    free = list(targets)
    if not free:
        return out
    # Every pair is compared, so each name is keyed once here rather than in every comparison.
    key = {name: name_key(name) for name in {i.name for i in indicators} | {t.name for t in targets}}
    passes = (
        lambda i, t: key[i.name] == key[t.name],
        lambda i, t: min(len(key[i.name]), len(key[t.name])) >= 4
        and (key[i.name] in key[t.name] or key[t.name] in key[i.name]),
        lambda i, t: exprs(i)[0].kind == plan_expr(t).kind == "qualitative"
        and _plain_target(i.target) == _plain_target(t.target),
    )
    for same in passes:
        for n, ind in enumerate(indicators):
            if n in out:
                continue
            hit = next((t for t in free if same(ind, t)), None)
            if hit is not None:
                out[n] = hit
                free.remove(hit)
    return out


def _core(indicators: list[IndicatorResult]) -> list[int]:
    """Rows of the 主要经济指标 category (or of the first category when none is named so)."""
    cats = [i.category for i in indicators]
    core = next((c for c in cats if c and "主要" in c), cats[0] if cats else None)
    return [n for n, c in enumerate(cats) if c == core]


def _year_of(ind: IndicatorResult) -> Optional[int]:
    return ind.parsed.year if ind.parsed is not None else None


def year_groups(indicators: list[IndicatorResult], targets: list[PlanTarget]) -> list[tuple[list[IndicatorResult], list[PlanTarget]]]:
    """Each completion year with the following year's plan only (2024 and 2025 tables beside a 2026 plan:
    2025 pairs with 2026, 2024 with nothing). Without years on both sides, everything is one group."""
    years = list(dict.fromkeys(_year_of(i) for i in indicators))
    planned = {t.year for t in targets}
    if None in years or planned == {None}:
        return [(indicators, targets)]
    return [([i for i in indicators if _year_of(i) == y], [t for t in targets if t.year == y + 1]) for y in years]


def continuity(ctx: Context) -> None:
    """This year's actual beside next year's target; core indicators with no target next year."""
    for inds, targets in year_groups(ctx.result.indicators, ctx.result.targets):
        if targets:
            _continuity(ctx, inds, targets)


def _continuity(ctx: Context, inds: list[IndicatorResult], targets: list[PlanTarget]) -> None:
    matched = match_targets(inds, targets)
    for n, t in sorted(matched.items()):
        ind = inds[n]
        _, actual = exprs(ind)
        nxt = plan_expr(t)
        gap = None
        if (actual.kind == nxt.kind == "number" and actual.unit == nxt.unit == "%" and t.direction == "higher"
                and kind_of(t.name, nxt) == "growth"):
            gap = nxt.signed_base - actual.signed_base
        ctx.entries.append(Continuity(ind.name, t.name, ind.actual, t.target, num(gap),
                                      {"actual": ind.cells.get("actual"), "next_target": t.cells.get("target")}))
        if gap is not None and abs(gap) >= ctx.settings.continuity_gap_points:
            ctx.add("growth_target_shift", "info", t.cells.get("target"),
                    f"“{t.name}”下年目标{t.target}与本年实际{ind.actual}（{ind.cells.get('actual')}）"
                    f"相差{plain(abs(gap))}个百分点，请确认目标口径")
    for n in _core(inds):
        if n not in matched:
            ind = inds[n]
            ctx.add("growth_core_missing", "info", ind.cells.get("name"),
                    f"主要指标“{ind.name}”在下年目标表中没有对应目标")
