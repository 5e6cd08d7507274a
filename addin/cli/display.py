"""Human output of `planreport check`: the indicator table and the findings, in Chinese."""
from __future__ import annotations

from addin.common.model import SEVERITY_WORDS, STATUS_WORDS, CheckResult
from addin.common.rounding import percent

STATUS_STYLE = {"met": "green", "unmet": "bold red underline", "not_computable": "yellow"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def summary_line(result: CheckResult) -> str:
    counts = {k: 0 for k in STATUS_WORDS}
    for ind in result.indicators:
        counts[ind.status] += 1
    errors = sum(f.severity == "error" for f in result.findings)
    return (
        f"共 {len(result.indicators)} 项指标：已完成 {counts['met']} 项，未完成 {counts['unmet']} 项，"
        f"无法核算 {counts['not_computable']} 项；核对问题 {len(result.findings)} 条（错误 {errors} 条）"
    )


# rich lays out a table in Python per cell: fine for an appendix, minutes for 70,000 rows.
RICH_TABLE_LIMIT = 500


def print_result(result: CheckResult, console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console(highlight=False)
    if len(result.indicators) > RICH_TABLE_LIMIT:
        _print_plain(result, console.file)
        return
    table = Table(title=result.meta.title or result.workbook, show_lines=False)
    for header, justify in (("序号", "right"), ("类别", "left"), ("指标", "left"), ("目标", "left"),
                            ("完成情况", "left"), ("核算完成率", "right"), ("填报完成率", "right"), ("状态", "left")):
        table.add_column(header, justify=justify, overflow="fold")
    for ind in result.indicators:
        style = STATUS_STYLE[ind.status]
        computed = Text(percent(ind.computed_rate), style="underline" if ind.status == "unmet" else "")
        table.add_row(
            "" if ind.no is None else str(ind.no), ind.category or "", ind.name, ind.target, ind.actual,
            computed, percent(ind.reported_rate), Text(STATUS_WORDS[ind.status], style=style),
        )
    console.print(table)
    if result.targets:
        console.print(f"计划目标表：{len(result.targets)} 项（{result.meta.plan_title or ''}）")
    if result.findings:
        console.print("核对问题：")
        for f in result.findings:
            label = Text(f"[{SEVERITY_WORDS[f.severity]}]", style=SEVERITY_STYLE[f.severity])
            console.print(label, Text(f"{f.cell or ''} {f.message}  ({f.code})"))
    console.print(summary_line(result))


def _print_plain(result: CheckResult, out) -> None:
    """One tab-separated line per indicator, for workbooks too large for a drawn table."""
    lines = ["\t".join(("位置", "序号", "指标", "目标", "完成情况", "核算完成率", "填报完成率", "状态"))]
    for ind in result.indicators:
        lines.append("\t".join((
            ind.cells.get("name", ""), "" if ind.no is None else str(ind.no), ind.name, ind.target, ind.actual,
            percent(ind.computed_rate), percent(ind.reported_rate), STATUS_WORDS[ind.status],
        )))
    for f in result.findings:
        lines.append(f"[{SEVERITY_WORDS[f.severity]}] {f.cell or ''} {f.message} ({f.code})")
    lines.append(summary_line(result))
    out.write("\n".join(lines) + "\n")
