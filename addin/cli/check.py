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


INDENT_LIMIT = 2000  # rows up to which --json is indented for people


def write_json(data: dict, stream, *, indent_limit: int = INDENT_LIMIT, batch: int = 1000) -> None:
    """UTF-8 JSON, Chinese unescaped. Small results indented for people; large ones compact and
    written list item by list item, so 50,000 rows never sit in memory as one 45 MB string.
    orjson encodes 5x faster than the json module and writes UTF-8 bytes directly."""
    import orjson

    from addin.common.nogc import paused_gc  # acyclic dicts, made by the thousand

    if len(data.get("indicators", ())) <= indent_limit:
        stream.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return
    with paused_gc():
        _write_chunked(data, stream, batch)


def _write_chunked(data: dict, stream, batch: int) -> None:
    import orjson

    stream.write(b"{")
    for k, (key, value) in enumerate(data.items()):
        stream.write((b", " if k else b"") + orjson.dumps(key) + b": ")
        if not isinstance(value, list):
            stream.write(orjson.dumps(value))
            continue
        stream.write(b"[")
        for start in range(0, len(value), batch):
            items = [x.to_json() if hasattr(x, "to_json") else x for x in value[start:start + batch]]
            chunk = orjson.dumps(items)[1:-1]  # the items, without the brackets
            stream.write((b", " if start and chunk else b"") + chunk)
        stream.write(b"]")
    stream.write(b"}\n")


def json_view(result, indent_limit: int = INDENT_LIMIT) -> dict:
    """result.to_json(), except that a large result keeps its rows as objects: write_json turns
    them into dicts 1,000 at a time, so 50,000 of them never exist at once (−45 MB at 50,000)."""
    if len(result.indicators) <= indent_limit:
        return result.to_json()
    from dataclasses import replace

    data = replace(result, indicators=[], targets=[], findings=[]).to_json()  # the keys, in their order
    data.update(indicators=result.indicators, targets=result.targets, findings=result.findings)
    return data


def run(args) -> int:
    import gc

    # One workbook, then the process ends: the objects it builds have no cycles (addin/common/nogc.py),
    # so the collector stays off throughout rather than being switched back on between the read,
    # the check and the JSON; each time it was, its first collection walked every row built so far.
    was_on = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_on:
            gc.enable()


def _run(args) -> int:
    import sys

    from addin.app.pipeline import run as check

    result = check(args.workbook, options_from(args)).result
    if args.json:
        write_json(json_view(result), sys.stdout.buffer)
        sys.stdout.flush()
    else:
        from addin.cli.display import print_result

        if args.explain:
            from addin.cli.explain import explain_lines

            print("\n".join(explain_lines(result)) + "\n")

        print_result(result)
    from addin.cli import leave

    return leave(1 if result.has_errors else 0)  # while ``result`` is referenced: its 50,000 rows are never freed one by one
