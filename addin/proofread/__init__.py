"""Proofread a draft report against its workbook: every number in the prose that the workbook
also holds must agree with its cell.

    from addin.proofread import proofread
    result = proofread("草稿.docx", "kundulun-2025.xlsx")
    result.findings        # Finding(code, severity, paragraph, text, cell, message)
    result.to_json()       # {"findings": [...], "claims": [...]}

Stages: draft (read the .docx) → claims (numbers and what they count) → match (to workbook
facts, read through source) → judge (findings); comments writes a copy with Word comments.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from addin.proofread.model import Claim, ClaimResult, Fact, Finding, Match, Paragraph, ProofreadResult, Quantity

__all__ = ["proofread", "write_commented", "ProofreadResult", "Finding", "Claim", "ClaimResult", "Match", "Fact",
           "Paragraph", "Quantity"]


def proofread(draft, workbook, *, config=None, password: Optional[str] = None, recalc: bool = False) -> ProofreadResult:
    """Check every number claim in ``draft`` (.docx) against ``workbook``.

    ``config`` is a settings file: its [proofread] table may hold ``aliases`` (prose word →
    indicator name, e.g. {"托位" = "新增托位数"}), ``match_at`` and ``confident_at``; its other
    tables are the check's settings. ``password`` and ``recalc`` open the workbook as ``check`` does. Raises PlanReportError (one Chinese line) for a file that
    cannot be used.
    """
    from addin.proofread.claims import find_claims
    from addin.proofread.draft import read_draft
    from addin.proofread.judge import judge
    from addin.proofread.match import CONFIDENT_AT, MATCH_AT, Matcher
    from addin.proofread.source import PlanReportError, load_facts, read_proofread_config

    options, has_check_settings = read_proofread_config(config)
    paragraphs = read_draft(draft)  # the draft first: a wrong draft is said before the workbook is read
    facts = load_facts(workbook, config=config, password=password, recalc=recalc, check_config=has_check_settings)
    aliases = options.get("aliases", {})
    if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()):
        raise PlanReportError(f"{config}: [proofread] aliases 应为“文稿用语 = 指标名称”的表")
    try:
        match_at = float(options.get("match_at", MATCH_AT))
        confident_at = float(options.get("confident_at", CONFIDENT_AT))
    except (TypeError, ValueError):
        raise PlanReportError(f"{config}: [proofread] match_at / confident_at 应为 0 到 1 之间的数字") from None
    matcher = Matcher(facts.facts, aliases=aliases, match_at=match_at, confident_at=confident_at)
    claims = find_claims(paragraphs, facts.year)
    labels = {p.order: p.label for p in paragraphs}
    results, findings = judge(claims, facts, matcher, labels)
    return ProofreadResult(str(draft), str(workbook), len(paragraphs), results, findings, labels)


def write_commented(draft, result: ProofreadResult, out, *, force: bool = False) -> int:
    """Write a copy of ``draft`` to ``out`` with a Word comment on each flagged claim; returns how many.
    An existing ``out`` is replaced only with ``force``; the draft itself never."""
    from addin.proofread.comments import write_commented as _write

    return _write(Path(draft), result, Path(out), force=force)
