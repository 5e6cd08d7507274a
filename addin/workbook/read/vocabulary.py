"""The header words of real appendix tables, kept as data: one table of words per role.

A statistician who meets a header PlanReport does not know adds the word here
(or names the columns in planreport.toml ``[[tables]]``); nothing else changes.
Each word is tested against the report it was taken from
(tests/workbook/test_read_vocabulary.py).

Header cells are compared in normal form (addin.common.text.normalize: full-width
to ASCII, no spaces), after taking off what real headers wrap around the word:
brackets with a unit ("年度计划投资（亿元）"), a trailing "%" ("完成计划%"), a year
("2025年目标值") and a period ("1-12月完成", "前三季度累计").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from addin.common.text import normalize

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("指标", "指标名称", "项目", "主要指标", "指标名", "项目名称", "指标项目"),
    "target": ("目标", "年度目标", "预期目标", "全年目标", "计划目标", "目标值", "年度计划目标", "年计划", "年度计划",
               "计划数", "年度计划投资", "任务数"),
    "actual": ("完成情况", "执行情况", "实际完成", "完成值", "实际值", "实际完成值", "实际完成情况", "完成数",
               "预计完成", "执行数", "预计值", "落实结果", "累计完成投资"),
    "rate": ("完成率", "完成比例", "完成进度", "目标完成率", "完成计划", "完成年度计划", "占年度计划", "占任务数"),
    # A column of printed verdicts is found by its cells (VERDICT_WORDS under 完成情况 beside another
    # value column, see headers.resolve_columns); no report seen so far heads one with a word of its own.
    "verdict": (),
    "unit": ("单位", "计量单位"),
    "no": ("序号", "编号"),
    "category": ("类别", "分类", "领域", "指标类别", "指标分类", "类型", "项目类别"),
    # Not a column the core reads, but a header word: it tells a header row from data.
    "note": ("备注", "说明", "数据来源", "来源"),
}

# Words that name the actual only behind a year or a period: "2025年完成", "1-12月完成", "前三季度累计", "1-7月完成投资".
# Bare, "完成" is a verdict a data cell holds, not a header.
PERIOD_WORDS: dict[str, str] = {"完成": "actual", "累计": "actual", "完成投资": "actual"}

# What a verdict column holds (the printed judgement beside the value).
VERDICT_WORDS: frozenset[str] = frozenset({"完成", "已完成", "未完成", "基本完成", "超额完成", "提前完成"})

# Roles a table's columns can have (the reading map's roles); "note" is only a header word.
COLUMN_ROLES = ("name", "target", "actual", "rate", "unit", "category", "no", "verdict")
# What the roles are called for a person (check --explain, messages).
ROLE_WORDS = {"name": "指标名称", "target": "目标", "actual": "完成情况", "rate": "完成率", "unit": "单位",
              "category": "类别", "no": "序号", "verdict": "完成判断"}

_WORD_ROLE = {word: role for role, words in HEADER_WORDS.items() for word in words}
BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_BRACKET_OPENERS = frozenset("（([【")
# How a year or a period can begin ("2025年", "1-12月", "12月", "N月", "前三季度", "上半年", "全年", "截至9月").
_STARTERS = frozenset("N一二三四五六七八九十前上下全年截第")
_AFTER_DIGIT = frozenset("0123456789-—–~～至到月")
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
_NUM = r"(?:\d{1,2}|N|[一二三四五六七八九十]{1,3})"
# A period before the word: 1-12月, 1—N月, 1至9月, 前三季度, 一季度, 上半年, 全年, 年内, 12月, 截至9月底.
_PERIOD_PREFIX = re.compile(
    rf"^(?:{_NUM}[-—–~～至到]{_NUM}月份?|(?:第?[一二三四1-4]|前[一二三1-3])季度|[上下]半年|全年|年内"
    rf"|截至{_NUM}月(?:底|末)?|{_NUM}月份?)")
# A unit in header brackets: short, no digits ("（亿元）", "(%)", "【万人】"), not a period "（1-12月）".
_UNIT_IN_BRACKETS = re.compile(r"[（(\[【]([^）)\]】\d]{1,6})[）)\]】]")
_UNIT_NOTE = re.compile(r"^(?:计量)?单位[:：]\s*(.+)$")
_GROUP = re.compile(rf"^(?:(?:19|20)\d{{2}}年度?)?(?:{_PERIOD_PREFIX.pattern[1:]})?$")


HEADER_WORD_LIMIT = 24  # characters


def header_role(text: str) -> Optional[str]:
    """'完 成\\n率（%）' -> 'rate', '2025年目标值' -> 'target', '1-12月完成' -> 'actual'."""
    if len(text) > HEADER_WORD_LIMIT:
        return None  # header words are short; skipping long texts keeps big sheets fast
    return _header_role(text)


# A table repeats its targets, units and words: each text's answer is worked out once.
@lru_cache(maxsize=1 << 16)
def _header_role(text: str) -> Optional[str]:
    role = _WORD_ROLE.get(text)
    if role:
        return role
    word = normalize(text)  # the text itself when it is in normal form already (most data cells)
    if not word:
        return None
    if word is not text:
        role = _WORD_ROLE.get(word)
        if role:
            return role
    if (_BRACKET_OPENERS.isdisjoint(word) and word[-1] not in "%‰" and word[0] not in _STARTERS
            and not (word[0].isdigit() and word[1:2] in _AFTER_DIGIT)):
        return None  # nothing for the bracket, year, period or unit-suffix rules to take off
    bare = BRACKETS.sub("", word).rstrip("%‰")
    for candidate in (word.rstrip("%‰"), bare):
        role = _WORD_ROLE.get(candidate)
        if role:
            return role
        rest = _YEAR_PREFIX.sub("", candidate)
        role = _WORD_ROLE.get(rest) or (PERIOD_WORDS.get(rest) if rest != candidate else None)
        if role:
            return role  # "2025年完成": a year is a period too
        period = _PERIOD_PREFIX.match(rest)
        if period and period.end() < len(rest):
            after = rest[period.end():]
            role = _WORD_ROLE.get(after) or PERIOD_WORDS.get(after)
            if role:
                return role
    return None


def is_group_word(text: str) -> bool:
    """A header cell over other header cells: '2025年', '2025年度', '1-12月', '前三季度'."""
    word = BRACKETS.sub("", normalize(text))
    return bool(word) and len(word) <= 12 and _GROUP.match(word) is not None


def bracket_unit(text: str) -> Optional[str]:
    """'年度计划投资（亿元）' -> '亿元'; '完成率（%）' -> '%'; no unit -> None."""
    m = _UNIT_IN_BRACKETS.search(normalize(text))
    return m.group(1) if m else None


def note_units(text: str) -> Optional[list[str]]:
    """'单位：亿元、%' -> ['亿元', '%'], the units a note above the table gives."""
    m = _UNIT_NOTE.match(normalize(text))
    if not m:
        return None
    units = [u for u in re.split(r"[、,，;；/]", m.group(1)) if u]
    return units or None


@lru_cache(maxsize=1 << 16)  # a column is tested cell by cell, and its texts repeat
def is_verdict(text: str) -> bool:
    return BRACKETS.sub("", normalize(text)).rstrip("。") in VERDICT_WORDS
