"""`planreport` command line: each subcommand is a thin wrapper in addin/cli/."""
from __future__ import annotations

import argparse
import importlib
import os
import re
import sys

from addin import __version__
from addin.common.errors import PlanReportError

# Modules under addin.cli, each with register(subparsers). Imported when the
# parser is built; each keeps its heavy imports inside its run function.
COMMANDS = ["check", "refresh", "batch", "rollforward", "proofread", "excel", "libreoffice"]

EXIT_CODES = """退出码: 0 无错误; 1 发现错误级核对问题; 2 工作簿无法使用或命令失败"""


# argparse's English usage errors, as the one Chinese line every other error is.
_USAGE_ERRORS = [
    (r"the following arguments are required: (.+)", "缺少参数 {0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数 {0}"),
    (r"argument 命令: invalid choice: (.+?) \(choose from (.+)\)", "没有命令 {0}（可用：{1}）"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 的取值 {1} 无效（可选：{2}）"),
    (r"argument (.+?): invalid (\w+) value: (.+)", "参数 {0} 的值 {2} 无效（应为{1}）"),
    (r"argument (.+?): expected one argument", "参数 {0} 后面需要一个值"),
    (r"argument (.+?): expected (.+)", "参数 {0} 的值个数不对"),
    (r"argument (.+?): not allowed with argument (.+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"argument (.+?): ignored explicit argument (.+)", "参数 {0} 不接受值 {1}"),
    (r"ambiguous option: (.+?) could match (.+)", "选项 {0} 不明确，可能是 {1}"),
    (r"one of the arguments (.+) is required", "需要以下参数之一：{0}"),
    # a type= function's own Chinese message (--as-of 日期…无法识别): only the English prefix goes
    (r"argument (.+?): (.*[\u4e00-\u9fff].*)", "参数 {0}：{1}"),
]
_KINDS = {"int": "整数", "float": "数字"}


def usage_error_text(message: str) -> str:
    for pattern, chinese in _USAGE_ERRORS:
        m = re.fullmatch(pattern, message)
        if m:
            return chinese.format(*(_KINDS.get(g, g) for g in m.groups()))
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """Usage errors as one Chinese line and exit 2, not four lines of English usage.
    Subcommand parsers are made of the same class (argparse uses type(parent))."""

    def error(self, message: str):
        text = usage_error_text(message)
        dashed = [a for a in sys.argv[1:] if a.startswith("-") and not a.startswith("--") and "." in a]
        if dashed:
            text += f"（以 - 开头的文件名会被当作选项，请写成 ./{dashed[0]}）"
        self.exit(2, f"{self.prog}: 参数错误：{text}；用 {self.prog} -h 查看用法\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
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


_console = False  # set by console_main: this process is the planreport command and ends with it


def console_main() -> None:
    """The ``planreport`` console script: main() in a process of its own, which it ends."""
    global _console
    _console = True
    raise SystemExit(main())


def leave(code: int) -> int:
    """A command that has written all it had to say ends the process here when it is the console
    script: with os._exit, so the interpreter does not free every object first (50,000 indicators:
    about 0.15 s of a check spent on freeing them, then on tearing the modules down). Called where
    the command's objects are still referenced, and only by commands that have no temporary file
    or child process left to clean up; in-process callers (tests, the add-ins) get ``code`` back."""
    if _console:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


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
    except OSError as exc:  # a file operation no layer turned into its own line: still one line naming the file
        if debug:
            raise
        from addin.workbook.files import reason

        where = exc.filename if exc.filename is not None else "文件"
        print(f"planreport: {where}: 文件操作失败（{reason(exc)}）", file=sys.stderr)
        return 2
    except Exception as exc:  # the promise is one line, never a traceback, unless --debug
        if debug:
            raise
        print(f"planreport: 内部错误 {type(exc).__name__}: {exc}（加 --debug 查看详情）", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
