"""Match each claim to the workbook fact it talks about.

Names in prose are shortened or rephrased (托位 for 新增托位数, 规上 for 规模以上), so a
name is matched by the words (character pairs) it shares with the claim's context:

* recall — how much of the indicator's name the context holds (the words right around the
  number count fully; the clause of an earlier number and the paragraph's lead-in count half);
* precision — how much of the phrase nearest the number the name accounts for, up to the last
  word they share ("科技服务机构" is not "金融服务机构": 科技 is left over).

The score is their product. Only facts of the same kind (growth / share / amount / rate), a unit
that converts and the same year compete; targets only where the sentence speaks of targets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from addin.proofread.claims import clean
from addin.proofread.model import Claim, Fact, Match
from addin.proofread.source import normalize

# The verbs that open many indicator names and are left out of prose as often as not.
_NAME_PREFIX = re.compile(r"^(?:年内实现|全年实现|新改扩建|实施建设|新认定|新增|实施|引进|引入|完成|建设|年内|全年)")
_NAME_SUFFIX = re.compile(r"(?:总数|数量|数)$")
# Classifiers the prose and the table use for one count: 14户 in the table, 14家 in the text,
# 350座 in the table, 350个 in the text. 个 counts anything; the others only what their group
# counts, so 21家 against 21项 is a unit that does not fit.
COUNT_UNITS = frozenset("个户家项所座处台件条名只头辆套间张宗栋部支队批例笔单株棵") | {"场次", "人次", "头(只)"}
_COUNT_GROUPS = (frozenset("家户所"), frozenset("座处栋间套"), frozenset("项件宗批笔单"), frozenset(("人", "名")),
                 frozenset(("场", "次", "场次")), frozenset(("人次", "次")), frozenset(("头", "只", "头(只)")),
                 frozenset("株棵"), frozenset("辆台部"), frozenset("支队"))


def units_agree(a: Optional[str], b: Optional[str]) -> bool:
    if a == b:
        return True
    if a in COUNT_UNITS and b in COUNT_UNITS and "个" in (a, b) and not {a, b} & {"人次", "场次"}:
        return True
    return any(a in group and b in group for group in _COUNT_GROUPS)
# Words that open or end many indicator names and say little about which one it is: a name
# shortened in prose is recognised by what is left ("改建水冲式户厕" is 户厕改造 by 户厕,
# "文化惠民、体育赛事活动" is 各类文旅活动 by 文化), never by these alone.
GENERIC = ("活动", "项目", "企业", "机构", "服务", "工程", "建设", "改造", "改建", "实施", "新增", "完成", "开展",
           "推进", "打造", "成功", "全年", "年内", "累计", "各类", "重点", "工作", "问题", "中心", "单位", "管理",
           "发展", "提升", "全区", "城市", "实现", "引进", "引入", "新建", "建成", "举办", "组织", "农村", "牧区")
# A match by a shortened name alone is never sure enough for an error: a difference is a warning.
HEAD_CONFIDENCE = 0.6
MATCH_AT = 0.55
CONFIDENT_AT = 0.75
TIE = 0.05


@dataclass(frozen=True, slots=True)
class _Name:
    fact: Fact
    full: str  # cleaned name
    core: str  # without the leading verb
    prefix: str
    pairs: frozenset
    chars: frozenset
    distinct: frozenset  # the name's pairs once its GENERIC words are taken out


def name_parts(name: str) -> tuple[str, str, str]:
    """(the name as contexts are spelled, without its opening verb, that verb)."""
    full = clean(normalize(name)).replace("(", "").replace(")", "").replace("、", "")
    m = _NAME_PREFIX.match(full)
    prefix = m.group() if m else ""
    core = _NAME_SUFFIX.sub("", full[len(prefix):]) or full
    return full, core, prefix


def _without_generic(text: str) -> str:
    for word in GENERIC:
        text = text.replace(word, "|")
    return text


def pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if "|" not in text[i:i + 2]}


class Matcher:
    def __init__(self, facts: Iterable[Fact], *, aliases: Optional[dict[str, str]] = None,
                 match_at: float = MATCH_AT, confident_at: float = CONFIDENT_AT):
        # Spelled as contexts are (no spaces, quotes or 、), so "文化惠民、体育赛事活动" finds its text.
        self.aliases = {clean(k): clean(v) for k, v in (aliases or {}).items() if clean(k)}
        self.match_at, self.confident_at = match_at, confident_at
        self.names: list[_Name] = []
        self.by_pair: dict[str, list[int]] = {}
        for fact in facts:
            full, core, prefix = name_parts(fact.name)
            entry = _Name(fact, full, core, prefix, frozenset(pairs(full)), frozenset(full),
                          frozenset(pairs(_without_generic(core))))
            for pair in entry.pairs:
                self.by_pair.setdefault(pair, []).append(len(self.names))
            self.names.append(entry)
        self._cache: dict[tuple, Optional[Match]] = {}
        # Names with a number in them ("政府投资5000万元、…"), normalized once.
        self._numbered = [(e.fact, normalize(e.fact.name)) for e in self.names if any(ch.isdigit() for ch in e.fact.name)]

    def _expand(self, text: str) -> str:
        for short, full in self.aliases.items():
            if short in text and full not in text:
                text = text.replace(short, full)
        return text

    def match(self, claim: Claim, *, kinds: Optional[tuple[str, ...]] = None) -> Optional[Match]:
        """The best fact for the claim, or None when nothing scores MATCH_AT."""
        q = claim.quantity
        key = (claim.near, claim.subject, claim.fallback, claim.topic, claim.kind, claim.year,
               claim.target_words, q.unit if q else None, kinds)
        if key not in self._cache:
            self._cache[key] = self._best(claim, kinds)
        return self._cache[key]

    def by_head(self, claim: Claim) -> Optional[Match]:
        """A count or amount the word scores missed, matched by a word its subject shares with one
        indicator's name and no other's: 改建水冲式户厕 350个 → 农村牧区污水管网改造工程户厕改造
        350座. Only facts of the claim's year whose unit fits compete, so 23家社区卫生服务中心 is
        not 医疗卫生单位…覆盖率 (a percent); the words after the last 等 are the subject
        (国潮文化等惠民活动 is about 惠民活动)."""
        q = claim.quantity
        if claim.kind != "amount" or q is None or not claim.subject:
            return None
        key = ("head", claim.subject, q.unit, claim.year)
        if key not in self._cache:
            self._cache[key] = self._by_head(claim.subject.rsplit("等", 1)[-1], q.unit, claim.year)
        return self._cache[key]

    def _by_head(self, subject: str, unit: Optional[str], year: Optional[int]) -> Optional[Match]:
        words = pairs(_without_generic(self._expand(subject)))
        if not words:
            return None
        hits = [e for e in self.names if e.distinct & words and e.fact.role in ("actual", "level")
                and e.fact.kind == "amount" and e.fact.quantity is not None
                and units_agree(unit, e.fact.quantity.unit)
                and (year is None or e.fact.year is None or e.fact.year == year)]
        if not hits or any(e.core != hits[0].core for e in hits):
            return None  # nothing, or the word is in two indicators' names: not a name of its own
        return Match(hits[0].fact, HEAD_CONFIDENCE)

    def name_part(self, claim: Claim) -> Optional[Fact]:
        """The fact whose name the number belongs to: 政府投资5000万元、企业投资亿元以上重大项目."""
        if not claim.surface:
            return None
        for fact, name in self._numbered:
            at = name.find(claim.surface)
            if at < 0:
                continue
            left, right = name[max(0, at - 2):at], name[at + len(claim.surface):at + len(claim.surface) + 2]
            if (left and claim.left.endswith(left)) or (right and claim.right.startswith(right)):
                return fact
        return None

    def _best(self, claim: Claim, kinds: Optional[tuple[str, ...]]) -> Optional[Match]:
        near = self._expand(claim.near)
        subject = self._expand(claim.subject)
        tiers = [(1.0, near)]
        if claim.fallback:
            tiers.append((0.5, self._expand(claim.fallback)))
        if claim.topic:
            tiers.append((0.5, self._expand(claim.topic)))
        tier_sets = [(w, pairs(t), set(t)) for w, t in tiers]
        candidates: set[int] = set()
        for pair in pairs(near + "|" + subject + "|" + claim.fallback):
            candidates.update(self.by_pair.get(pair, ()))
        scored: list[tuple[float, int, Fact]] = []
        for i in candidates:
            entry = self.names[i]
            if not self._fits(claim, entry.fact, kinds):
                continue
            score = _recall(entry, tier_sets, near) * _precision(subject, entry) * _compactness(entry, near)
            if score >= self.match_at:
                scored.append((score, entry.fact.order, entry.fact))
        if not scored:
            return None
        scored.sort(key=lambda s: (-s[0], s[1], _ROLE_ORDER.get(s[2].role, 9)))
        best_score, _, best = scored[0]
        alternatives = tuple(f for s, _, f in scored[1:] if s >= best_score - TIE)
        return Match(best, best_score, alternatives)

    def _fits(self, claim: Claim, fact: Fact, kinds: Optional[tuple[str, ...]]) -> bool:
        if claim.year is not None and fact.year is not None and fact.year != claim.year:
            if not (claim.kind == "baseline" and fact.year == claim.year - 1):
                return False
        if kinds is not None:
            return fact.role in kinds
        if claim.kind == "baseline":
            return fact.role == "level" and fact.year == (claim.year - 1 if claim.year else None)
        if claim.kind in ("change", "statement"):
            return False
        if fact.role == "target" and not claim.target_words:
            return False
        if fact.role == "plan_target" and not claim.target_words and (claim.year is None or claim.year != fact.year):
            return False  # in the plan year's section every number is a plan: 全年实现城镇新增就业 9000 人
        if (fact.role == "rate") != (claim.kind == "rate"):
            return False
        if fact.quantity is None or claim.quantity is None:
            return False
        if fact.kind != claim.kind and not {fact.kind, claim.kind} <= {"growth", "share"}:
            return False
        return True  # units are judged, not filtered: a unit that does not convert is a finding

    def units_agree(self, claim: Claim, fact: Fact) -> bool:
        return units_agree(claim.quantity.unit, fact.quantity.unit)

    def confident(self, match: Match) -> bool:
        return match.confidence >= self.confident_at


_ROLE_ORDER = {"actual": 0, "level": 1, "level_growth": 2, "rate": 3, "target": 4, "plan_target": 5}


def _recall(entry: _Name, tier_sets, near: str) -> float:
    core = entry.core
    total = 0.0
    for i, ch in enumerate(core):
        weight = 0.0
        for w, tier_pairs, tier_chars in tier_sets:
            if (i and core[i - 1:i + 1] in tier_pairs) or core[i:i + 2] in tier_pairs:
                weight = max(weight, w)
            elif ch in tier_chars:
                weight = max(weight, w / 2)
        total += weight
    score = total / len(core) if core else 0.0
    if entry.prefix and pairs(entry.prefix) <= pairs(near):
        score += 0.1
    return min(score, 1.0)


def _compactness(entry: _Name, near: str) -> float:
    """Words of the name close together in the prose ("金融机构" for 金融服务机构), not scattered
    over a long clause (稀土 … 产业园 … 项目 is not 稀土产业项目)."""
    hits = [i for i in range(len(near) - 1) if near[i:i + 2] in entry.pairs and near[i:i + 2] not in pairs(entry.prefix)]
    if not hits:
        return 1.0
    covered = set()
    for i in hits:
        covered.update((i, i + 1))
    span = hits[-1] + 2 - hits[0] - near.count("|", hits[0], hits[-1] + 2)
    return min(1.0, 1.5 * len(covered) / span)


def _precision(subject: str, entry: _Name) -> float:
    """The share of the phrase nearest the number, up to the last word it shares with the name,
    that the name accounts for."""
    if not subject:
        return 1.0
    weights = []
    last = -1
    for i, ch in enumerate(subject):
        if (i and subject[i - 1:i + 1] in entry.pairs) or subject[i:i + 2] in entry.pairs:
            weights.append(1.0)
            last = i
        elif ch in entry.chars:
            weights.append(0.5)
        else:
            weights.append(0.0)
    if last < 0:
        return 0.0
    return sum(weights[: last + 1]) / (last + 1)
