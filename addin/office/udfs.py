"""Worksheet functions: =PLAN_RATE(目标, 完成情况[, 指标名称]), =PLAN_STATUS(...), =PLAN_PARSE(目标).

Their VBA wrappers are generated into the add-in's own module when PlanReport.xlam is
built (addin/office/xlam.py), the shape xlwings' ImportPythonUDFsToAddin produces, so
the functions work in every workbook with no import step and no trust setting.

A cell reference arrives as the cell itself (value and number format), read through
the reader's own conversion (grid_from_values): a 5.5% cell is "5.5%" here exactly as
in 核算结果, TRUE is "TRUE", 1e-05 is "0.00001". ``planreport.toml`` beside the
workbook applies, as it does for 核对数据. A literal argument ("8%左右") is its text.
"""
from __future__ import annotations

import functools
import inspect
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import xlwings as xw

from addin.common.errors import PlanReportError
from addin.common.settings import CONFIG_NAME, DEFAULT, Settings, load_settings
from addin.core.evaluate import evaluate_pair
from addin.core.parse import parse
from addin.office.paths import local_path
from addin.workbook.read.grid import grid_from_values
from addin.workbook.writeback.results_sheet import STATUS_TEXT  # the words 核算结果 shows, so the two agree

KIND_TEXT = {"number": "数值目标", "range": "区间目标", "relative": "相对目标", "qualitative": "定性目标", "empty": "空", "invalid": "无法识别"}
BOUND_TEXT = {"floor": "不低于", "ceiling": "不高于", "about": "左右", "exact": ""}
GROWTH_TEXT = {"up": "增长", "down": "下降"}
CATEGORY = "计划执行报告"  # the function wizard's category
ARG_DOCS = {
    "target": "目标：单元格或文本，例如 “8%左右”“3亿元”",
    "actual": "完成情况：单元格或文本，例如 5.5%（按单元格显示的格式读取）",
    "indicator": "指标名称（可选）：用于判断越低越好的指标，如“城镇调查失业率”",
}
SINGLE_CELL = "请引用单个单元格"


class CellArg:
    """xlwings converter: a cell reference as its Range, a literal as its value.

    xlwings' own "range" converter turns a literal argument (=PLAN_RATE("8%左右", ...))
    into None; this keeps it. xlwings calls ``reader(options)`` and runs the stages.
    """

    @staticmethod
    def keep_range(ctx) -> None:
        if ctx.range is not None:
            ctx.value = ctx.range

    @classmethod
    def reader(cls, options):
        from xlwings.conversion.framework import Pipeline

        return Pipeline().append_stage(cls.keep_range)


def _is_range(arg: Any) -> bool:
    return hasattr(arg, "number_format") and hasattr(arg, "sheet")


def _text(value: Any, number_format: Optional[str] = None) -> str:
    """A value (and its number format) as text, the way the reader turns the same cell into text."""
    rows = grid_from_values("", [[value]], [[number_format]]).rows
    return rows[0][0].text if rows else ""


def _arg_text(arg: Any) -> str:
    if not _is_range(arg):
        return _text(arg)
    value = arg.options(err_to_str=True).value
    if isinstance(value, list):
        raise PlanReportError(SINGLE_CELL)
    return _text(value, arg.number_format)


@functools.lru_cache(maxsize=32)
def _settings_at(config: Path, mtime_ns: int) -> Settings:
    return load_settings(config=config)


def _settings(*args: Any) -> Settings:
    """planreport.toml beside the calling cells' workbook; the defaults for literals only."""
    for arg in args:
        if _is_range(arg):
            book = local_path(str(arg.sheet.book.fullname))
            config = book.parent / CONFIG_NAME if book else None
            if config is not None and config.is_file():
                # keyed on the file's mtime: an edited planreport.toml applies at the next recalculation
                return _settings_at(config, config.stat().st_mtime_ns)
            return DEFAULT
    return DEFAULT


def _evaluate(target: Any, actual: Any, indicator: Any):
    return evaluate_pair(_arg_text(target), _arg_text(actual), _settings(target, actual, indicator),
                         name=_arg_text(indicator))


def rate_fraction(rate: Optional[Decimal]) -> Optional[float]:
    """68.75 (percent) -> 0.6875, so the cell shows 68.75% under a percent format."""
    return None if rate is None else float(rate / 100)


def describe(target_text: str) -> str:
    expr = parse(target_text)
    if expr.error:
        return f"无法识别：{expr.error}"
    parts = [KIND_TEXT.get(expr.kind, expr.kind)]
    if expr.growth:
        parts.append(GROWTH_TEXT[expr.growth])
    if expr.value is not None:
        parts.append(f"数值 {expr.value}{expr.unit_text or expr.unit or ''}")
    if expr.low is not None or expr.high is not None:
        parts.append(f"区间 {expr.low}～{expr.high}{expr.unit_text or expr.unit or ''}")
    if BOUND_TEXT.get(expr.bound):
        parts.append(BOUND_TEXT[expr.bound])
    if expr.approx:
        parts.append("约数")
    if expr.reference:
        parts.append(f"参照 {expr.reference}")
    return "；".join(parts)


def _cell_message(func):
    """A function's problem as text in its cell (one Chinese line), never a Python error."""

    @functools.wraps(func)
    def run(*args):
        try:
            return func(*args)
        except PlanReportError as exc:
            return str(exc)

    return run


def worksheet_function(func):
    """xlwings' decorators with every argument taken as CellArg and documented from ARG_DOCS."""
    for name in reversed(inspect.signature(func).parameters):
        func = xw.arg(name, CellArg, doc=ARG_DOCS[name])(func)
    return xw.func(category=CATEGORY)(func)


@worksheet_function
@_cell_message
def PLAN_RATE(target, actual, indicator=None):
    """完成率（小数，设置为百分比格式显示），与“核算结果”的算法相同；无法核算时为空。"""
    return rate_fraction(_evaluate(target, actual, indicator).rate)


@worksheet_function
@_cell_message
def PLAN_STATUS(target, actual, indicator=None):
    """已完成 / 未完成 / 无法核算，与“核算结果”的判定相同。"""
    result = _evaluate(target, actual, indicator)
    return STATUS_TEXT.get(result.status, result.status)


@worksheet_function
@_cell_message
def PLAN_PARSE(target):
    """目标的解读：类型、数值、单位、方向。"""
    return describe(_arg_text(target))


# What the add-in's VBA wraps (addin/office/xlam.py generates one Function per entry).
FUNCTIONS = (PLAN_RATE, PLAN_STATUS, PLAN_PARSE)
