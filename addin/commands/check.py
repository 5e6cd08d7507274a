"""planreport check WORKBOOK [--json] [--config F]"""
from __future__ import annotations

from addin.progress import apply_progress, parse_as_of  # standard library only: keeps --help fast


def add_input_options(parser) -> None:
    """Options every command that reads a workbook takes."""
    parser.add_argument("--config", metavar="FILE", help="设置文件（默认读取工作簿旁的 planreport.toml）")
    parser.add_argument("--password", metavar="密码", help="打开加密工作簿的密码")
    parser.add_argument("--recalc", action="store_true", help="先用 LibreOffice 重新计算公式（工作簿未保存计算结果时使用），原文件不变")


def register(sub) -> None:
    p = sub.add_parser("check", help="核算完成率并核对数据", description="读取工作簿中的指标表，核算完成率，列出核对问题。")
    p.add_argument("workbook", help="工作簿（.xlsx / .xlsm / .xls）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")
    p.add_argument("--as-of", type=parse_as_of, metavar="YYYY-MM-DD", help="按截至该日的时间进度核对累计类目标（6月30日即“双过半”）")
    add_input_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import sys

    from addin.pipeline import check_workbook

    result = check_workbook(args.workbook, config=args.config, password=args.password, recalc=args.recalc)
    if args.as_of:
        apply_progress(result, args.as_of)
    if args.json:
        # Indented output goes through json's pure-Python encoder; past a few thousand rows, stay compact.
        indent = 2 if len(result.indicators) <= 2000 else None
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=indent)
        sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
        sys.stdout.flush()
    else:
        from addin.display import print_result

        print_result(result)
    return 1 if result.has_errors else 0
