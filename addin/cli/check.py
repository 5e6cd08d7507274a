"""planreport check WORKBOOK [--json] [--explain] [--as-of DATE] [--config F] [--password P] [--recalc]"""
from __future__ import annotations

from addin.cli.options import add_input_options, options_from


def register(sub) -> None:
    p = sub.add_parser("check", help="核算完成率并核对数据", description="读取工作簿中的指标表，核算完成率，列出核对问题。")
    p.add_argument("workbook", help="工作簿（.xlsx / .xlsm / .xls）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")
    p.add_argument("--explain", action="store_true", help="先列出读取了哪些表、哪些行列，以及未读取的工作表和原因")
    add_input_options(p)
    p.set_defaults(func=run)


def write_json(data: dict, stream, *, indent_limit: int = 2000, batch: int = 1000) -> None:
    """UTF-8 JSON, Chinese unescaped. Small results indented for people; large ones compact and
    written list item by list item, so 50,000 rows never sit in memory as one 45 MB string."""
    import json

    if len(data.get("indicators", ())) <= indent_limit:
        stream.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        return
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    stream.write(b"{")
    for k, (key, value) in enumerate(data.items()):
        stream.write(((", " if k else "") + dumps(key) + ": ").encode("utf-8"))
        if not isinstance(value, list):
            stream.write(dumps(value).encode("utf-8"))
            continue
        stream.write(b"[")
        for start in range(0, len(value), batch):
            chunk = ", ".join(dumps(item) for item in value[start:start + batch])
            stream.write(((", " if start else "") + chunk).encode("utf-8"))
        stream.write(b"]")
    stream.write(b"}\n")


def run(args) -> int:
    import sys

    from addin.app.pipeline import run as check

    result = check(args.workbook, options_from(args)).result
    if args.json:
        write_json(result.to_json(), sys.stdout.buffer)
        sys.stdout.flush()
    else:
        from addin.cli.display import print_result

        if args.explain:
            from addin.cli.explain import explain_lines

            print("\n".join(explain_lines(result)) + "\n")

        print_result(result)
    return 1 if result.has_errors else 0
