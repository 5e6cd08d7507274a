"""planreport refresh WORKBOOK [--out DIR] [--format docx,html,pdf] [--templates DIR] [--date D] [--as-of D] [--no-writeback]"""
from __future__ import annotations

from addin.cli.options import add_input_options, add_output_options, options_from


def register(sub) -> None:
    p = sub.add_parser("refresh", help="核算并生成 Word/HTML 报告，写回“核算结果”",
                       description="核算完成率，生成 Word 与 HTML 报告（默认写到工作簿旁的“报告”文件夹），并把“核算结果”写回工作簿。")
    p.add_argument("workbook", help="工作簿（.xlsx / .xlsm）")
    p.add_argument("--out", metavar="DIR", help="报告输出文件夹（默认：工作簿旁的“报告”）")
    add_output_options(p)
    add_input_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from addin.cli.display import summary_line
    from addin.app.refresh import refresh_workbook

    outcome = refresh_workbook(args.workbook, out_dir=args.out, options=options_from(args))
    import sys

    for warning in outcome.warnings:
        print(f"planreport: {warning}", file=sys.stderr)
    print(summary_line(outcome.result))
    for path in outcome.outputs:
        print(f"已生成：{path}")
    if outcome.written_back:
        print(f"已写回“核算结果”工作表：{outcome.written_back}")
    return 1 if outcome.result.has_errors else 0
