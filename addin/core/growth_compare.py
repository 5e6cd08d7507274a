"""Growth checks that compare 附件1 rows: with last year's level, with the reference row, with 附件2."""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from addin.core.evaluate import Reference, evaluate, is_reference_name, kind_of
from addin.core.growth import Context, growth_of, num
from addin.core.levels import name_key
from addin.common.model import IndicatorResult, PlanTarget
from addin.common.rounding import percent, plain
from addin.core.parse import Expr, normalize, parse, target_actual, with_default_unit


def exprs(ind: IndicatorResult) -> tuple[Expr, Expr]:
    return target_actual(ind.target, ind.actual, ind.unit)


def _growth_target_level_actual(ind: IndicatorResult) -> Optional[tuple[Expr, Expr]]:
    target, actual = exprs(ind)
    if (target.is_number and target.unit == "%" and kind_of(ind.name, target) == "growth"
            and actual.kind == "number" and actual.unit not in (None, "%")):
        return target, actual
    return None


def score_growth_vs_level(ctx: Context) -> None:
    """附件1 "18%以上" against "252.78亿元": scored when 基础数据 has last year's level.

    The IndicatorResult is updated in place (computed_rate, status, kind "growth",
    note, cells["base"]) so the report and the write-back see the scored row.
    """
    year = ctx.year
    for ind in ctx.result.indicators:
        pair = _growth_target_level_actual(ind)
        if pair is None or year is None:
            continue
        target, actual = pair
        base = ctx.level(ind.name, year - 1)
        entry = {"kind": "growth_vs_level", "name": ind.name, "row": ind.row, "year": year,
                 "target": ind.target, "actual": ind.actual, "cells": dict(ind.cells)}
        ctx.entries.append(entry)
        if base is None or base.value is None:
            _ask_for_base(ctx, ind, base, year - 1)
            entry.update(base=None, implied_growth=None, computed_rate=None, status="not_computable")
            continue
        growth = growth_of(actual.base, base.level.base)
        ev = evaluate(ind.name, target, parse(percent(growth)), ctx.settings)
        ind.computed_rate = float(ev.rate) if ev.rate is not None else None
        ind.status, ind.kind = ev.status, "growth"
        ind.cells["base"] = base.value_cell.ref
        ind.note = (f"按{base.value_cell.ref}上年总量{plain(base.value)}{base.unit_text or ''}推算，"
                    f"实际增长{percent(growth)}")
        entry["cells"]["base"] = base.value_cell.ref
        entry.update(base={"year": base.year, "value": num(base.value), "unit": base.unit_text},
                     implied_growth=num(growth), computed_rate=ind.computed_rate, status=ind.status)
        _check_same_year(ctx, ind, actual)
        if ind.reported_rate is not None and ind.computed_rate is not None and ind.reported_rate != ind.computed_rate:
            ctx.add("growth_rate_mismatch", ctx.settings.rate_mismatch_severity, ind.cells.get("rate"),
                    f"“{ind.name}”填报完成率 {percent(ind.reported_rate)}，"
                    f"按上年总量推算的增速核算应为 {percent(ind.computed_rate)}")


def _ask_for_base(ctx: Context, ind: IndicatorResult, base, year: int) -> None:
    if base is not None:
        where = base.value_cell.ref
    elif ctx.levels is not None:
        where = ctx.levels.next_free_ref()
    else:
        where = None
    place = f"请在 {where} 填写" if base is not None else (
        f"请在 {where} 起新增一行“{ind.name}”{year}年，填写" if where else "请新增工作表“基础数据”（见 docs/levels.md），填写")
    ctx.add("growth_base_missing", "info", where or ind.cells.get("actual"),
            f"“{ind.name}”目标为增速（{ind.target}），完成情况为总量（{ind.actual}），{place}{year}年总量后即可核算")


def _check_same_year(ctx: Context, ind: IndicatorResult, actual: Expr) -> None:
    same = ctx.level(ind.name, ctx.year)
    if same is not None and same.level is not None and same.level.base != actual.base:
        ctx.add("growth_level_conflict", "warning", same.value_cell.ref,
                f"“{ind.name}”{ctx.year}年总量：基础数据 {same.value_cell.ref} 为{same.value_cell.text}{same.unit_text or ''}，"
                f"附件完成情况 {ind.cells.get('actual')} 为{ind.actual}")


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
            conventions[convention] = {"basis": basis, "basis_cell": ref_ind.cells.get(cell),
                                       "rate": num(ev.rate), "status": ev.status}
        ctx.entries.append({
            "kind": "relative", "name": ind.name, "row": ind.row, "target": ind.target, "actual": ind.actual,
            "reference": ref_ind.name, "scored": ctx.settings.relative_convention, "conventions": conventions,
            "cells": dict(ind.cells),
        })


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
    passes = (
        lambda i, t: name_key(i.name) == name_key(t.name),
        lambda i, t: min(len(name_key(i.name)), len(name_key(t.name))) >= 4
        and (name_key(i.name) in name_key(t.name) or name_key(t.name) in name_key(i.name)),
        lambda i, t: parse(i.target).kind == parse(t.target).kind == "qualitative"
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


def continuity(ctx: Context) -> None:
    """This year's actual beside next year's target; core indicators with no target next year."""
    inds, targets = ctx.result.indicators, ctx.result.targets
    if not targets:
        return
    matched = match_targets(inds, targets)
    for n, t in sorted(matched.items()):
        ind = inds[n]
        _, actual = exprs(ind)
        nxt = with_default_unit(parse(t.target), t.unit)
        gap = None
        if (actual.kind == nxt.kind == "number" and actual.unit == nxt.unit == "%" and t.direction == "higher"
                and kind_of(t.name, nxt) == "growth"):
            gap = nxt.signed_base - actual.signed_base
        ctx.entries.append({
            "kind": "continuity", "name": ind.name, "next_name": t.name, "actual": ind.actual,
            "next_target": t.target, "gap_points": num(gap),
            "cells": {"actual": ind.cells.get("actual"), "next_target": t.cells.get("target")},
        })
        if gap is not None and abs(gap) >= ctx.settings.continuity_gap_points:
            ctx.add("growth_target_shift", "info", t.cells.get("target"),
                    f"“{t.name}”下年目标{t.target}与本年实际{ind.actual}（{ind.cells.get('actual')}）"
                    f"相差{plain(abs(gap))}个百分点，请确认目标口径")
    for n in _core(inds):
        if n not in matched:
            ind = inds[n]
            ctx.add("growth_core_missing", "info", ind.cells.get("name"),
                    f"主要指标“{ind.name}”在下年目标表中没有对应目标")
