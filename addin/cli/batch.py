"""planreport batch DIR_OR_GLOB --out DIR [--jobs N] [--json] [--log FILE] and every option refresh takes"""
from __future__ import annotations

from addin.cli.options import add_input_options, add_output_options, options_from


def register(sub) -> None:
    p = sub.add_parser(
        "batch", help="批量核算一个文件夹中的全部工作簿",
        description="并行核算多个工作簿，逐个生成报告并写回“核算结果”工作表；某个文件出错时继续处理其余文件。"
                    "在终端中显示进度条，无终端时（计划任务）默认不输出，仅在失败时向标准错误输出失败的文件。",
        epilog="退出码: 0 全部成功; 1 有工作簿存在错误级核对问题; 2 有工作簿无法处理")
    p.add_argument("inputs", metavar="DIR_OR_GLOB", help="文件夹（其中的 .xlsx/.xlsm/.xls）或通配符，如 'data/**/*.xlsx'")
    p.add_argument("--out", required=True, metavar="DIR", help="报告输出文件夹（另生成 index.html 汇总页）")
    p.add_argument("--jobs", type=int, default=0, metavar="N", help="并行进程数（默认：CPU 核数）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出汇总（UTF-8）")
    p.add_argument("--log", metavar="FILE", help="日志文件：每个工作簿一行，追加写入")
    add_output_options(p)
    add_input_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import os
    import sys

    from addin.app.batch import SUMMARY_COLUMNS, find_workbooks, run_batch
    from addin.common.errors import PlanReportError

    inputs = find_workbooks(args.inputs)
    if not inputs:
        raise PlanReportError(f"{args.inputs}: 没有找到工作簿（.xlsx/.xlsm/.xls）")
    summary = run_batch(inputs, args.out, jobs=args.jobs or os.cpu_count() or 1, log=args.log,
                        options=options_from(args))
    for warning in summary.warnings:
        print(f"planreport: {warning}", file=sys.stderr)
    if args.json:
        text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2)
        sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
        sys.stdout.flush()
    elif sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*SUMMARY_COLUMNS, title=f"批量核算（{summary.seconds:.1f} 秒）")
        for row in summary.rows:
            table.add_row(*(str(v) for v in row.cells()), style="red" if not row.ok else None)
        table.add_row(*(str(v) for v in summary.totals()), style="bold")
        Console().print(table)
        print(f"汇总页：{summary.index_html}")
    for row in summary.failed:
        print(f"planreport: 失败 {row.file}: {row.message}", file=sys.stderr)
    return summary.exit_code
