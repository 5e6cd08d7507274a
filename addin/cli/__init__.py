"""`planreport` command line: each subcommand is a thin wrapper in addin/cli/."""
from __future__ import annotations

import argparse
import importlib
import sys

from addin import __version__
from addin.common.errors import PlanReportError

# Modules under addin.cli, each with register(subparsers). Imported when the
# parser is built; each keeps its heavy imports inside its run function.
COMMANDS = ["check", "refresh", "batch", "rollforward", "excel", "libreoffice"]

EXIT_CODES = """退出码: 0 无错误; 1 发现错误级核对问题; 2 工作簿无法使用或命令失败"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planreport",
        description="计划执行情况报告：核算完成率、核对数据、生成 Word/HTML 报告。",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"planreport {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示完整的 Python 调用栈")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"addin.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"addin.cli.{name}":
                continue  # command not built yet in this checkout
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    debug = args.debug
    try:
        return int(args.func(args) or 0)
    except PlanReportError as exc:
        if debug:
            raise
        print(f"planreport: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("planreport: 已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise is one line, never a traceback, unless --debug
        if debug:
            raise
        print(f"planreport: 内部错误 {type(exc).__name__}: {exc}（加 --debug 查看详情）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
