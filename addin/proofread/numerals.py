"""Numbers written in Chinese numerals: 近八千人, 两千余人, 近万人, 超千人, 近百亿元, 三成, 一半.

Reports write round and approximate figures this way, and a hidden change from 近万人 to
近八千人 must be read as a number like any other. A numeral becomes a claim only when it
cannot be an idiom: it carries a magnitude (十百千万亿), or a bound word (近/超/约 …, 余/多,
以上/左右) goes with it. "四个最严" "两个10%以上增长" "一件事" "三大商圈" "第十七届" are not claims.
成 counts tenths (三成 = 30%), 一半 / 半数 is 50%, 过半 is more than 50%.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator, Optional

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
# Words right before a numeral that bound it: with one of them even 两个 is a number ("近两个").
_BOUND_BEFORE = ("近", "超", "逾", "约", "超过", "突破", "接近", "将近", "不足", "不到", "不少于", "不低于", "至少", "达到", "达")
# 成 in words that are not tenths: 成功 成为 成立 成果 成员 成效 成交 成绩 成熟 成长 成型 成都 成品 成本 成就.
_TENTHS = re.compile(r"(?<![" + _NUMERAL + r"\d第])(?P<num>[一二两三四五六七八九])成(?![功为立果员效交绩熟长型都品本就])"
                     r"\s*(?P<suffix>以上|以内|以下|左右)?")
_HALF = re.compile(r"(?P<num>一半|过半|半数)\s*(?P<suffix>以上|以内|以下|左右)?")


@dataclass(frozen=True)
class Span:
    """A numeral found in text, answering the re.Match calls claims.py makes (start, end, group)."""

    begin: int
    stop: int
    groups: dict = field(default_factory=dict)  # name -> (start, end, text)
    value: str = ""  # the number in digits, before the magnitude in groups["mag"]: 近八千人 -> "8000"
    sense: Optional[str] = None  # 过半: more than half, whatever the words before say

    def start(self, name: Optional[str] = None) -> int:
        return self.begin if name is None else self.groups[name][0]

    def end(self, name: Optional[str] = None) -> int:
        return self.stop if name is None else self.groups[name][1]

    def group(self, name: str) -> Optional[str]:
        hit = self.groups.get(name)
        return hit[2] if hit is not None and hit[2] else None


def to_int(numeral: str) -> Optional[int]:
    """两千 -> 2000, 九千四百四十八 -> 9448, 十二万 -> 120000, 万 -> 10000; None when not a numeral."""
    total, section, number = 0, 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _SMALL:
            section += (number or 1) * _SMALL[ch]
            number = 0
        elif ch == "万":  # 十二万: the section before it, in ten-thousands
            total += (section + number or 1) * _BIG[ch]
            section = number = 0
        elif ch == "亿":  # 一亿二千万: everything before it, in hundred-millions
            total = (total + section + number or 1) * _BIG[ch]
            section = number = 0
        else:
            return None
    return total + section + number


def chinese_numbers(text: str, unit_pattern: str, suffix_pattern: str) -> Iterator[Span]:
    """Every Chinese-numeral quantity in ``text`` with its unit (claims.py's unit alternation)."""
    pattern = _pattern(unit_pattern, suffix_pattern)
    for m in pattern.finditer(text):
        numeral = m.group("num")
        n = to_int(numeral)
        if n is None or n == 0:
            continue
        bound_before = text[max(0, m.start() - 3):m.start()].endswith(_BOUND_BEFORE)
        has_digit = any(ch in _DIGITS for ch in numeral)
        # A magnitude alone is a number only after a bound word (近万人, 超千人): "亿元以上重大项目",
        # "千亿级" and "万人" in a name are not. A digit alone (两个, 四个最严) needs a bound word too.
        if not has_digit and not bound_before:
            continue
        if has_digit and len(numeral) == 1 and not (bound_before or m.group("plus") or m.group("suffix")):
            continue
        value, mag = _split_magnitude(numeral, n)
        groups = {name: (m.start(name), m.end(name), m.group(name) or "") for name in ("num", "plus", "unit", "suffix")}
        groups["mag"] = (m.end("num"), m.end("num"), mag)
        yield Span(m.start(), m.end(), groups, value)
    for m in _TENTHS.finditer(text):
        yield Span(m.start(), m.end(), _share_groups(m), str(_DIGITS[m.group("num")] * 10))
    for m in _HALF.finditer(text):
        yield Span(m.start(), m.end(), _share_groups(m), "50", "over" if m.group("num") == "过半" else None)


def _share_groups(m) -> dict:
    """三成 / 一半 read as a percent: the numeral is the number, the unit is %."""
    return {"num": (m.start("num"), m.end("num"), m.group("num")), "unit": (m.end("num"), m.end("num"), "%"),
            "suffix": (m.start("suffix"), m.end("suffix"), m.group("suffix") or "")}


_PATTERNS: dict = {}


def _pattern(unit_pattern: str, suffix_pattern: str):
    key = (unit_pattern, suffix_pattern)
    if key not in _PATTERNS:
        _PATTERNS[key] = re.compile(
            rf"(?<![{_NUMERAL}\d.第])(?P<num>[{_NUMERAL}]+)\s*(?P<plus>余|多)?\s*(?P<unit>{unit_pattern})"
            rf"\s*(?P<suffix>{suffix_pattern})?"
        )
    return _PATTERNS[key]


def _split_magnitude(numeral: str, n: int) -> tuple[str, str]:
    """(digits, 万/亿) as a statistician writes the number: 近万 -> ("1", "万"), 八千 -> ("8000", "")."""
    for mag, size in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if numeral.endswith(mag):
            return format(Decimal(n) / size, "f").rstrip("0").rstrip(".") if n % size else str(n // size), mag
    return str(n), ""
