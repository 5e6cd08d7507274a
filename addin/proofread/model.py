"""Typed records passed between the proofread stages:

draft (.docx) -> Paragraph -> claims -> Claim -> match (+ Fact from source) -> Match -> judge -> Finding

Each stage returns new records; none edits what an earlier stage produced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Optional

Severity = Literal["error", "warning", "info"]
# What a number in prose says about the quantity it names.
#   exact 达1505.02亿元 · over 超70% / 突破6亿元 (strictly more) · at_least 30%以上 · at_most 4%以内
#   near 近万人 (a little less) · plus 500余场 (a little more) · about 约 / 左右
Sense = Literal["exact", "over", "at_least", "at_most", "near", "plus", "about"]
# What kind of number: a growth rate, a share or ratio, an amount (level or count),
# a completion rate, a change in an amount (较上年增加0.77万人), a starting value (从80%提升到90%).
Kind = Literal["growth", "share", "amount", "rate", "change", "baseline", "statement"]
Verdict = Literal["agrees", "differs", "bound", "unit", "unmatched", "name", "category"]
Role = Literal["actual", "target", "rate", "plan_target", "level", "level_growth"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, in the base unit family the workbook reader uses (亿元 -> 元 × 1e8)."""

    value: Decimal  # as written
    scale: Decimal  # value * scale is in base units
    unit: Optional[str]  # base unit family: "元", "%", "人", "个" ...
    unit_text: Optional[str]  # as written: "亿元"
    bound: Literal["floor", "ceiling", "about", "exact"] = "exact"
    approx: bool = False
    down: bool = False  # a fall (下降3.8%)

    @property
    def base(self) -> Decimal:
        value = self.value * self.scale
        return -value if self.down else value

    @property
    def decimals(self) -> int:
        exponent = self.value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the draft, its runs' text joined. ``index`` is its number among the body
    paragraphs (see draft.read_draft); ``order`` counts every paragraph walked, tables and headers
    too, which is how comments.py finds it again."""

    index: int
    order: int
    where: str  # 正文 · 表格 · 页眉 · 页脚
    text: str
    context: str = ""  # a table cell's row, read as the cell's surroundings
    label: str = ""  # 第3段 · 表1第2行第3列（第2段后） · 页眉


@dataclass(frozen=True, slots=True)
class Claim:
    paragraph: int  # Paragraph.index
    order: int  # Paragraph.order
    start: int  # span of the number and its unit in Paragraph.text
    end: int
    text: str  # the number as written, with its bound words: "超 70%"
    quantity: Optional[Quantity]
    sense: Sense
    kind: Kind
    near: str  # the words around it that say what it counts
    subject: str  # the noun phrase nearest the number
    fallback: str = ""  # the clause before an earlier number when near has no words of its own
    topic: str = ""  # the paragraph's first sentence (its heading in a report)
    year: Optional[int] = None
    target_words: bool = False  # 目标 / 计划 / 预期 ... in the sentence, or a table cell (a 目标 column)
    statement: Optional[str] = None  # kind == statement: 全面完成 / 超额完成 ...
    surface: str = ""  # the number and unit, normalized: "5000万元" (to tell a number inside a name)
    left: str = ""  # the two characters before it, and after it
    right: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    """One number the workbook holds, with the name that says what it is."""

    cell: str
    name: str
    role: Role
    kind: Kind
    quantity: Optional[Quantity]
    display: str  # the cell as a statistician reads it: "21家", "1505.02亿元"
    year: Optional[int] = None
    category: Optional[str] = None
    met: Optional[bool] = None  # completion indicators: met / unmet / None when not computable
    row_key: str = ""  # facts of one workbook row share it (sheet!row)
    order: int = 0  # completion table first: it is what the report tables


@dataclass(frozen=True, slots=True)
class Match:
    fact: Fact
    confidence: float
    alternatives: tuple[Fact, ...] = ()  # other facts as good as this one


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    paragraph: int
    where: str
    text: str
    cell: Optional[str]
    message: str
    order: int = 0
    start: int = 0
    end: int = 0

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "paragraph": self.paragraph, "where": self.where,
                "text": self.text, "cell": self.cell, "message": self.message}


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claim: Claim
    match: Optional[Match]
    verdict: Verdict

    def to_json(self) -> dict:
        q = self.claim.quantity
        match = None
        if self.match is not None:
            match = {"cell": self.match.fact.cell, "name": self.match.fact.name,
                     "confidence": round(self.match.confidence, 2)}
        return {"paragraph": self.claim.paragraph, "text": self.claim.text,
                "value": float(q.value) if q is not None else None,
                "unit": q.unit_text if q is not None else None, "match": match, "verdict": self.verdict}


@dataclass
class ProofreadResult:
    draft: str
    workbook: str
    paragraphs: int
    claims: list[ClaimResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # Paragraph.order -> 第3段 / 表1第2行第3列（第2段后）

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict:
        return {"draft": self.draft, "workbook": self.workbook, "paragraphs": self.paragraphs,
                "findings": [f.to_json() for f in self.findings],
                "claims": [c.to_json() for c in self.claims]}
