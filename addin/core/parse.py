"""Target and actual expressions: "8%左右", "控制在5.5%以内", "1.3万亿斤以上", "与经济增长同步".

A small grammar instead of one regex per case: the text is cut into tokens
(number, magnitude, unit, qualifier, growth word, filler) by one longest-match
scanner, and the tokens are then read as

    expr := [filler|qualifier|growth]* quantity [range-sep quantity] [qualifier|filler]*
    quantity := number [magnitude] [unit]   |   magnitude unit     ("近万人")

Anything with no number is either relative (同步 with another indicator),
empty ("—"), a placeholder for figures not yet out ("待统计局发布": pending) or
qualitative ("建成交付"). Two shapes are cut before the scan: a stretch goal
after a first quantity ("7%以上，力争8%": scored against 7%, 8% kept as
``stretch``), and a level reached in a direction ("现行16%的税率降至13%":
what comes before 降至 is where it starts, the target is 13% as a ceiling). A number with words the grammar
does not know ("8%左有") is invalid, so the check can point at the cell.

``parse`` never raises: every string gives an ``Expr``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, Optional

from addin.common.text import normalize  # re-exported: the parser's callers compare text the same way

Kind = Literal["number", "range", "relative", "qualitative", "empty", "pending", "invalid"]
Bound = Literal["floor", "ceiling", "about", "exact"]

FLOOR_WORDS = ("以上", "不低于", "不少于", "至少", "超过", "高于", "大于", "突破", "达到", "超", "达", "逾", "多于",
               "≥", "≧", ">=", ">")  # tables write "≥95%" as often as "95%以上" (NFKC turns "＞" into ">")
CEILING_WORDS = ("以下", "以内", "之内", "不超过", "不高于", "不多于", "低于", "小于", "控制在", "控制",
                 "≤", "≦", "<=", "<")
# A level reached in a direction (降至32微克/立方米以下, 提高到60%): a bound, not a growth rate.
# Longest match makes 下降到 win over 下降 and 降至 over the range word 至.
TO_CEILING_WORDS = ("下降到", "下降至", "降低到", "降低至", "降至", "降到", "减少到", "减少至", "压减到", "压减至",
                    "压降到", "压降至", "控制到", "控制至", "回落到", "回落至")
TO_FLOOR_WORDS = ("提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "上升到", "上升至",
                  "升至", "增至", "扩大到", "扩大至")
ABOUT_WORDS = ("左右", "上下", "大约", "约", "前后")
APPROX_WORDS = ("余", "近", "多")  # 500余场, 近万人: about, but the actual is as loose as the target
UP_WORDS = ("增长", "增加", "上涨", "上升", "回升", "涨幅", "提高", "提升", "增速", "增幅", "同比增长", "年均增长")
DOWN_WORDS = ("下降", "降低", "减少", "降幅", "压减", "减排", "下降幅度", "回落")
# Words that carry no meaning for the number: "全年不超过2‰", "力争增长7%以上", "实际增长5.6%",
# "平均为5.0%" (a yearly average is still the year's figure), "稳定在2万亩以上", "筹集1500套", "完成投资358亿元".
FILLER_WORDS = ("全年", "年内", "年度", "力争", "确保", "实现", "保持", "在", "为", "达成", "完成", "累计", "新增", "同比", "比上年", "较上年", "的", "目标", "预期", "以", "及",
                "实际", "平均", "稳定", "筹集", "投资", "完成投资", "再", "建设", "改造", "开工", "新开工", "新建", "引进", "培育")
# A second quantity after one of these is a stretch goal: "7%以上，力争8%".
STRETCH_WORDS = ("力争", "争取", "努力")
# Printed verdicts (a 完成情况 column of words beside the value column) and the status each states.
# 基本完成 is "close": short of the number, yet near enough to say so (see check.verdict_agrees).
VERDICT_WORDS = {
    "完成": "met", "已完成": "met", "超额完成": "met", "全面完成": "met", "提前完成": "met", "达标": "met",
    "完成目标": "met", "完成年度目标": "met", "实现": "met", "已实现": "met", "达到": "met",
    "基本完成": "close", "基本实现": "close", "基本达标": "close", "接近完成": "close",
    "未完成": "unmet", "没有完成": "unmet", "未达标": "unmet", "未达到": "unmet", "未实现": "unmet", "滞后": "unmet",
}
# Figures not out yet: not computable, and only an info (the statistician is waiting, not wrong).
PENDING_PATTERNS = (
    re.compile(r"(?:数据)?(?:待|尚未|暂未|未)[^\d]{0,8}?(?:发布|公布|出炉|核定|统计|反馈)"),
    re.compile(r"(?:暂无|尚无|暂缺)(?:数据|统计|资料)?"),
    re.compile(r"待定|待核实|待统计"),
)
RANGE_SEPS = ("—", "–", "-", "~", "至", "到", "―", "－", "〜")
RELATIVE_MARKS = ("同步", "相适应", "相协调")
EMPTY_TEXTS = {"", "—", "——", "-", "--", "－", "/", "／", "无", "不适用", "n/a", "N/A", "NA", "…"}

MAGNITUDES = {"万亿": Decimal("1e12"), "千亿": Decimal("1e11"), "亿": Decimal("1e8"), "千万": Decimal("1e7"), "百万": Decimal("1e6"), "万": Decimal("1e4")}

# Base units; "%" and "‰" share one family so 2‰ compares with 0.2%.
UNIT_FAMILY = {"%": ("%", Decimal(1)), "‰": ("%", Decimal("0.1")), "百分点": ("百分点", Decimal(1)), "个百分点": ("百分点", Decimal(1))}
BASE_UNITS = (
    "%", "‰", "个百分点", "百分点",
    "元", "美元", "人次", "人", "个", "户", "家", "项", "所", "座", "处", "公里", "千米", "平方公里", "平方米", "米", "亩",
    "场次", "场", "次", "吨标准煤", "吨", "千克", "公斤", "斤", "头（只）", "头(只)", "头", "只", "辆", "套", "间", "张", "名",
    "天", "小时", "千瓦时", "千瓦", "兆瓦", "件", "份", "批", "条", "台", "宗", "床", "张床", "立方米", "标方", "部", "栋",
    "单", "笔", "所次", "例", "支", "队", "座次", "公顷", "千公顷", "株", "棵", "km", "m", "kW", "MW", "t",
    "微克/立方米", "毫克/立方米",  # air quality (PM2.5) targets, common in district plans
)

_NUMBER = re.compile(r"[+\-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")


@dataclass(frozen=True, slots=True)
class Expr:
    text: str
    kind: Kind
    value: Optional[Decimal] = None  # the number as written (for a range: None)
    low: Optional[Decimal] = None
    high: Optional[Decimal] = None
    unit: Optional[str] = None  # base unit: "元", "%", "人" ...
    scale: Decimal = Decimal(1)  # value * scale is in base units (亿元 -> 1e8, ‰ -> 0.1 of %)
    unit_text: Optional[str] = None  # as written: "亿元"
    bound: Bound = "exact"
    approx: bool = False  # 余/近: the number itself is loose
    growth: Optional[Literal["up", "down"]] = None
    reference: Optional[str] = None  # relative: what it moves with ("经济增长")
    error: Optional[str] = None  # invalid: the words not understood
    stretch: Optional["Expr"] = None  # "7%以上，力争8%": the 8% (scored against the 7%, shown in the note)
    # "降至13%" with no other bound word: a ceiling as a target, but as an actual the level it reached (exact).
    reached: bool = False
    # A unit, magnitude or bound word written twice ("8%左右%"): read once, and said (a typo in the table).
    repeated: Optional[str] = None

    @property
    def base(self) -> Optional[Decimal]:
        return None if self.value is None else self.value * self.scale

    @property
    def base_low(self) -> Optional[Decimal]:
        return None if self.low is None else self.low * self.scale

    @property
    def base_high(self) -> Optional[Decimal]:
        return None if self.high is None else self.high * self.scale

    @property
    def signed_base(self) -> Optional[Decimal]:
        """A fall written as a word ("下降3.8%") as a negative number."""
        b = self.base
        if b is not None and self.growth == "down":
            return -b
        return b

    @property
    def is_number(self) -> bool:
        return self.kind in ("number", "range")


# --- scanner ---------------------------------------------------------------

TokenKind = Literal["num", "mag", "unit", "floor", "ceiling", "about", "approx", "up", "down", "filler", "sep", "rel", "paren"]


def _lexicon() -> list[tuple[str, TokenKind]]:
    entries: list[tuple[str, TokenKind]] = []
    for words, kind in (
        (FLOOR_WORDS + TO_FLOOR_WORDS, "floor"), (CEILING_WORDS + TO_CEILING_WORDS, "ceiling"), (ABOUT_WORDS, "about"), (APPROX_WORDS, "approx"),
        (UP_WORDS, "up"), (DOWN_WORDS, "down"), (FILLER_WORDS, "filler"), (RANGE_SEPS, "sep"),
        (tuple(MAGNITUDES), "mag"), (BASE_UNITS, "unit"), (RELATIVE_MARKS, "rel"),
    ):
        entries.extend((w, kind) for w in words)
    entries.sort(key=lambda e: -len(e[0]))  # longest match first: 不超过 before 超, 万亿 before 万
    return entries


_LEXICON = _lexicon()


def _scan(s: str) -> Optional[list[tuple[TokenKind, str]]]:
    """Tokens, or None when some text is not in the lexicon."""
    tokens: list[tuple[TokenKind, str]] = []
    i = 0
    while i < len(s):
        m = _NUMBER.match(s, i)
        # A "-" between two numbers is a range, not a sign.
        if m and not (s[i] in "+-" and tokens and tokens[-1][0] in ("num", "unit", "mag")):
            tokens.append(("num", m.group().replace(",", "")))
            i = m.end()
            continue
        for word, kind in _LEXICON:
            if s.startswith(word, i):
                tokens.append((kind, word))
                i += len(word)
                break
        else:
            if s[i] in "()（）,，、;；:：。.":
                i += 1  # punctuation carries no meaning here
                continue
            return None
    return tokens


def _unit_of(unit_word: Optional[str], mag_word: Optional[str]) -> tuple[Optional[str], Decimal, Optional[str]]:
    scale = MAGNITUDES.get(mag_word, Decimal(1)) if mag_word else Decimal(1)
    written = (mag_word or "") + (unit_word or "") or None
    if unit_word is None:
        return (None, scale, written)
    family, factor = UNIT_FAMILY.get(unit_word, (unit_word.replace("(", "（").replace(")", "）"), Decimal(1)))
    return family, scale * factor, written


@lru_cache(maxsize=4096)
def parse(text: object) -> Expr:
    """Read one cell's text. Never raises."""
    raw = "" if text is None else str(text)
    try:
        return _parse(raw)
    except (InvalidOperation, ValueError, IndexError, OverflowError) as exc:  # defensive: the contract is "never raises"
        return Expr(raw, "invalid", error=str(exc))


def _parse(raw: str) -> Expr:
    s = normalize(raw)
    if s in EMPTY_TEXTS or not s:
        return Expr(raw, "empty")
    if not any(ch.isdigit() for ch in s):
        return _parse_wordy(raw, s)
    stretch = _STRETCH.fullmatch(s)
    if stretch:
        main, goal = _parse_quantity(raw, stretch.group("main")), _parse_quantity(stretch.group("goal"), stretch.group("goal"))
        if main.kind == "number" and goal.kind == "number":
            return replace(main, stretch=goal)
    return _parse_quantity(raw, s)


# "7%以上，力争8%": a first quantity, then a stretch word and a second one.
_STRETCH = re.compile(r"(?P<main>.*\d.*?)[,;、\s]*(?:%s)(?:实现|达到)?(?P<goal>.*\d.*)" % "|".join(STRETCH_WORDS))
# "现行16%的税率降至13%": the words before 降至 say where the level starts; the target is what follows.
_TO_WORDS = frozenset(TO_CEILING_WORDS + TO_FLOOR_WORDS)
_TO_LEVEL = re.compile("|".join(sorted(TO_CEILING_WORDS + TO_FLOOR_WORDS, key=len, reverse=True)))
# Excel keeps 15 significant digits; a number far outside what any indicator holds is a typing slip
# (1E-25, fifty 9s), read as invalid so the row gets a finding and the arithmetic stays in range.
_MAX_EXPONENT, _MIN_EXPONENT, _MAX_DIGITS = 15, -10, 20


def _parse_quantity(raw: str, s: str) -> Expr:
    to_level = _TO_LEVEL.search(s)
    if to_level and any(ch.isdigit() for ch in s[to_level.end():]):
        s = s[to_level.start():]
    tokens = _scan(s)
    if tokens is None:
        return Expr(raw, "invalid", error=_unknown_words(s))
    return _read_tokens(raw, tokens)


def verdict_of(text: object) -> Optional[str]:
    """"超额完成" -> "met", "基本完成" -> "close", "未完成" -> "unmet"; None for anything else."""
    return VERDICT_WORDS.get(normalize("" if text is None else str(text)).rstrip("。"))


def is_pending(s: str) -> bool:
    """"待统计局发布", "暂无数据": the figure is not out yet."""
    return any(p.fullmatch(s) for p in PENDING_PATTERNS)


def _parse_wordy(raw: str, s: str) -> Expr:
    """No digits: relative (与经济增长同步), pending (待发布), 近万人 (a magnitude standing for one), or qualitative."""
    if is_pending(s):
        return Expr(raw, "pending")
    for mark in RELATIVE_MARKS:
        if mark in s:
            ref = s.split(mark)[0]
            ref = re.sub(r"^(与|和|同|跟)", "", ref)
            ref = re.sub(r"[(]?(基本|保持|大体)[)]?$", "", ref)  # "与经济增长（基本）同步"
            bound: Bound = "about" if "基本" in s or "大体" in s else "exact"
            return Expr(raw, "relative", reference=ref or "经济增长", bound=bound)
    tokens = _scan(s)
    if tokens and any(k == "mag" for k, _ in tokens) and any(k == "unit" for k, _ in tokens):
        # "近万人", "千万元以上": a magnitude with no digits means one of it.
        mag_at = next(i for i, (k, _) in enumerate(tokens) if k == "mag")
        tokens.insert(mag_at, ("num", "1"))
        return _read_tokens(raw, tokens)
    if not any(ch.isalpha() for ch in s):
        # "%", "（）", "？": no number and no word, so nothing qualitative was written either
        return Expr(raw, "invalid", error=f"“{s[:20]}”既没有数字也没有文字")
    return Expr(raw, "qualitative")


def _unknown_words(s: str) -> str:
    """The part of the text the lexicon does not cover, for the message."""
    words = sorted((w for w, _ in _LEXICON), key=len, reverse=True)
    rest = _NUMBER.sub(" ", s)
    for w in words:
        rest = rest.replace(w, " ")
    return " ".join(rest.split()) or s


def _read_tokens(raw: str, tokens: list[tuple[TokenKind, str]]) -> Expr:
    numbers: list[Decimal] = []
    mag_word: Optional[str] = None
    unit_word: Optional[str] = None
    bound: Bound = "exact"
    approx = False
    growth: Optional[Literal["up", "down"]] = None
    saw_sep = False
    reached = plain_bound = False  # a bound from 降至/提高到 alone, or from 以下/以上 as well
    repeated: Optional[str] = None
    seen: set[str] = set()
    for kind, word in tokens:
        if kind == "num":
            seen.clear()  # "3%-5%": each number may carry its own unit
        elif kind in ("unit", "mag", "floor", "ceiling", "about", "approx"):
            if word in seen and repeated is None:
                repeated = word
            seen.add(word)
        if kind == "num":
            if numbers and not saw_sep:
                return Expr(raw, "invalid", error="多个数字")
            number = Decimal(word)
            if not _plausible(number):
                return Expr(raw, "invalid", error=f"数字{word[:20]}{'…' if len(word) > 20 else ''}超出可核算范围")
            numbers.append(number)
        elif kind == "sep":
            if not numbers or saw_sep:
                return Expr(raw, "invalid", error=word)
            saw_sep = True
        elif kind == "mag":
            if not numbers or (mag_word and mag_word != word):
                return Expr(raw, "invalid", error=word)
            mag_word = word
        elif kind == "unit":
            if unit_word and unit_word != word:
                return Expr(raw, "invalid", error=f"{unit_word}/{word}")
            unit_word = word
        elif kind in ("floor", "ceiling"):
            if bound in ("floor", "ceiling") and bound != kind:
                return Expr(raw, "invalid", error=word)
            bound = kind
            if word in _TO_WORDS:
                reached = True
            else:
                plain_bound = True
        elif kind == "about":
            if bound == "exact":
                bound = "about"
        elif kind == "approx":
            approx = True
        elif kind in ("up", "down"):
            growth = kind
        elif kind == "rel":
            return Expr(raw, "invalid", error=word)
        # filler: nothing
    if not numbers or (saw_sep and len(numbers) != 2):
        return Expr(raw, "invalid", error="缺少数字")
    if bound == "exact" and approx:
        bound = "about"
    unit, scale, written = _unit_of(unit_word, mag_word)
    if len(numbers) == 2:
        low, high = sorted(numbers)
        return Expr(raw, "range", low=low, high=high, unit=unit, scale=scale, unit_text=written, bound="exact", approx=approx, growth=growth,
                    repeated=repeated)
    value = numbers[0]
    if value < 0 and growth is None:
        growth, value = "down", -value
    elif value < 0 and growth == "down":
        value = -value  # "下降-3%" is unusual; read it as a fall of 3
    return Expr(raw, "number", value=value, unit=unit, scale=scale, unit_text=written, bound=bound, approx=approx, growth=growth,
                reached=reached and not plain_bound, repeated=repeated)


def _plausible(number: Decimal) -> bool:
    return (number.is_finite() and len(number.as_tuple().digits) <= _MAX_DIGITS
            and (not number or _MIN_EXPONENT <= number.adjusted() <= _MAX_EXPONENT))


def with_default_unit(expr: Expr, unit_text: Optional[str]) -> Expr:
    """A bare number in a table with a 单位 column (or beside a target with a unit) takes that unit."""
    if not expr.is_number or expr.unit is not None or not unit_text:
        return expr
    unit_expr = parse("1" + normalize(unit_text))
    if unit_expr.kind != "number" or unit_expr.unit is None:
        return expr
    return replace(expr, unit=unit_expr.unit, scale=unit_expr.scale, unit_text=unit_expr.unit_text,
                   stretch=with_default_unit(expr.stretch, unit_text) if expr.stretch is not None else None)


def target_actual(target_text: object, actual_text: object, unit_text: Optional[str] = None) -> tuple[Expr, Expr]:
    """A row's target and actual as the check reads them: the 单位 column fills bare numbers,
    and a bare actual takes the target's unit ("9448" beside "9000人以上")."""
    target = with_default_unit(parse(target_text), unit_text)
    return target, with_default_unit(parse(actual_text), unit_text or target.unit_text)
