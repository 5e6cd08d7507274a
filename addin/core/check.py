"""From the tables the reader found to indicator results and findings.

Every finding names the cell a statistician has to look at. A bad cell is a
finding, never an exception: the other rows are still computed.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Optional

from addin.core.evaluate import Evaluation, Reference, direction_of, evaluate, is_reference_name, round_rate, units_compatible
from addin.common.model import Cell, CheckResult, Finding, IndicatorResult, IndicatorRow, PlanTarget, Table, WorkbookData, WorkbookMeta
from addin.common.rounding import percent
from addin.core.parse import Expr, normalize, parse, target_actual
from addin.common.settings import DEFAULT, Settings


def _text(cell: Optional[Cell]) -> str:
    return cell.text if cell is not None else ""


def _broken(cell: Optional[Cell]) -> bool:
    """The reader already reported this cell (error value, formula without a result)."""
    return cell is not None and (cell.error is not None or cell.uncached)


def _number(cell: Optional[Cell]) -> Optional[int]:
    if cell is None:
        return None
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and float(cell.value).is_integer():
        return int(cell.value)
    m = re.fullmatch(r"\d{1,9}", normalize(cell.text).rstrip(".、"))  # "1." and "1、" number rows too
    return int(m.group()) if m else None


def reported_rate(cell: Optional[Cell], computed: Optional[Decimal]) -> tuple[Optional[Decimal], bool]:
    """(the rate the workbook states, whether the cell held something that is not a rate)."""
    if cell is None or _broken(cell):
        return None, False
    expr = parse(cell.text)
    if expr.kind == "empty":
        return None, False
    if expr.kind != "number" or expr.unit not in (None, "%") or expr.growth is not None:
        return None, True
    if expr.unit == "%":
        return expr.value * expr.scale, False
    # A bare number: 0.6875 (a fraction) or 68.75 (already percent)? Take the reading
    # nearer the computed rate; without one, small numbers are fractions.
    as_fraction, as_percent = expr.value * 100, expr.value
    if computed is not None:
        return min((as_fraction, as_percent), key=lambda v: abs(v - computed)), False
    return (as_fraction if expr.value <= 10 else as_percent), False


class _Findings:
    def __init__(self, sink: list[Finding], settings: Settings):
        self.sink, self.settings = sink, settings

    def add(self, code: str, severity: str, cell: Optional[Cell], message: str) -> None:
        self.sink.append(Finding(code, severity, cell.ref if cell is not None else None, message))


def _parsed(row: IndicatorRow) -> tuple[Expr, Expr]:
    return target_actual(_text(row.target), _text(row.actual), _text(row.unit))


def _reference(table: Table, settings: Settings) -> Optional[Reference]:
    for row in table.rows:
        if is_reference_name(row.name.text, settings):
            return Reference(row.name.text, *_parsed(row))
    return None


def _cells(row: IndicatorRow) -> dict[str, str]:
    pairs = (("name", row.name), ("target", row.target), ("actual", row.actual), ("rate", row.rate), ("unit", row.unit))
    return {role: cell.ref for role, cell in pairs if cell is not None}


def _report_parse_problems(row: IndicatorRow, target: Expr, actual: Expr, out: _Findings) -> None:
    if target.kind == "invalid" and not _broken(row.target):
        out.add("unparsed_target", "error", row.target, f"无法识别的目标 \"{target.text}\"")
    elif target.kind == "empty" and not _broken(row.target):
        out.add("target_empty", "warning", row.target or row.name, f"“{row.name.text}”没有填写目标")
    wordy_actual = target.is_number and actual.kind in ("qualitative", "relative")
    if (actual.kind == "invalid" or wordy_actual) and not _broken(row.actual):
        out.add("unparsed_actual", "error", row.actual, f"无法识别的完成情况 \"{actual.text}\"")
    elif actual.kind == "empty" and not _broken(row.actual) and target.kind != "empty":
        out.add("actual_empty", "info", row.actual or row.name, f"“{row.name.text}”的完成情况尚未填报")
    if target.is_number and actual.is_number and units_compatible(target, actual)[1] == "unit_mismatch":
        out.add("unit_mismatch", "warning", row.actual, f"完成情况单位“{actual.unit_text}”与目标单位“{target.unit_text}”不一致，无法核算")


def _report_rate_problems(row: IndicatorRow, ev: Evaluation, reported: Optional[Decimal], not_a_rate: bool, out: _Findings) -> None:
    name = row.name.text
    if not_a_rate:
        out.add("unparsed_rate", "warning", row.rate, f"完成率“{row.rate.text}”不是百分数")
    if reported is not None and ev.rate is not None and round_rate(reported) != ev.rate:
        out.add(
            "rate_mismatch", out.settings.rate_mismatch_severity, row.rate,
            f"“{name}”填报完成率 {percent(round_rate(reported))}，按目标“{_text(row.target)}”与完成情况“{_text(row.actual)}”核算应为 {percent(ev.rate)}",
        )
    elif reported is not None and ev.status == "not_computable":
        out.add("rate_unverifiable", "info", row.rate, f"“{name}”填报完成率 {percent(round_rate(reported))}，但无法核算：{ev.note}")
    if row.rate is None or _broken(row.rate) or (parse(row.rate.text).kind == "empty" and not row.rate.underline):
        return
    if ev.status == "unmet" and not row.rate.underline:
        out.add("underline_mismatch", "warning", row.rate, f"“{name}”未完成目标，但完成率未加下划线")
    elif ev.status == "met" and row.rate.underline:
        out.add("underline_mismatch", "warning", row.rate, f"“{name}”已完成目标，但完成率加了下划线（下划线表示未完成）")


def check_table(table: Table, settings: Settings, findings: list[Finding]) -> list[IndicatorResult]:
    out = _Findings(findings, settings)
    reference = _reference(table, settings)
    seen: dict[str, Cell] = {}
    results = []
    for row in table.rows:
        target, actual = _parsed(row)
        _report_parse_problems(row, target, actual, out)
        key = normalize(row.name.text)
        if key in seen:
            out.add("duplicate_indicator", "warning", row.name, f"指标“{row.name.text}”与 {seen[key].ref} 重复")
        seen.setdefault(key, row.name)
        is_reference = reference is not None and row.name.text == reference.name
        ev = evaluate(row.name.text, target, actual, settings, None if is_reference else reference)
        reported, not_a_rate = reported_rate(row.rate, ev.rate)
        _report_rate_problems(row, ev, reported, not_a_rate, out)
        results.append(IndicatorResult(
            sheet=row.sheet, row=row.row, no=_number(row.no), category=row.category, name=row.name.text,
            unit=_text(row.unit) or None, target=_text(row.target), actual=_text(row.actual), direction=ev.direction,
            computed_rate=float(ev.rate) if ev.rate is not None else None,
            reported_rate=float(round_rate(reported)) if reported is not None else None,
            status=ev.status, reported_unmet=(row.rate.underline if row.rate is not None and row.rate.text else None),
            cells=_cells(row), kind=ev.kind, note=ev.note,
        ))
    return results


def plan_targets(table: Table, settings: Settings, findings: list[Finding]) -> list[PlanTarget]:
    out = _Findings(findings, settings)
    targets = []
    for row in table.rows:
        target, _ = _parsed(row)
        if target.kind == "invalid" and not _broken(row.target):
            out.add("unparsed_target", "error", row.target, f"无法识别的目标 \"{target.text}\"")
        targets.append(PlanTarget(
            sheet=row.sheet, row=row.row, no=_number(row.no), name=row.name.text, unit=_text(row.unit) or None,
            target=_text(row.target), direction=direction_of(row.name.text, target, settings), cells=_cells(row),
            category=row.category, year=table.year,
        ))
    return targets


def _meta(tables: Iterable[Table], settings: Settings) -> WorkbookMeta:
    """Title and year of the completion (附件1) and plan (附件2) tables, each from the first
    table of its kind that has one; the report's own title, issuer and date from the
    settings' [report] section."""
    tables = list(tables)

    def first(kind: str, attr: str):
        return next((getattr(t, attr) for t in tables if t.kind == kind and getattr(t, attr)), None)

    return WorkbookMeta(
        title=first("completion", "title"), year=first("completion", "year"),
        plan_title=first("plan", "title"), plan_year=first("plan", "year"),
        report_title=settings.report_title, issuer=settings.report_issuer, date=settings.report_date)


def check_data(data: WorkbookData, settings: Settings = DEFAULT) -> CheckResult:
    from addin.common.nogc import paused_gc  # 50,000 rows: the collector would walk every result built so far

    with paused_gc():
        return _check_data(data, settings)


def _check_data(data: WorkbookData, settings: Settings) -> CheckResult:
    result = CheckResult(workbook=data.path)
    result.findings.extend(data.findings)
    for table in data.tables:
        if table.kind == "completion":
            result.indicators.extend(check_table(table, settings, result.findings))
        elif table.kind == "plan":
            result.targets.extend(plan_targets(table, settings, result.findings))
    result.meta = _meta(data.tables, settings)
    from addin.core.growth import growth_checks  # 基础数据 and cross-year growth (docs/levels.md)

    result.growth, growth_findings = growth_checks(data, result, settings)
    result.findings.extend(growth_findings)
    from addin.core.reading_map import reading_map

    result.tables, result.skipped = reading_map(data)
    return result
