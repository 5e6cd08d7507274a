"""Find the number claims in the draft's paragraphs.

A claim is a number with a unit ("21 家", "5.5%", "近万人", "500余场", "突破 6 亿元"), the words
that bound it (超 / 近 / 余 / 以上 / 以内), the kind of number it is (增长 → growth, 完成率 → rate,
a bare percent → share, else an amount), and the words around it that say what it counts.
Statements about completion ("全面完成", "超额完成") are claims too, without a number.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from typing import Optional

from addin.proofread.model import Claim, Paragraph
from addin.proofread.numerals import chinese_numbers
from addin.proofread.source import quantity

# Units a claim may carry, longest first (亿元 is a magnitude 亿 and the unit 元).
UNITS = ("个百分点", "百分点", "平方公里", "平方米", "立方米", "吨标准煤", "头(只)", "公里", "千米", "人次", "场次",
         "千瓦时", "千瓦", "兆瓦", "公顷", "千克", "公斤", "美元", "%", "‰", "元", "人", "个", "户", "家", "项", "所", "座",
         "处", "米", "亩", "场", "次", "吨", "斤", "头", "只", "辆", "套", "间", "张", "名", "件", "份", "批", "条", "台",
         "宗", "床", "部", "栋", "单", "笔", "例", "支", "队", "株", "棵", "MW", "kW", "km")
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MAG = "万亿|千亿|百亿|亿|千万|百万|万|千"
_SUFFIX = "以上|以内|以下|左右|上下"
# 1,589 · 5.5 · 23.1, then 万/亿, then 余/多, then the unit, then 以上/以内/左右.
_CLAIM = re.compile(
    rf"(?<![\d.A-Za-z])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<mag>{_MAG})?\s*(?P<plus>余|多)?\s*"
    rf"(?P<unit>{_UNIT})\s*(?P<suffix>{_SUFFIX})?"
)
_RANGE_AFTER = re.compile(r"\s*(?:-|—|–|~|至|到)\s*\d")
_NOT_A_QUANTITY_AFTER = re.compile(r"\s*(?:年|月|日|届|级|期|号|岁|周年)")

# Words just before the number and what they say about it, longest first.
_PREFIX_SENSE = sorted({
    "超过": "over", "超出": "over", "超": "over", "突破": "over", "逾": "over", "多于": "over", "高于": "over",
    "大于": "over", "不低于": "at_least", "不少于": "at_least", "至少": "at_least", "近": "near", "接近": "near",
    "将近": "near", "约": "about", "大约": "about", "约为": "about", "不足": "at_most", "不到": "at_most",
    "低于": "at_most", "少于": "at_most", "不超过": "at_most", "控制在": "at_most", "达到": "exact", "达": "exact",
    "高达": "exact", "多达": "exact", "为": "exact", "是": "exact",
}.items(), key=lambda kv: -len(kv[0]))
_SUFFIX_SENSE = {"以上": "at_least", "以内": "at_most", "以下": "at_most", "左右": "about", "上下": "about"}
_GROWTH_UP = ("同比增长", "同比上升", "增长", "增速", "增幅", "上升", "提高", "提升", "涨幅", "同比", "增长率")
_GROWTH_DOWN = ("同比下降", "下降", "降低", "减少", "回落", "降幅")
_CHANGE = ("较上年增加", "比上年增加", "增加", "减少", "下降", "增长", "新增加")
_TARGET_WORDS = ("目标", "计划", "预期", "力争", "确保", "争取", "任务")
STATEMENTS = ("全面完成", "均完成", "均已完成", "全部完成", "圆满完成", "超额完成", "均超额完成", "全部超额完成")
_MAJOR = "。！？；;，,：:\n\t"
_SENTENCE = "。！？；;"
_STATEMENT = re.compile("|".join(sorted(STATEMENTS, key=len, reverse=True)))
_CLAUSE_END = re.compile("[。！？；;，,]")
_SPACES = re.compile(r"\s+")
# How far around a number its words are looked for: a clause is rarely longer, and a paragraph
# of 100,000 characters must not be rescanned for each of its numbers.
WINDOW = 80
_AFTER_STOP = _MAJOR + "、（(“”\"《》"
_QUOTES = re.compile(r"[“”‘’\"《》「」『』]")
_YEAR = re.compile(r"(20\d{2})\s*年")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words at the start or end of the phrase before a number that do not name anything.
_LEAD_FILLER = re.compile(r"^(?:其中|全年|年内|全区|我区|累计|共计|共|计划|预计|成功|实现|完成|分别|同比|较上年|比上年|并|且|和|及|为|对)+")
_TAIL_FILLER = re.compile(
    r"(?:从|由|严格控制在|严格|控制在|稳定在|保持在|提升到|提高到|提升至|提高至|增长到|达到|达|为|是|累计|完成|实现|保持|"
    r"同比增长|同比下降|同比上升|同比|增长|增速|增幅|上升|下降|降低|减少|提高|提升|超过|超|突破|逾|近|约|不低于|不少于|"
    r"至少|接近|将近|大约|不足|不到|低于|高于|不超过|了|共|等|的)+$"
)


@lru_cache(maxsize=65536)
def _nfkc(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def normalized(text: str) -> tuple[str, list[int]]:
    """NFKC text (５．５％ → 5.5%) and, for each of its characters, the index in the original."""
    parts = [_nfkc(ch) for ch in text]
    out = "".join(parts)
    if len(out) == len(text):
        return out, list(range(len(text)))
    where: list[int] = []
    for i, n in enumerate(parts):
        where.extend([i] * len(n))
    return out, where


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


# Abbreviations every report uses, spelled out on both sides (names and prose) so they share words.
_ABBREVIATIONS = (("规上", "规模以上"), ("文旅", "文化旅游"))


def clean(text: str) -> str:
    """The words of a context: no quotes, spaces or digits, 规上 / 文旅 spelled out."""
    text = _QUOTES.sub("", text)
    text = re.sub(r"[\s\d.,%‰、\-•·]+", "", text)
    for short, full in _ABBREVIATIONS:
        if short in text:
            text = text.replace(short, full)
    return text


def subject_of(text: str) -> str:
    return _TAIL_FILLER.sub("", _LEAD_FILLER.sub("", clean(text)))


def find_claims(paragraphs: list[Paragraph], report_year: Optional[int] = None) -> list[Claim]:
    out: list[Claim] = []
    year = report_year
    listing_targets = False  # inside a list led in by "主要预期目标是："
    for p in paragraphs:
        year = _heading_year(p, year)
        claims = paragraph_claims(p, year)
        if listing_targets:
            claims = [replace(c, target_words=True) if c.kind != "statement" else c for c in claims]
        out.extend(claims)
        text = p.text.strip()
        if text.endswith(("：", ":")):
            listing_targets = any(w in text for w in _TARGET_WORDS)
        elif not text.endswith(("；", ";")):
            listing_targets = False
    return out


def _heading_year(p: Paragraph, year: Optional[int]) -> Optional[int]:
    """A heading or title ("二、2026年国民经济和社会发展规划", "2025年…执行情况") sets the year of what follows."""
    norm = unicodedata.normalize("NFKC", p.text).strip()
    if len(norm) <= 60 and "。" not in norm and (re.match(r"^[一二三四五六七八九十]+、", norm) or _YEAR.match(norm)):
        m = _YEAR.search(norm)
        if m:
            return int(m.group(1))
    return year


class _Marks:
    """Where clauses and sentences of one paragraph end, found once: a paragraph of 100,000
    characters with thousands of numbers must not be scanned again for each of them."""

    def __init__(self, text: str):
        self.clauses = [i for i, ch in enumerate(text) if ch in _MAJOR]
        self.sentences = [i for i, ch in enumerate(text) if ch in _SENTENCE]
        self.years = [(m.start(), m.end(), int(m.group(1))) for m in _YEAR.finditer(text)]
        self.text = text

    def clause_start(self, i: int) -> int:
        k = bisect_left(self.clauses, i)
        return self.clauses[k - 1] + 1 if k else 0

    def sentence_start(self, i: int) -> int:
        k = bisect_left(self.sentences, i)
        return self.sentences[k - 1] + 1 if k else 0

    def year_before(self, i: int, year: Optional[int]) -> Optional[int]:
        """The last year named before i as the time of what the text reports: not "2000年前",
        not a year far from the report's (a history, a plan period)."""
        k = bisect_left(self.years, (i,))
        for start, end, y in reversed(self.years[max(0, k - 8):k]):
            if self.text[end:end + 1] in ("前", "以", "起", "后") or (year is not None and abs(y - year) > 3):
                continue
            return y
        return None


def paragraph_claims(p: Paragraph, year: Optional[int]) -> list[Claim]:
    text, where = normalized(p.text)
    marks = _Marks(text)
    topic = text.split("。", 1)[0] if "。" in text[:40] else ""
    topic = clean(topic if not p.context else p.context)
    claims: list[Claim] = []
    prev_end, prev_start, prev = 0, 0, None
    for m, value, sense, prefix_start in _number_spans(text):
        start, end = m.start("num"), m.end()
        unit_text = (m.group("mag") or "") + m.group("unit")
        q = quantity(value + unit_text)
        if q is None:
            continue
        clause_start = max(marks.clause_start(prefix_start), prefix_start - WINDOW)
        same_clause = prev is not None and prev_end > clause_start
        before = text[max(clause_start, prev_end):prefix_start]
        after = _after(text, end)
        kind = _kind(before, m, prev if same_clause else None)
        subject = subject_of(after) if cjk_count(subject_of(after)) >= 2 else subject_of(before)
        near = clean(before) + "|" + clean(after)
        fallback = ""
        if same_clause:
            earlier = text[clause_start:prev_start]
            if cjk_count(subject) < 2:  # 地区生产总值增长5.5%、达1505.02亿元: the subject is the earlier number's
                subject, near = subject_of(earlier), near + "|" + clean(earlier)
            elif cjk_count(subject) < 4:  # 新签约区外投资项目85个、落地74个
                fallback = clean(earlier)
        elif (kind == "growth" and cjk_count(subject) < 2 and prev is not None
              and prev_end > marks.sentence_start(prefix_start)):
            # 年内计划完成投资358亿元，同比增长5.4%: a bare growth after a comma is the earlier amount's
            subject, near = prev.subject, near + "|" + prev.near
        if p.context and cjk_count(subject) < 2:
            subject, near = "", near + "|" + clean(p.context)  # a table cell: its row says what it is
        if kind == "growth" and (is_down(before) or (cjk_count(clean(before)) == 0 and same_clause
                                                     and prev.kind == "growth" and prev.quantity.down)):
            q = replace(q, down=True)
        sentence = text[max(marks.sentence_start(start), start - 2 * WINDOW):end]
        claims.append(Claim(
            p.index, p.order, where[start], where[end - 1] + 1, p.text[where[prefix_start]:where[end - 1] + 1],
            q, sense, kind, near, subject, fallback, topic, marks.year_before(start, year) or year,
            bool(p.context) or any(w in sentence for w in _TARGET_WORDS), None, _SPACES.sub("", text[start:end]),
            _SPACES.sub("", text[max(0, start - 8):start])[-3:], _SPACES.sub("", text[end:end + 8])[:3],
        ))
        prev_end, prev_start, prev = end, prefix_start, claims[-1]
    claims.extend(_statements(p, text, where, marks, year))
    return claims


def _number_spans(text: str):
    """(match, value text, sense, where the bound word starts) for each number with a unit:
    digits first (1,589 · 5.5 · 23.1万), then Chinese numerals (近八千人, 三成) where no digits are."""
    found = []
    taken: set[int] = set()
    for m in _CLAIM.finditer(text):
        if _RANGE_AFTER.match(text, m.end("num")) or _ends_range(text, m.start()):
            continue
        if _NOT_A_QUANTITY_AFTER.match(text, m.end("num")) or text[max(0, m.start() - 1):m.start()] == "第":
            continue
        found.append((m, m.group("num").replace(",", "")))
        taken.update(range(m.start(), m.end()))
    for span in chinese_numbers(text, _UNIT, _SUFFIX):
        if span.start() not in taken and span.end() - 1 not in taken:
            found.append((span, span.value))
    out = []
    for m, value in found:
        sense, prefix_start = "exact", m.start()
        before = text[max(0, m.start() - 8):m.start()].rstrip()
        for word, word_sense in _PREFIX_SENSE:
            if before.endswith(word):
                sense, prefix_start = word_sense, max(0, m.start() - 8) + len(before) - len(word)
                break
        if m.group("suffix"):
            sense = _SUFFIX_SENSE[m.group("suffix")] if sense in ("exact", "at_least", "at_most") else sense
        if m.group("plus"):
            sense = "plus"
        if getattr(m, "sense", None):
            sense = m.sense  # 过半
        out.append((m, value, sense, prefix_start))
    out.sort(key=lambda f: f[0].start())
    return out


def _ends_range(text: str, start: int) -> bool:
    return re.search(r"\d\s*(?:-|—|–|~|至)\s*$", text[max(0, start - 6):start]) is not None


def _after(text: str, end: int) -> str:
    stop, limit = end, min(len(text), end + WINDOW)
    while stop < limit and text[stop] not in _AFTER_STOP and not text[stop].isdigit():
        stop += 1
    return text[end:stop]


def _kind(before: str, m, prev: Optional[Claim]) -> str:
    tail = re.sub(r"\s+", "", before)
    for word, _ in _PREFIX_SENSE:
        if tail.endswith(word) and word not in ("为",):
            tail = tail[: -len(word)]
            break
    unit = m.group("unit")
    if "完成率" in tail[-8:]:
        return "rate"
    if tail.endswith(("从", "由")):
        return "baseline"
    if unit in ("百分点", "个百分点"):
        return "change"
    if unit in ("%", "‰"):
        if tail.endswith(_GROWTH_UP + _GROWTH_DOWN):
            return "growth"
        if cjk_count(clean(tail)) == 0 and prev is not None and prev.kind == "growth":
            return "growth"  # 分别下降24.7%、31.4%
        return "share"
    if tail.endswith(_CHANGE):
        return "change"
    return "amount"


def is_down(claim_text_before: str) -> bool:
    tail = re.sub(r"\s+", "", claim_text_before)
    return tail.endswith(_GROWTH_DOWN)


def _statements(p: Paragraph, text: str, where: list[int], marks: _Marks, year: Optional[int]) -> list[Claim]:
    out = []
    for m in _STATEMENT.finditer(text):  # longest first: 均超额完成 is one statement, not also 超额完成
        clause_start = max(marks.clause_start(m.start()), m.start() - WINDOW)
        clause_end = min(_next_mark(text, m.end()), m.end() + WINDOW)
        before, after = text[clause_start:m.start()], text[m.end():clause_end]
        out.append(Claim(p.index, p.order, where[m.start()], where[m.end() - 1] + 1,
                         p.text[where[m.start()]:where[m.end() - 1] + 1], None, "exact", "statement",
                         clean(before) + "|" + clean(after), "", "", "", year, False, m.group()))
    return out


def _next_mark(text: str, i: int) -> int:
    m = _CLAUSE_END.search(text, i)
    return m.start() if m else len(text)
