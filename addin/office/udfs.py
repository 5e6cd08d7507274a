"""Worksheet functions: =PLAN_RATE(目标, 完成情况), =PLAN_STATUS(...), =PLAN_PARSE(目标).

Imported by the add-in's "导入工作表函数" button (xlwings "UDF Modules" =
addin.office.udfs). Thin wrappers over the same parse/evaluate the checks use, so a
cell formula and the 核算结果 sheet never disagree — with one exception Excel imposes: a
function receives a cell's value without its number format, so a percent-formatted 完成情况
(5.5% is stored as 0.055) must be passed as text, e.g. =PLAN_RATE(D3, E3*100&"%").
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

import xlwings as xw

from addin.core.evaluate import evaluate_pair
from addin.core.parse import parse
from addin.workbook.read.grid import grid_from_values
from addin.workbook.writeback.results_sheet import STATUS_TEXT  # the words 核算结果 shows, so the two agree

KIND_TEXT = {"number": "数值目标", "range": "区间目标", "relative": "相对目标", "qualitative": "定性目标", "empty": "空", "invalid": "无法识别"}
BOUND_TEXT = {"floor": "不低于", "ceiling": "不高于", "about": "左右", "exact": ""}
GROWTH_TEXT = {"up": "增长", "down": "下降"}


def _text(value: Any) -> str:
    """A value Excel hands over, as text the way the reader turns the same cell into text.

    It goes through the reader's own conversion (grid_from_values), so TRUE is "TRUE" as
    in 核算结果, not a 是 that counts as done, and 1e-05 is "0.00001". Excel passes a
    cell's value but not its number format: a 5.5% cell arrives as 0.055 and reads as the
    bare number 0.055, where the reader, seeing the percent format, reads "5.5%".
    """
    rows = grid_from_values("", [[value]]).rows
    return rows[0][0].text if rows else ""


def _evaluate(target: Any, actual: Any, name: Any):
    return evaluate_pair(_text(target), _text(actual), name=_text(name))


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


@xw.func
@xw.arg("target", doc="目标，例如 “8%左右”“3亿元”")
@xw.arg("actual", doc="完成情况，例如 “5.5%”；百分比格式的单元格请写成文本，如 E3*100&\"%\"")
@xw.arg("name", doc="指标名称（可选，用于判断越低越好的指标）")
def PLAN_RATE(target, actual, name=None):
    """完成率（小数，设置为百分比格式显示）；无法核算时为空。

    函数收不到单元格的数字格式：百分比格式的 5.5% 传入的是 0.055，按数值 0.055 核算。
    这样的完成情况请以文本传入，如 =PLAN_RATE(D3, E3*100&"%") 或 =PLAN_RATE(D3, TEXT(E3,"0.0%"))。
    """
    return rate_fraction(_evaluate(target, actual, name).rate)


@xw.func
@xw.arg("target", doc="目标")
@xw.arg("actual", doc="完成情况")
@xw.arg("name", doc="指标名称（可选）")
def PLAN_STATUS(target, actual, name=None):
    """已完成 / 未完成 / 无法核算。百分比格式的单元格请以文本传入，见 PLAN_RATE。"""
    result = _evaluate(target, actual, name)
    return STATUS_TEXT.get(result.status, result.status)


@xw.func
@xw.arg("target", doc="目标，例如 “8%左右”")
def PLAN_PARSE(target):
    """目标的解读：类型、数值、单位、方向。"""
    return describe(_text(target))
