"""planreport refresh WORKBOOK [--out DIR] [--format docx,html,pdf] [--templates DIR] [--no-writeback]"""
from __future__ import annotations

from addin.cli.check import _as_of, add_input_options


def add_output_options(parser) -> None:
    parser.add_argument("--format", default="docx,html", help="输出格式，逗号分隔：docx,html,pdf（默认 docx,html）")
    parser.add_argument("--templates", metavar="DIR", help="模板文件夹（默认使用随程序安装的模板）")
    parser.add_argument("--no-writeback", action="store_true", help="不把“核算结果”工作表写回工作簿")
    parser.add_argument("--date", help="报告日期，如 2026-01-28（默认取工作簿中的日期，不取当天）")
    parser.add_argument("--force-fonts", action="store_true", help="本机没有中文字体时仍生成 PDF（汉字会显示为方框）")
    parser.add_argument("--wait", type=float, default=0.0, metavar="秒", help="工作簿被另一次刷新锁定时最多等待的秒数")


def register(sub) -> None:
    p = sub.add_parser("refresh", help="核算并生成 Word/HTML 报告，写回“核算结果”",
                       description="核算完成率，生成 Word 与 HTML 报告（默认写到工作簿旁的“报告”文件夹），并把“核算结果”写回工作簿。")
    p.add_argument("workbook", help="工作簿（.xlsx / .xlsm）")
    p.add_argument("--out", metavar="DIR", help="报告输出文件夹（默认：工作簿旁的“报告”）")
    add_output_options(p)
    add_input_options(p)
    p.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD", help="报告加入截至该日的时间进度一节（6月30日即“双过半”）")
    p.set_defaults(func=run)


def run(args) -> int:
    from addin.cli.display import summary_line
    from addin.app.refresh import parse_formats, refresh_workbook

    outcome = refresh_workbook(
        args.workbook, out_dir=args.out, formats=parse_formats(args.format), templates=args.templates,
        writeback=not args.no_writeback, date=args.date, config=args.config, password=args.password, wait=args.wait,
        recalc=args.recalc, as_of=args.as_of, force_fonts=args.force_fonts,
    )
    import sys

    for warning in outcome.warnings:
        print(f"planreport: {warning}", file=sys.stderr)
    print(summary_line(outcome.result))
    for path in outcome.outputs:
        print(f"已生成：{path}")
    if outcome.written_back:
        print(f"已写回“核算结果”工作表：{outcome.written_back}")
    return 1 if outcome.result.has_errors else 0
