"""The human view: findings by paragraph, each with the claim, the cell and the cell's value."""
from __future__ import annotations

from typing import TextIO

from addin.proofread.model import ProofreadResult

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def format_result(result: ProofreadResult) -> list[str]:
    lines = []
    matched = sum(1 for c in result.claims if c.match is not None and c.verdict != "name")
    lines.append(f"文稿 {result.draft}：{result.paragraphs} 段，数字说法 {len(result.claims)} 处，"
                 f"与工作簿 {result.workbook} 对上 {matched} 处")
    if not result.findings:
        lines.append("未发现与工作簿不符的说法。")
        return lines
    current = None
    for f in sorted(result.findings, key=lambda f: (f.order, f.start)):
        if f.order != current:
            current = f.order
            lines.append(f"{f.where}")
        lines.append(f"  [{_SEVERITY[f.severity]}] {f.message}")  # the message names the cell, its value and the claim
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in _SEVERITY}
    lines.append("合计：" + "，".join(f"{_SEVERITY[s]} {n} 处" for s, n in counts.items() if n))
    return lines


def print_result(result: ProofreadResult, stream: TextIO) -> None:
    for line in format_result(result):
        print(line, file=stream)
