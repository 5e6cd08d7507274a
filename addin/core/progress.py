"""Mid-year progress (``check --as-of DATE``): cumulative targets against elapsed time.

"双过半": by 30 June half the year has passed, so at least half of each
cumulative target (9000人, 472公里 ...) should be done. Time is counted in
months as statistical reporting does, so 30 June is exactly 50%.
"""
from __future__ import annotations

import argparse
import calendar
import dataclasses
import re
from datetime import date
from decimal import Decimal

from addin.core.evaluate import scales, units_compatible
from addin.core.growth_compare import exprs
from addin.core.growth_entries import HUNDRED, Progress, num
from addin.common.model import CheckResult, Finding
from addin.common.rounding import percent
from addin.core.parse import Expr
from addin.common.settings import DEFAULT, Settings


# A date written with numbers: 2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日 (also --date's test).
NUMERIC_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")


def parse_as_of(text: str) -> date:
    """argparse ``type=``: '2026-06-30' (also 2026/6/30, 2026年6月30日)."""
    m = NUMERIC_DATE.fullmatch(text or "")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except (AttributeError, ValueError):
        raise argparse.ArgumentTypeError(f"日期“{text}”无法识别，应为 YYYY-MM-DD（如 2026-06-30）") from None


def elapsed_percent(as_of: date) -> Decimal:
    """Share of the year gone by the end of ``as_of``, in percent: 30 June -> 50."""
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    months = Decimal(as_of.month - 1) + Decimal(as_of.day) / Decimal(days)
    return months / 12 * HUNDRED


def _cumulative(target: Expr, actual: Expr) -> bool:
    return (target.kind == "number" and actual.kind == "number" and bool(target.base)
            and units_compatible(target, actual)[0])


def progress_checks(result: CheckResult, as_of: date, settings: Settings = DEFAULT) -> tuple[list[Progress], list[Finding]]:
    elapsed = elapsed_percent(as_of)
    entries: list[Progress] = []
    findings: list[Finding] = []
    for ind in result.indicators:
        if ind.kind != "level" or ind.direction != "higher":
            continue
        target, actual = exprs(ind)
        if not _cumulative(target, actual):
            continue
        t_scale, a_scale = scales(target, actual)  # "20000" against "1万" is 50%, as the check reads it
        done = actual.value * a_scale / (target.value * t_scale) * HUNDRED
        behind = done < elapsed
        entries.append(Progress(ind.name, ind.row, as_of.isoformat(), ind.target, ind.actual, num(done), num(elapsed),
                                behind, dict(ind.cells)))
        if behind:
            half = "，未实现“双过半”" if as_of >= date(as_of.year, 6, 30) and done < 50 else ""
            findings.append(Finding(
                "growth_progress_behind", "warning", ind.cells.get("actual"),
                f"“{ind.name}”截至{as_of:%Y年%m月%d日}完成{ind.actual}，为全年目标{ind.target}的{percent(done)}，"
                f"落后于时间进度{percent(elapsed)}{half}"))
    return entries, findings


def with_progress(result: CheckResult, as_of: date, settings: Settings = DEFAULT) -> CheckResult:
    """The result with 双过半 progress entries and findings added (``--as-of``): a new
    CheckResult; the checked one is left as the check made it."""
    entries, findings = progress_checks(result, as_of, settings)
    return dataclasses.replace(result, growth=[*result.growth, *entries], findings=[*result.findings, *findings],
                               meta=dataclasses.replace(result.meta, as_of=as_of.isoformat()))
