"""planreport proofread DRAFT.docx --workbook WB.xlsx [--json] [--out CHECKED.docx] [--config F]"""
from __future__ import annotations

from addin.cli.options import add_input_options


def register(sub) -> None:
    p = sub.add_parser("proofread", help="核对文稿中的数字与工作簿是否一致",
                       description="读取 Word 文稿（.docx），找出其中的数字说法，与工作簿的指标、目标和基础数据逐一核对。")
    p.add_argument("draft", help="文稿（.docx）")
    p.add_argument("--workbook", required=True, metavar="工作簿", help="工作簿（.xlsx / .xlsm / .xls）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")
    p.add_argument("--out", metavar="FILE", help="另存一份带批注的文稿：每处不符的数字上加一条 Word 批注")
    p.add_argument("--force", action="store_true", help="--out 文件已存在时覆盖（文稿本身从不覆盖）")
    add_input_options(p, as_of=False)  # --config (its [proofread] table: aliases, match_at), --password, --recalc
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import sys

    from addin.proofread import proofread, write_commented

    result = proofread(args.draft, args.workbook, config=args.config, password=args.password, recalc=args.recalc)
    if args.out:
        count = write_commented(args.draft, result, args.out, force=args.force)
        print(f"已写出带批注的文稿 {args.out}（{count} 条批注）", file=sys.stderr)
    if args.json:
        sys.stdout.buffer.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        sys.stdout.flush()
    else:
        from addin.proofread.view import print_result

        print_result(result, sys.stdout)
    return 1 if result.has_errors else 0
