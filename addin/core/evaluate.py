"""Completion rate and status of one indicator from its parsed target and actual.

Status (met / unmet / not_computable) is decided apart from the numeric rate:
"4%以内" against "4%以内" is met with no ratio to compute, and 5.5% against
"8%左右" has a rate (68.75) and is unmet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from decimal import Decimal
from typing import NamedTuple, Optional

from addin.common.model import Direction, Status
from addin.core.parse import Expr, normalize, parse
from addin.common.settings import DEFAULT, Settings

from addin.common.rounding import plain, round2 as round_rate  # 四舍五入 to 2 dp, one rule everywhere

HUNDRED = Decimal(100)
FULL = round_rate(HUNDRED)  # 100.00: met exactly, or met where no ratio applies
_RATIO_NAME = re.compile(r"(率|比例|比重|占比|比率|覆盖率|指数)$")
# An indicator whose name says it falls ("单位GDP能耗下降", "二氧化硫排放量下降") and whose cells are bare
# numbers (3.5 with 单位 %): both cells are sizes of a fall, not levels under a ceiling.
NAME_FALL_WORDS = ("下降", "降低", "减少", "削减", "压减", "减排", "降幅")
_NAME_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
# A rate this many orders of magnitude above 100% means a slip in a cell (1E-25 against 1E+12), not a result.
_MAX_RATE_EXPONENT = 15


class _OutOfRange(Exception):
    """A ratio too large to be a completion rate: the row is not computable, with its own note."""


def is_ratio_name(name: str) -> bool:
    """"…率", "…占比": a percent target of such an indicator is a level, not a growth rate."""
    return bool(_RATIO_NAME.search(name.strip()))


@dataclass(frozen=True, slots=True)
class Evaluation:
    direction: Direction
    kind: str  # growth | ratio | level | qualitative | relative: how the narrative should phrase it
    rate: Optional[Decimal]  # percent, rounded to 2 dp
    status: Status
    note: Optional[str] = None  # why not computable, or how it was judged, in Chinese
    exact: Optional[Decimal] = None  # the rate before rounding: a printed "89.4%" is compared with it at 1 dp

    @property
    def unrounded(self) -> Optional[Decimal]:
        return self.exact if self.exact is not None else self.rate


@dataclass(frozen=True, slots=True)
class Reference:
    """The row a relative target (与经济增长同步) is measured against."""

    name: str
    target: Expr
    actual: Expr


@lru_cache(maxsize=64)
def _any_word(words: tuple[str, ...]) -> re.Pattern:
    """One search for ``any(word in name for word in words)`` (runs per row)."""
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")


def is_reference_name(name: str, settings: Settings = DEFAULT) -> bool:
    """The row "经济增长" refers to (地区生产总值 …), for targets such as 与经济增长同步."""
    return _any_word(tuple(settings.reference_names)).search(normalize(name)) is not None


class NameTraits(NamedTuple):
    """All that scoring reads from an indicator's name: two rows whose traits, target and actual
    texts agree get the same Evaluation (the check keeps one per table for repeated pairs).
    A named tuple, not a frozen dataclass: one is made per row, and it is a memo key."""

    falls: bool  # falls_by_name: "单位GDP能耗下降"
    ceiling: bool  # one of settings.ceiling_name_words: "失业率", "能耗"
    ratio: bool  # is_ratio_name: "…率", "…占比"


def name_traits(name: str, settings: Settings = DEFAULT) -> NameTraits:
    return NameTraits(falls_by_name(name), _any_word(tuple(settings.ceiling_name_words)).search(name) is not None,
                      is_ratio_name(name))


def direction_of(name: str, target: Expr, settings: Settings = DEFAULT) -> Direction:
    return _direction(name_traits(name, settings).ceiling, target)


def _direction(ceiling_name: bool, target: Expr) -> Direction:
    if target.kind == "qualitative":
        return "qualitative"
    if target.kind == "relative":
        return "relative"
    if target.kind == "range":
        return "band"
    if target.bound == "ceiling" or target.growth == "down":
        return "lower"
    if ceiling_name:
        return "lower"
    return "higher"


def kind_of(name: str, target: Expr) -> str:
    return _kind(target, target.unit == "%" and is_ratio_name(name))  # the name is asked only when it matters


def _kind(target: Expr, ratio_name: bool) -> str:
    """``ratio_name``: whether the indicator's name is a ratio's (is_ratio_name)."""
    if target.kind in ("qualitative", "relative"):
        return target.kind
    if target.growth is not None:
        return "growth"
    if target.unit == "%":
        return "ratio" if ratio_name else "growth"
    return "level"


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    value = numerator / denominator * HUNDRED
    if value and value.adjusted() > _MAX_RATE_EXPONENT:
        raise _OutOfRange
    return value


def _rated(direction: Direction, kind: str, exact: Optional[Decimal], status: Status, note: Optional[str] = None) -> Evaluation:
    """An evaluation whose rate is ``exact`` rounded half-up to 2 dp, the unrounded rate kept beside it."""
    return Evaluation(direction, kind, None if exact is None else round_rate(exact), status, note, exact)


def _not_computable(direction: Direction, kind: str, note: str) -> Evaluation:
    return Evaluation(direction, kind, None, "not_computable", note)


def falls_by_name(name: str) -> bool:
    """"单位GDP能耗下降", "氨氮排放量下降（%）": the name itself says the indicator is a fall."""
    return _NAME_BRACKETS.sub("", normalize(name)).endswith(NAME_FALL_WORDS)


def directed_by_name(name: str, target: Expr, actual: Expr) -> tuple[Expr, Expr]:
    """Bare percent numbers under a name that falls become falls: target 3.5, actual 2.9 under
    "单位GDP能耗下降" is a fall of 2.9 against a planned fall of 3.5 (unmet), not 2.9 under a ceiling."""
    return _directed(falls_by_name(name), target, actual)


def _directed(falls: bool, target: Expr, actual: Expr) -> tuple[Expr, Expr]:
    if not (falls and target.kind == "number" and target.growth is None
            and target.bound != "ceiling" and target.unit in (None, "%")):
        return target, actual
    if actual.kind == "number" and actual.growth is None and actual.bound != "ceiling":
        actual = replace(actual, growth="down")
    return replace(target, growth="down"), actual


_NEGATIVE = ("未", "没有", "尚未", "否", "不能", "无法", "延期", "滞后")
_DONE = ("完成", "已完成", "达标", "实现", "建成", "是", "√", "✓", "已")


def _qualitative(target: Expr, actual: Expr, direction: Direction) -> Evaluation:
    if actual.kind != "qualitative":
        return _not_computable(direction, "qualitative", "目标为定性表述，完成情况为数值，无法核算")
    t, a = _plain(target.text), _plain(actual.text)
    if any(word in a for word in _NEGATIVE):
        return Evaluation(direction, "qualitative", Decimal(0), "unmet", "完成情况表述为未完成")
    # "国际收支基本平衡" against "进出口量稳质升，国际收支基本平衡" covers only half the target: not judged.
    if t == a or t in a or a in _DONE:
        return Evaluation(direction, "qualitative", FULL, "met", "完成情况与目标表述一致")
    return _not_computable(direction, "qualitative", "定性目标的完成情况无法判断，请人工确认")


def _plain(text: str) -> str:
    return re.sub(r"^(全年|年内|已经|已)", "", normalize(text)).rstrip("。")


def _relative(target: Expr, actual: Expr, reference: Optional[Reference], settings: Settings) -> Evaluation:
    if reference is None:
        return _not_computable("relative", "relative", f"未找到“{target.reference}”对应的参照指标（如地区生产总值）")
    basis = reference.target if settings.relative_convention == "target" else reference.actual
    which = "预期目标" if settings.relative_convention == "target" else "实际增速"
    if basis.kind == "range":
        # "5%—5.5%": moving with the economy means at least its lower bound.
        basis = replace(basis, kind="number", value=basis.low, bound="floor")
        which += "下限"
    if not basis.is_number or not basis.base:
        return _not_computable("relative", "relative", f"参照指标“{reference.name}”的{which}不是数值")
    if actual.kind != "number" or actual.unit not in (None, basis.unit):
        return _not_computable("relative", "relative", "完成情况不是与参照指标同单位的数值")
    ref, value = basis.signed_base, actual.signed_base
    floor = ref * (1 - settings.about_tolerance) if target.bound == "about" else ref
    status: Status = "met" if value >= floor else "unmet"
    note = f"对照{reference.name}{which}{basis.text}" + (f"（{plain(basis.value)}{basis.unit_text or ''}）" if "下限" in which else "")
    return _rated("relative", "relative", _ratio(value, ref), status, note)


def evaluate(name: str, target: Expr, actual: Expr, settings: Settings = DEFAULT, reference: Optional[Reference] = None) -> Evaluation:
    return evaluate_traits(name_traits(name, settings), target, actual, settings, reference)


def evaluate_traits(name: NameTraits, target: Expr, actual: Expr, settings: Settings = DEFAULT,
                    reference: Optional[Reference] = None) -> Evaluation:
    """``evaluate`` for a name already reduced to what scoring reads from it (name_traits)."""
    target, actual = _directed(name.falls, target, actual)
    if actual.reached:  # an actual "降至13%" is where the level now stands, not a bound on it
        actual = replace(actual, bound="exact")
    direction = _direction(name.ceiling, target)
    kind = _kind(target, name.ratio)
    try:
        ev = _evaluate(name, target, actual, direction, kind, settings, reference)
    except _OutOfRange:
        return _not_computable(direction, kind, "完成率超出可核算范围，请检查目标与完成情况的数值")
    if target.stretch is not None and ev.status in ("met", "unmet"):
        ev = replace(ev, note=_with_stretch(name, target.stretch, actual, ev.note, settings))
    return ev


def _evaluate(name: NameTraits, target: Expr, actual: Expr, direction: Direction, kind: str, settings: Settings,
              reference: Optional[Reference]) -> Evaluation:
    if target.kind == "empty":
        return _not_computable(direction, kind, "目标为空")
    if target.kind == "pending":
        return _not_computable(direction, kind, f"目标尚未确定（“{target.text}”）")
    if target.kind == "invalid":
        return _not_computable(direction, kind, f"无法识别的目标“{target.text}”")
    if actual.kind == "empty":
        return _not_computable(direction, kind, "完成情况尚未填报")
    if actual.kind == "pending":
        return _not_computable(direction, kind, f"数据尚未发布（“{actual.text}”）")
    if actual.kind == "invalid":
        return _not_computable(direction, kind, f"无法识别的完成情况“{actual.text}”")
    if target.kind == "qualitative":
        return _qualitative(target, actual, direction)
    if target.kind == "relative":
        return _relative(target, actual, reference, settings)
    if actual.kind in ("qualitative", "relative"):
        return _not_computable(direction, kind, "目标为数值，完成情况为文字表述，无法核算")
    if actual.kind == "range":
        return _range_actual(name, target, actual, direction, kind, settings)
    return _numeric(name, target, actual, direction, kind, settings)


def _with_stretch(name: NameTraits, stretch: Expr, actual: Expr, note: Optional[str], settings: Settings) -> str:
    """"7%以上，力争8%" is scored against 7%; the note says whether the 8% was reached too."""
    reached = _evaluate(name, replace(stretch, bound="floor"), actual, "higher", "growth", settings, None).status == "met"
    said = f"力争目标{stretch.text}{'已实现' if reached else '未实现'}"
    return f"{note}；{said}" if note else said


def _range_actual(name: NameTraits, target: Expr, actual: Expr, direction: Direction, kind: str, settings: Settings) -> Evaluation:
    """"4.8%到5.1%" against "5.5%以内": judged when both ends give the same answer."""
    ends = [_numeric(name, target, replace(actual, kind="number", value=v, low=None, high=None), direction, kind, settings)
            for v in (actual.low, actual.high)]
    if ends[0].status == ends[1].status != "not_computable":
        exact = ends[0].unrounded if ends[0].rate == ends[1].rate else None
        said = "两端均达到目标" if ends[0].status == "met" else "两端均未达到目标"
        return _rated(direction, kind, exact, ends[0].status, f"完成情况为区间（{actual.text}），{said}")
    return _not_computable(direction, kind, f"完成情况为区间（{actual.text}），两端结论不同，无法核算")


def units_compatible(target: Expr, actual: Expr) -> tuple[bool, Optional[str]]:
    """(comparable, why not). A missing unit on either side takes the other's."""
    if target.unit is None or actual.unit is None or target.unit == actual.unit:
        return True, None
    if {target.unit, actual.unit} == {"%", "百分点"}:
        return False, "points_vs_level"
    if "%" in (target.unit, actual.unit):
        return False, "growth_vs_level"
    return False, "unit_mismatch"


def scales(target: Expr, actual: Expr) -> tuple[Decimal, Decimal]:
    """Each side's scale to base units; a side with no unit is read in the other's
    ("9448" beside "9000人以上", "2" beside "3亿元")."""
    t_scale = target.scale if target.unit is not None or actual.unit is None else actual.scale
    a_scale = actual.scale if actual.unit is not None or target.unit is None else target.scale
    return t_scale, a_scale


def _numeric(name: NameTraits, target: Expr, actual: Expr, direction: Direction, kind: str, settings: Settings) -> Evaluation:
    ok, why = units_compatible(target, actual)
    if not ok:
        if why == "growth_vs_level":
            return _not_computable(direction, kind, f"目标为增速（{target.text}），完成情况为总量（{actual.text}），需上年基数才能核算")
        if why == "points_vs_level":
            return _not_computable(direction, kind, f"目标为提高百分点（{target.text}），完成情况为比重（{actual.text}），需上年数值才能核算")
        return _not_computable(direction, kind, f"目标单位（{target.unit_text}）与完成情况单位（{actual.unit_text}）不一致")
    t_scale, a_scale = scales(target, actual)
    if target.kind == "range":
        return _band(name, target, actual, t_scale, a_scale, kind, settings)
    t = target.value * t_scale
    a = actual.value * a_scale
    if target.growth == "down":
        # "降低2.5%" against "下降3.8%": the size of the fall is what is scored.
        if actual.growth != "down" and actual.value != 0:
            return Evaluation(direction, kind, None, "unmet", "目标为下降，实际为增长")
        return _higher(t, a, target, actual, direction, kind, settings)
    a_signed = -a if actual.growth == "down" else a
    if direction == "lower":
        return _lower(t, a_signed, target, actual, kind, settings)
    return _higher(t, a_signed, target, actual, direction, kind, settings)


def _loose(actual: Expr) -> bool:
    """The actual is itself a bound or an estimate ("4%以内", "95%以上", "500余场"), as the target often is."""
    return actual.bound != "exact" or actual.approx


def _higher(t: Decimal, a: Decimal, target: Expr, actual: Expr, direction: Direction, kind: str, settings: Settings) -> Evaluation:
    if _loose(actual):
        if actual.bound in ("floor", "about") and a == t:
            return Evaluation(direction, kind, FULL, "met", "完成情况与目标表述一致")
        if actual.bound == "floor" and a > t and t > 0:
            return _rated(direction, kind, _ratio(a, t), "met", "按完成情况下限核算")
        if actual.bound == "ceiling" or actual.bound == "about":
            return _not_computable(direction, kind, f"完成情况“{actual.text}”为约数或上限表述，无法与目标比较")
    if t == 0:
        status: Status = "met" if a >= 0 else "unmet"
        return Evaluation(direction, kind, None, status, "目标为零，不计算完成率")
    rate = _ratio(a, t)
    loose = target.bound == "about" or target.approx
    floor = t * (1 - settings.about_tolerance) if loose and t > 0 else t
    return _rated(direction, kind, rate, "met" if a >= floor else "unmet")


def _lower(t: Decimal, a: Decimal, target: Expr, actual: Expr, kind: str, settings: Settings) -> Evaluation:
    if _loose(actual):
        if actual.bound == "ceiling" and a <= t:
            return Evaluation("lower", kind, FULL, "met", "完成情况与目标表述一致")
        return _not_computable("lower", kind, f"完成情况“{actual.text}”为约数或范围表述，无法与上限目标比较")
    if a <= t:
        return Evaluation("lower", kind, FULL, "met")
    if t <= 0:
        return Evaluation("lower", kind, round_rate(Decimal(0)), "unmet")
    rate = _ratio(t, a)
    loose = target.bound == "about" or target.approx
    ceiling = t * (1 + settings.about_tolerance) if loose else t
    return _rated("lower", kind, rate, "met" if a <= ceiling else "unmet")


def _band(name: NameTraits, target: Expr, actual: Expr, t_scale: Decimal, a_scale: Decimal, kind: str, settings: Settings) -> Evaluation:
    low, high = target.low * t_scale, target.high * t_scale
    a = actual.value * a_scale * (-1 if actual.growth == "down" else 1)
    if low <= a <= high:
        return Evaluation("band", kind, FULL, "met", "在目标区间内")
    ceiling_like = name.ceiling
    if a < low:
        if ceiling_like:
            return Evaluation("band", kind, FULL, "met", "低于目标区间")
        return _rated("band", kind, _ratio(a, low) if low else None, "unmet", "低于目标区间")
    if ceiling_like:
        return _rated("band", kind, _ratio(high, a) if a else None, "unmet", "高于目标区间")
    return _rated("band", kind, _ratio(a, high) if high else None, "met", "高于目标区间上限")


def evaluate_pair(target_text: str, actual_text: str, settings: Settings = DEFAULT, name: str = "") -> Evaluation:
    """One target/actual pair from text, for the worksheet functions."""
    return evaluate(name, parse(target_text), parse(actual_text), settings)
