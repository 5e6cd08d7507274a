"""The flags every use case shares, and the one place they become an ``Options``: a flag
added here reaches check, refresh, batch and rollforward alike."""
from __future__ import annotations

from pathlib import Path

from addin.app.options import Options


def _as_of(text: str):
    # addin.core.progress pulls in the growth checks; import it only when --as-of is given.
    from addin.core.progress import parse_as_of

    return parse_as_of(text)


def _formats(text: str) -> tuple[str, ...]:
    import argparse

    from addin.app.refresh import parse_formats
    from addin.common.errors import PlanReportError

    try:
        return parse_formats(text)
    except PlanReportError as exc:  # argparse reports its own error type as a usage error
        raise argparse.ArgumentTypeError(str(exc)) from None


def _report_date(text: str) -> str:
    """--date: free text is kept as written (二〇二六年一月), but a numeric date must be a real day."""
    import argparse
    import datetime

    from addin.core.progress import NUMERIC_DATE

    m = NUMERIC_DATE.fullmatch(text)
    if m:
        try:
            datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise argparse.ArgumentTypeError(f"报告日期“{text}”不是有效的日期（应为 YYYY-MM-DD，如 2026-01-28）") from None
    return text


def _seconds(text: str) -> float:
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"等待秒数“{text}”应为不小于 0 的数字")
    return value


def add_input_options(parser, *, as_of: bool = True) -> None:
    """How to open and check a workbook."""
    parser.add_argument("--config", metavar="FILE", help="设置文件（默认读取工作簿旁的 planreport.toml）")
    parser.add_argument("--password", metavar="密码", help="打开加密工作簿的密码")
    parser.add_argument("--recalc", action="store_true", help="先用 LibreOffice 重新计算公式（工作簿未保存计算结果时使用），原文件不变")
    if as_of:
        parser.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                            help="按截至该日的时间进度核对累计类目标（6月30日即“双过半”）")


def add_output_options(parser) -> None:
    """What refresh writes (refresh and batch)."""
    parser.add_argument("--format", "--formats", dest="formats", type=_formats, default=("docx", "html"),
                        metavar="docx,html,pdf", help="输出格式，逗号分隔：docx,html,pdf（默认 docx,html）")
    parser.add_argument("--templates", metavar="DIR", help="模板文件夹（默认使用随程序安装的模板）")
    parser.add_argument("--no-writeback", action="store_true", help="不把“核算结果”工作表写回工作簿")
    parser.add_argument("--date", type=_report_date, help="报告日期，如 2026-01-28（默认取 planreport.toml 中 [report] 的 date；都没有则不写日期）")
    parser.add_argument("--force-fonts", action="store_true", help="本机没有中文字体时仍生成 PDF（汉字会显示为方框）")
    parser.add_argument("--wait", type=_seconds, default=0.0, metavar="秒", help="工作簿被另一次刷新锁定时最多等待的秒数")


def options_from(args) -> Options:
    """The parsed flags as the use cases' options (flags a command lacks keep their defaults)."""
    def flag(name):
        return getattr(args, name, None)

    return Options().with_(
        config=Path(args.config) if flag("config") else None, password=flag("password"),
        recalc=flag("recalc") or None, as_of=flag("as_of"), formats=flag("formats"),
        templates=Path(args.templates) if flag("templates") else None, date=flag("date"),
        writeback=False if flag("no_writeback") else None, wait=flag("wait"), force_fonts=flag("force_fonts") or None)
