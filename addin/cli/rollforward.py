"""planreport rollforward WORKBOOK --out NEXT.xlsx"""
from __future__ import annotations

from addin.cli.options import add_input_options, options_from


def register(sub) -> None:
    p = sub.add_parser("rollforward", help="生成下一年的工作簿",
                       description="以附件2的下年目标生成下一年的附件1（完成情况、完成率留空待填），并把本年总量结转到“基础数据”。")
    p.add_argument("workbook", help="本年工作簿（.xlsx / .xlsm / .xls）")
    p.add_argument("--out", required=True, metavar="NEXT.xlsx", help="下一年工作簿的保存位置")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    add_input_options(p, as_of=False)
    p.set_defaults(func=run)


def run(args) -> int:
    from addin.app.rollforward import roll_forward

    out = roll_forward(args.workbook, args.out, options_from(args), force=args.force)
    print(f"已生成下一年工作簿：{out}")
    return 0
