"""Judge each matched claim against its fact and turn contradictions into findings.

A different value, growth or rate is an error when the match is confident and a warning when
not; an approximation agrees when it holds (近万人 vs 9448人, 超70% vs 70.4%); a bound that
misses by a little (超70% vs exactly 70%) is a warning. "全面完成 / 均完成" about a category with
unmet indicators, and "超额完成" about an unmet one, are findings too. A claim that matches
nothing is no finding.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from addin.proofread.claims import clean
from addin.proofread.match import HEAD_CONFIDENCE, Matcher, name_parts, pairs
from addin.proofread.model import Claim, ClaimResult, Fact, Finding, Match, Quantity
from addin.proofread.source import Facts, normalize

_ROLE_WORDS = {"actual": "完成情况", "target": "目标", "rate": "核算完成率", "plan_target": "目标",
               "level": "数值", "level_growth": "增速"}
_KIND_CODES = {"growth": "growth_differs", "share": "value_differs", "amount": "value_differs", "rate": "rate_differs"}
_ALL_WORDS = ("各项指标", "主要指标", "各项目标", "主要目标", "全部指标", "各项任务", "目标任务", "预期目标")
# A bound may miss by this share of the number and still be only a warning.
BOUND_SLACK = Decimal("0.1")
NEAR_FLOOR = Decimal("0.9")  # 近万人: at least 9,000
ABOUT = Decimal("0.05")
INF = Decimal("Infinity")
# "从 80% 提升到 90%": at most this many characters between a start value and its end value.
BASELINE_GAP = 8


def judge(claims: list[Claim], facts: Facts, matcher: Matcher, labels: dict[int, str]) -> tuple[list[ClaimResult], list[Finding]]:
    matches = find_matches(claims, facts, matcher)
    results: list[ClaimResult] = []
    findings: list[Finding] = []
    for i, claim in enumerate(claims):
        if claim.kind == "statement":
            result, finding = _statement(claim, facts, matcher, labels)
        else:
            result, finding = _number(claim, matches.get(i), matcher, labels)
        results.append(result)
        if finding is not None:
            findings.append(finding)
    return results, findings


def find_matches(claims: list[Claim], facts: Facts, matcher: Matcher) -> dict[int, tuple[str, Match]]:
    """claim index -> ("name" | "match", Match) for the number claims that say something the workbook holds.

    Three passes, most certain first. (1) The words around the number name an indicator (or the
    number is part of a name). (2) A shortened name (Matcher.by_head) — only for an indicator no
    claim of pass 1 tells and that one claim alone names this way: a narrative states each figure
    once, so 提供普惠托位1648个 beside 托位3645个 is another count, not 新增托位数 again.
    (3) A start value "从80%提升到90%" whose end value is an indicator's 完成情况 is checked
    against that indicator's 目标 when the workbook holds no earlier level.
    """
    found: dict[int, tuple[str, Match]] = {}
    for i, claim in enumerate(claims):
        if claim.kind == "statement":
            continue
        part = matcher.name_part(claim)
        if part is not None:
            found[i] = ("name", Match(part, 1.0))
            continue
        match = matcher.match(claim)
        if match is not None:
            found[i] = ("match", match)
    told = {name_parts(f.name)[1] for kind, m in found.values() if kind == "match" for f in (m.fact,) + m.alternatives}
    by_head: dict[str, list[tuple[int, Match]]] = {}
    for i, claim in enumerate(claims):
        if i not in found and claim.kind == "amount":
            match = matcher.by_head(claim)
            if match is not None and name_parts(match.fact.name)[1] not in told:
                by_head.setdefault(match.fact.cell, []).append((i, match))
    for hits in by_head.values():
        if len(hits) == 1:
            found[hits[0][0]] = ("match", hits[0][1])
    targets = {f.row_key: f for f in facts.facts if f.role == "target" and f.quantity is not None}
    for i, claim in enumerate(claims):
        if claim.kind != "baseline" or i in found or i + 1 >= len(claims):
            continue
        after, end = claims[i + 1], found.get(i + 1)
        if end is None or end[0] != "match" or after.order != claim.order or after.start - claim.end > BASELINE_GAP:
            continue
        target = targets.get(end[1].fact.row_key) if end[1].fact.role == "actual" else None
        if target is not None:
            found[i] = ("match", Match(target, HEAD_CONFIDENCE))
    return found


def _finding(code, severity, claim: Claim, cell, message, labels) -> Finding:
    where = labels.get(claim.order, f"第{claim.paragraph}段")
    return Finding(code, severity, claim.paragraph, where, claim.text, cell, message, claim.order, claim.start, claim.end)


def _number(claim: Claim, found: Optional[tuple[str, Match]], matcher: Matcher,
            labels) -> tuple[ClaimResult, Optional[Finding]]:
    if found is None:
        return ClaimResult(claim, None, "unmatched"), None
    how, match = found
    if how == "name":
        return ClaimResult(claim, match, "name"), None
    options = (match.fact,) + match.alternatives
    verdicts = []
    for fact in options:
        if not matcher.units_agree(claim, fact):
            verdicts.append((fact, "unit"))
            continue
        verdicts.append((fact, compare(claim.quantity, claim.sense, fact.quantity)))
    for fact, verdict in verdicts:
        if verdict == "agrees":
            return ClaimResult(claim, Match(fact, match.confidence, match.alternatives), "agrees"), None
    fact, verdict = verdicts[0]
    # Another indicator as good a match makes the claim ambiguous; the same indicator in another
    # table (地区生产总值 in 附件1 and in 基础数据) does not.
    rivals = [f for f in match.alternatives if name_parts(f.name)[1] != name_parts(match.fact.name)[1]]
    confident = matcher.confident(match) and not rivals
    severity = "error" if confident and verdict != "bound" else "warning"
    cell_says = f"{fact.cell}（{fact.name}{_ROLE_WORDS[fact.role]}）为 {fact.display}"
    if verdict == "unit":
        code, message = "unit_mismatch", f"{cell_says}，文稿“{claim.text}”的单位无法换算"
    elif verdict == "bound":
        code, message = "bound_not_held", f"{cell_says}，文稿“{claim.text}”的说法不成立"
    else:
        code, message = _KIND_CODES.get(claim.kind, "value_differs"), f"{cell_says}，文稿写“{claim.text}”"
    if not confident:
        message += f"（匹配把握 {match.confidence:.0%}，请确认所指指标）"
    return ClaimResult(claim, match, verdict), _finding(code, severity, claim, fact.cell, message, labels)


def compare(claim: Quantity, sense: str, fact: Quantity) -> str:
    """agrees · bound (the claim's bound misses by a little) · differs."""
    c, f = claim.base, fact.base
    low, high = _claim_interval(claim, sense)
    if fact.bound == "exact" and not fact.approx:
        if low <= f <= high and not (sense == "over" and f == low):
            return "agrees"
        if sense == "exact":
            return "differs"
        return "bound" if abs(f - c) <= abs(c) * BOUND_SLACK else "differs"
    if sense != "exact" and _direction(sense) == _direction_of_fact(fact):
        # Both bounded the same way (控制在4%以内 / 4%以内): the prose restates the cell, so the numbers must agree.
        return "agrees" if claim.base == fact.base else "differs"
    f_low, f_high = _fact_interval(fact)
    return "agrees" if max(low, f_low) <= min(high, f_high) else "differs"


def _direction(sense: str) -> str:
    return {"over": "up", "at_least": "up", "plus": "up", "at_most": "down", "near": "down"}.get(sense, "about")


def _direction_of_fact(q: Quantity) -> str:
    if q.approx:
        return "up"
    return {"floor": "up", "ceiling": "down"}.get(q.bound, "about")


def _claim_interval(q: Quantity, sense: str) -> tuple[Decimal, Decimal]:
    c = q.base
    if sense == "exact":
        half = Decimal(5) * Decimal(10) ** -(q.decimals + 1) * q.scale
        return c - half, c + half - Decimal("1e-12")
    if sense in ("over", "at_least"):
        return c, INF
    if sense == "at_most":
        return -INF, c
    if sense == "near":
        return c * NEAR_FLOOR, c
    if sense == "plus":
        return c, c + _step(q)
    return c * (1 - ABOUT), c * (1 + ABOUT)


def _fact_interval(q: Quantity) -> tuple[Decimal, Decimal]:
    f = q.base
    if q.approx:
        return f, f + _step(q)
    if q.bound == "floor":
        return f, INF
    if q.bound == "ceiling":
        return -INF, f
    return f * (1 - ABOUT), f * (1 + ABOUT)


def _step(q: Quantity) -> Decimal:
    """500余 is 500 to 600; 4600余 is 4600 to 4700; 1万余 is 1万 to 2万."""
    # format(.., "f"), not str(normalize()): 500 normalizes to 5E+2, which has no trailing zeros
    digits = format(q.value.to_integral_value(), "f") if q.value == q.value.to_integral() else ""
    zeros = len(digits) - len(digits.rstrip("0")) if digits and digits != "0" else 0
    return Decimal(10) ** zeros * q.scale


def _statement(claim: Claim, facts: Facts, matcher: Matcher, labels) -> tuple[ClaimResult, Optional[Finding]]:
    """全面完成 / 均完成 about a category or all indicators; 超额完成 about an unmet indicator."""
    scope = _category(claim, facts)
    if scope is None:
        match = matcher.match(claim, kinds=("actual",))
        if match is None or match.fact.met is not False:
            return ClaimResult(claim, match, "agrees" if match else "unmatched"), None
        fact = match.fact
        severity = "error" if matcher.confident(match) else "warning"
        message = f"{fact.cell}（{fact.name}）未完成目标（{fact.display}），文稿称“{claim.statement}”"
        return ClaimResult(claim, match, "category"), _finding("overclaim", severity, claim, fact.cell, message, labels)
    name, members = scope
    unmet = [f for f in members if f.met is False]
    if not unmet:
        first = members[0] if members else None
        return ClaimResult(claim, Match(first, 1.0) if first else None, "agrees"), None
    listed = "、".join(f"{f.name}（{f.cell} {f.display}）" for f in unmet[:5]) + ("等" if len(unmet) > 5 else "")
    message = f"“{name}”中有 {len(unmet)} 项未完成：{listed}，文稿称“{claim.statement}”"
    return (ClaimResult(claim, Match(unmet[0], 1.0), "category"),
            _finding("category_unmet", "error", claim, unmet[0].cell, message, labels))


def _category(claim: Claim, facts: Facts) -> Optional[tuple[str, list[Fact]]]:
    text = claim.near
    if any(w in text for w in _ALL_WORDS):
        members = [f for fs in facts.categories.values() for f in fs]
        return "各项指标", members
    for name, members in facts.categories.items():
        key = clean(normalize(name))
        if key and len(pairs(key) & pairs(text)) >= max(1, len(pairs(key)) * 3 // 4):
            return name, members
    return None
