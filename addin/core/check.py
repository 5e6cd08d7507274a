"""From the tables the reader found to indicator results and findings.

One pass per row (``evaluate_row``): its target and actual are parsed once and
evaluated once — a growth target against a level actual with last year's level
from 基础数据 in the same pass — and only then are the row's findings issued,
from that final evaluation (``row_findings``), so a cell never carries two
stories. The parsed Exprs travel on with each result (``IndicatorResult.parsed``)
so the growth and progress checks never parse the text again.

Every finding names the cell a statistician has to look at. A bad cell is a
finding, never an exception: the other rows are still computed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Optional

from addin.common.model import (
    STATUS_WORDS, Cell, CheckResult, Finding, IndicatorResult, IndicatorRow, Parsed, PlanTarget, Table, WorkbookData,
    WorkbookMeta, column_prefix,
)
from addin.common.rounding import percent, plain
from addin.common.settings import DEFAULT, Settings
from addin.core.evaluate import (Evaluation, Reference, direction_of, evaluate_traits, is_reference_name, name_traits,
                                  round_rate, units_compatible)
from addin.core.growth import growth_checks  # 基础数据 and cross-year growth (docs/levels.md)
from addin.core.growth_compare import LevelScore, score_against_level
from addin.core.levels import Levels, read_levels
from addin.core.parse import Expr, normalize, parse, target_actual, verdict_of


def _text(cell: Optional[Cell]) -> str:
    return cell.text if cell is not None else ""


def _broken(cell: Optional[Cell]) -> bool:
    """The reader already reported this cell (error value, formula without a result)."""
    return cell is not None and (cell.error is not None or cell.uncached)


def _number(cell: Optional[Cell]) -> Optional[int]:
    if cell is None:
        return None
    if cell.value.__class__ is int and -2**53 < cell.value < 2**53:
        return cell.value  # the usual 序号, as the general test below would give it
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and float(cell.value).is_integer():
        return int(cell.value)
    m = re.fullmatch(r"\d{1,9}", normalize(cell.text).rstrip(".、"))  # "1." and "1、" number rows too
    return int(m.group()) if m else None


@dataclass(frozen=True, slots=True)
class ReportedRate:
    """The rate a workbook states, in percent, and how many decimals of it the cell shows."""

    value: Optional[Decimal]
    not_a_rate: bool = False  # the cell held something that is not a rate
    shown: int = 2
    rounded: Optional[float] = None  # value half-up to 2 dp, as the JSON gives it ...
    said: str = ""  # ... and as a message says it ("68.75%"): made once per distinct rate (see reported_rate's memo)


NO_RATE = ReportedRate(None)


def _stated(value: Decimal, shown: int) -> ReportedRate:
    rounded = round_rate(value)
    return ReportedRate(value, False, shown, float(rounded), percent(rounded))


# Memos kept per table: a table repeats its targets, rate formats and many rates, and each row's
# answers depend on nothing but the keys below. Bounded, so a table of all-different rows costs no memory.
MEMO_SIZE = 1 << 14


def _memo(memo: dict, key, make):
    got = memo.get(key)
    if got is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        got = memo[key] = make()
    return got


def reported_rate(cell: Optional[Cell], computed: Optional[Decimal], memo: Optional[dict] = None) -> ReportedRate:
    if cell is None or _broken(cell):
        return NO_RATE
    if memo is not None:  # what _reported_rate reads of the cell, and the computed rate
        key = (cell.text, cell.value.__class__, cell.number_format, computed)
        return _memo(memo, key, lambda: _reported_rate(cell, computed))
    return _reported_rate(cell, computed)


def _reported_rate(cell: Cell, computed: Optional[Decimal]) -> ReportedRate:
    expr = parse(cell.text)
    if expr.kind in ("empty", "pending"):  # "—", or "待发布" beside a figure not out yet: no rate stated
        return NO_RATE
    if expr.kind != "number" or expr.unit not in (None, "%") or expr.growth is not None:
        return ReportedRate(None, True)
    if expr.unit == "%":
        return _stated(expr.value * expr.scale, shown_decimals(cell, fraction=False))
    # A bare number: 0.6875 (a fraction) or 68.75 (already percent)? Take the reading
    # nearer the computed rate; without one, small numbers are fractions.
    as_fraction, as_percent = expr.value * 100, expr.value
    if computed is not None:
        fraction = abs(as_fraction - computed) < abs(as_percent - computed)
    else:
        fraction = expr.value <= 10
    return _stated(as_fraction if fraction else as_percent, shown_decimals(cell, fraction))


# Quoted literals, escapes and [...] sections of a number format show no digits.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_FORMAT_DECIMALS = re.compile(r"\.([0#?]+)")
_TEXT_DECIMALS = re.compile(r"\d\.(\d+)")


def shown_decimals(cell: Cell, fraction: bool) -> int:
    """Decimals of the rate, in percent, as the cell shows it (at most 2, the precision rates are kept at).

    A number takes them from its number format ("0.0%" -> 1); typed text and General numbers from
    the digits written ("89.4%" -> 1). A fraction (0.894) shows two fewer decimals of percent.
    """
    fmt = cell.number_format
    numeric = isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
    if numeric and fmt and fmt.strip().lower() != "general":
        bare = _FORMAT_LITERALS.sub("", fmt.split(";", 1)[0])
        m = _FORMAT_DECIMALS.search(bare)
        decimals = len(m.group(1)) if m else 0
        fraction = fraction and "%" not in bare
    else:
        m = _TEXT_DECIMALS.search(normalize(cell.text))
        decimals = len(m.group(1)) if m else 0
    return max(0, min(2, decimals - 2 if fraction else decimals))


def _at(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def verdict_agrees(word: str, ev: Evaluation) -> bool:
    """基本完成 ("close") agrees with unmet, and with met when the actual is short of the number and met
    only through 左右's tolerance (rate under 100%); 超额完成 is met."""
    if word == "close":
        return ev.status == "unmet" or (ev.status == "met" and ev.rate is not None and ev.rate < 100)
    return word == ev.status


class _Findings:
    def __init__(self, sink: list[Finding], settings: Settings):
        self.sink, self.settings = sink, settings
        self.memo: dict = {}  # one table's: see _memo

    def add(self, code: str, severity: str, cell: Optional[Cell], message: str) -> None:
        self.sink.append(Finding(code, severity, cell.ref if cell is not None else None, message))


def _parsed(row: IndicatorRow) -> tuple[Expr, Expr]:
    return target_actual(_text(row.target), _text(row.actual), _text(row.unit))


def _reference(parsed: list[tuple[IndicatorRow, Expr, Expr]], settings: Settings) -> Optional[Reference]:
    for row, target, actual in parsed:
        if is_reference_name(row.name.text, settings):
            return Reference(row.name.text, target, actual)
    return None


def _cells(row: IndicatorRow) -> dict[str, str]:
    number, out = str(row.row), {}
    for role, cell in (("name", row.name), ("target", row.target), ("actual", row.actual), ("rate", row.rate),
                       ("unit", row.unit), ("verdict", row.verdict)):
        if cell is not None:  # cell.ref, with the row's number made once (the cells of a row are in it, but for a unit note)
            out[role] = column_prefix(cell.sheet, cell.col) + (number if cell.row == row.row else str(cell.row))
    return out


@dataclass(slots=True)
class RowOutcome:
    """One row's single evaluation: everything its findings and its result are made from."""

    row: IndicatorRow
    target: Expr
    actual: Expr
    evaluation: Evaluation
    cells: dict[str, str]
    year: Optional[int] = None
    stated: ReportedRate = NO_RATE  # the rate the row's cell states, and the decimals it shows
    level: Optional[LevelScore] = None  # growth target against a level actual

    @property
    def from_level(self) -> bool:
        return self.level is not None and self.level.evaluation is not None


def evaluate_row(row: IndicatorRow, target: Expr, actual: Expr, reference: Optional[Reference], year: Optional[int],
                 levels: Optional[Levels], settings: Settings, memo: Optional[dict] = None) -> RowOutcome:
    """``memo``: a dict kept for one table (one reference, one settings), whose rows' ``target`` and
    ``actual`` are ``target_actual`` of their cells' texts, as check_table makes them."""
    cells = _cells(row)
    name = row.name.text
    level = score_against_level(name, row.row, cells, (_text(row.target), _text(row.actual)), target, actual,
                                year, levels, settings)
    if level is not None and level.evaluation is not None:
        ev = level.evaluation
        cells["base"] = level.base.value_cell.ref
    else:
        traits = name_traits(name, settings)
        if memo is None:
            ev = evaluate_traits(traits, target, actual, settings, reference)
        else:
            key = ("evaluation", traits, _text(row.target), _text(row.actual), _text(row.unit), reference is None)
            ev = _memo(memo, key, lambda: evaluate_traits(traits, target, actual, settings, reference))
    stated = reported_rate(row.rate, ev.rate, memo)
    return RowOutcome(row, target, actual, ev, cells, year, stated, level)


def _report_parse_problems(row: IndicatorRow, target: Expr, actual: Expr, out: _Findings) -> None:
    name = row.name.text
    if target.kind == "invalid" and not _broken(row.target):
        out.add("unparsed_target", "error", row.target, f"无法识别的目标 \"{target.text}\"")
    elif target.kind == "empty" and not _broken(row.target):
        out.add("target_empty", "warning", row.target or row.name, f"“{name}”没有填写目标")
    elif target.kind == "pending":
        out.add("target_pending", "info", row.target, f"“{name}”的目标尚未确定（“{target.text}”），确定后再核算")
    wordy_actual = target.is_number and actual.kind in ("qualitative", "relative")
    if (actual.kind == "invalid" or wordy_actual) and not _broken(row.actual):
        out.add("unparsed_actual", "error", row.actual, f"无法识别的完成情况 \"{actual.text}\"")
    elif actual.kind == "empty" and not _broken(row.actual) and target.kind not in ("empty", "pending"):
        out.add("actual_empty", "info", row.actual or row.name, f"“{name}”的完成情况尚未填报")
    elif actual.kind == "pending" and target.kind not in ("empty", "invalid"):
        out.add("actual_pending", "info", row.actual, f"“{name}”的完成情况“{actual.text}”，数据发布后再核算")
    elif target.kind == "qualitative" and actual.is_number:
        out.add("qualitative_vs_number", "info", row.actual,
                f"“{name}”目标为定性表述“{target.text}”，完成情况为数值“{actual.text}”，无法自动核算，请人工确认")
    for what, expr, cell in (("目标", target, row.target), ("完成情况", actual, row.actual)):
        if expr.is_number and expr.repeated:
            out.add("repeated_word", "warning", cell,
                    f"“{name}”的{what}“{expr.text}”中“{expr.repeated}”重复出现，已按只写一次核算，请核对原表")
    if target.is_number and actual.is_number and units_compatible(target, actual)[1] == "unit_mismatch":
        out.add("unit_mismatch", "warning", row.actual, f"完成情况单位“{actual.unit_text}”与目标单位“{target.unit_text}”不一致，无法核算")


def _report_rate_problems(o: RowOutcome, out: _Findings, underlines: bool) -> None:
    row, ev, reported = o.row, o.evaluation, o.stated.value
    name = row.name.text
    if o.stated.not_a_rate:
        out.add("unparsed_rate", "warning", row.rate, f"完成率“{row.rate.text}”不是百分数")
    words = _rate_words(reported, o.stated.shown, ev, out.memo) if reported is not None and ev.rate is not None else None
    if words is not None:
        stated, computed = words
        said = f"“{name}”填报完成率 {stated}%，"
        if o.from_level:
            out.add("growth_rate_mismatch", out.settings.rate_mismatch_severity, row.rate,
                    said + f"按上年总量推算的增速核算应为 {computed}")
        else:
            out.add("rate_mismatch", out.settings.rate_mismatch_severity, row.rate,
                    said + f"按目标“{_text(row.target)}”与完成情况“{_text(row.actual)}”核算应为 {computed}")
    elif reported is not None and ev.status == "not_computable":
        out.add("rate_unverifiable", "info", row.rate, f"“{name}”填报完成率 {o.stated.said}，但无法核算：{ev.note}")
    if row.rate is None or _broken(row.rate) or (parse(row.rate.text).kind == "empty" and not row.rate.underline):
        return
    if ev.status == "unmet" and not row.rate.underline and underlines:
        out.add("underline_mismatch", "warning", row.rate, f"“{name}”未完成目标，但完成率未加下划线")
    elif ev.status == "met" and row.rate.underline:
        out.add("underline_mismatch", "warning", row.rate, f"“{name}”已完成目标，但完成率加了下划线（下划线表示未完成）")


def _rate_words(reported: Decimal, shown: int, ev: Evaluation, memo: dict) -> Optional[tuple[str, str]]:
    """None when the stated rate agrees with the computed one at the precision the cell shows; else both
    as the message says them. A function of the numbers' values only, so kept per table (rates repeat)."""
    def words():
        if _at(reported, shown) == _at(ev.unrounded, shown):
            return ()
        return plain(_at(reported, shown)), percent(ev.rate)

    return _memo(memo, ("rate", reported, shown, ev.unrounded, ev.rate), words) or None


def _report_verdict(o: RowOutcome, out: _Findings) -> None:
    cell, ev = o.row.verdict, o.evaluation
    if cell is None or _broken(cell) or ev.status == "not_computable":
        return
    word = verdict_of(cell.text)
    if word is not None and not verdict_agrees(word, ev):
        out.add("verdict_mismatch", "warning", cell,
                f"“{o.row.name.text}”标注为“{cell.text}”，按目标“{_text(o.row.target)}”与完成情况“{_text(o.row.actual)}”"
                f"核算为{STATUS_WORDS[ev.status]}" + (f"（完成率 {percent(ev.rate)}）" if ev.rate is not None else ""))


def _report_unjudged(o: RowOutcome, out: _Findings) -> None:
    """Two wordings the check cannot weigh against each other ("国际收支基本平衡" for a two-part target): a person decides."""
    if o.target.kind == o.actual.kind == "qualitative" and o.evaluation.status == "not_computable":
        out.add("qualitative_unjudged", "info", o.row.actual,
                f"“{o.row.name.text}”目标“{o.target.text}”与完成情况“{o.actual.text}”为文字表述，无法自动判断，请人工确认")


def row_findings(o: RowOutcome, out: _Findings, underlines: bool = True) -> None:
    """Everything to say about one row, from its final evaluation only.

    ``underlines``: the table marks unmet rates by underlining (some rate in it is underlined). A table
    that underlines nothing keeps another convention (a verdict column, or none), so an unmet rate
    without an underline is no slip there; an underlined met rate still is.
    """
    _report_parse_problems(o.row, o.target, o.actual, out)
    _report_unjudged(o, out)
    _report_rate_problems(o, out, underlines)
    _report_verdict(o, out)


def _result(o: RowOutcome) -> IndicatorResult:
    row, ev, rate = o.row, o.evaluation, o.row.rate
    # In IndicatorResult's field order, not by keyword (keywords cost twice the call, 50,000 times);
    # tests/core/test_check_result_fields.py holds the order to the field names.
    return IndicatorResult(
        row.sheet, row.row, _number(row.no), row.category, row.name.text,
        _text(row.unit) or None, _text(row.target), _text(row.actual), ev.direction,
        float(ev.rate) if ev.rate is not None else None, o.stated.rounded,
        ev.status, rate.underline if rate is not None and rate.text else None,
        o.cells, ev.kind, ev.note, Parsed(o.target, o.actual, o.year),
    )


def _failed_row(row: IndicatorRow, year: Optional[int], out: _Findings) -> IndicatorResult:
    """The safety net: a row whose numbers the arithmetic cannot take is one finding, never the workbook's end."""
    out.add("row_unreadable", "error", row.target or row.name,
            f"“{row.name.text}”的目标或完成情况超出可核算范围，请检查该行数值")
    empty = parse("")
    ev = Evaluation("higher", "", None, "not_computable", "该行数值无法核算")
    return _result(RowOutcome(row, empty, empty, ev, _cells(row), year))


def check_table(table: Table, settings: Settings, findings: list[Finding], levels: Optional[Levels] = None,
                level_scores: Optional[list[LevelScore]] = None) -> list[IndicatorResult]:
    out = _Findings(findings, settings)
    parsed = [(row, *_parsed(row)) for row in table.rows]
    reference = _reference(parsed, settings)
    underlines = any(row.rate is not None and row.rate.underline for row in table.rows)
    seen: dict[str, Cell] = {}
    results = []
    memo = out.memo
    for row, target, actual in parsed:
        key = normalize(row.name.text)
        if key in seen:
            out.add("duplicate_indicator", "warning", row.name, f"指标“{row.name.text}”与 {seen[key].ref} 重复")
        seen.setdefault(key, row.name)
        is_reference = reference is not None and row.name.text == reference.name
        mark = len(findings)
        try:
            outcome = evaluate_row(row, target, actual, None if is_reference else reference, table.year, levels, settings,
                                   memo)
            row_findings(outcome, out, underlines)
            results.append(_result(outcome))
        except (ArithmeticError, ValueError):
            del findings[mark:]  # half a row's findings would tell half a story
            results.append(_failed_row(row, table.year, out))
            continue
        if outcome.level is not None and level_scores is not None:
            level_scores.append(outcome.level)
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
            category=row.category, year=table.year, parsed=Parsed(target, None, table.year),
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
    levels = read_levels(data.grids)  # before the rows: a growth target is scored against last year's level in their pass
    level_scores: list[LevelScore] = []
    for table in data.tables:
        if table.kind == "completion":
            result.indicators.extend(check_table(table, settings, result.findings, levels, level_scores))
        elif table.kind == "plan":
            result.targets.extend(plan_targets(table, settings, result.findings))
    result.meta = _meta(data.tables, settings)
    result.growth, growth_findings = growth_checks(result, levels, level_scores, settings)
    result.findings.extend(growth_findings)
    from addin.core.reading_map import reading_map

    result.tables, result.skipped = reading_map(data)
    return result
