"""`planreport check --explain`: the reading map for a person, in Chinese.

The same map as ``check --json`` "tables" / "skipped": which sheet was read as which
table, from which rows and columns, and why every other sheet was not read.
"""
from __future__ import annotations

from addin.common.model import CheckResult
from addin.workbook.read.vocabulary import ROLE_WORDS as TABLE_ROLE_WORDS

KIND_WORDS = {"completion": "完成情况表", "plan": "计划目标表", "levels": "基础数据（总量）表"}
# The levels sheet's roles beside the indicator tables' (addin/core/levels.py).
ROLE_WORDS = {**TABLE_ROLE_WORDS, "year": "年份", "value": "数值", "growth": "增速", "source": "来源"}


def _rows(first, last) -> str:
    if first is None:
        return "没有数据行"
    return f"数据第{first}行" if first == last else f"数据第{first}-{last}行"


def explain_lines(result: CheckResult) -> list[str]:
    lines = [f"读取情况：{result.workbook}", "已读取："]
    for t in result.tables:
        header = "、".join(str(r) for r in t.header_rows)
        columns = "、".join(f"{ROLE_WORDS.get(role, role)} {letter}" for role, letter in t.columns.items())
        parts = [f"表头第{header}行", _rows(t.first_row, t.last_row)]
        if t.year:
            parts.append(f"{t.year}年")
        parts.append(f"列：{columns}")
        if t.unit:
            parts.append(f"单位“{t.unit['text']}”取自 {t.unit['cell']}")
        lines.append(f"  · {t.sheet}：{KIND_WORDS.get(t.kind, t.kind)}，" + "，".join(parts))
    if result.skipped:
        lines.append("未读取：")
        lines.extend(f"  · {s.sheet}：{s.reason}" for s in result.skipped)
    return lines
