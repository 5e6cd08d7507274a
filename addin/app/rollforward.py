"""Next year's workbook from this year's: 附件1 holds 附件2's targets, 基础数据 this year's levels.

A new file written with openpyxl (not a round trip of the user's workbook):
附件1 (类别/序号/指标/目标/完成情况/完成率, 完成情况 and 完成率 empty),
an empty 附件2 for the year after, and 基础数据 carrying this year's levels as
next year's "last year" (docs/levels.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from addin.common.errors import PlanReportError
from addin.common.model import CheckResult, WorkbookData
from addin.core.parse import parse
from addin.app.options import Options
from addin.workbook.files import atomic_write

HEADER1 = ("类别", "序号", "指标", "目标", "完成情况", "完成率")
HEADER2 = ("序号", "指标名称", "单位", "全年目标")
HEADER3 = ("指标", "年份", "数值", "单位", "增速", "来源")
NOTE1 = "注：下划线表示未完成年度目标任务"
OTHER = "其他指标"
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class NextRow:
    category: str
    name: str
    target: str


@dataclass
class LevelLine:
    name: str
    year: int
    value: Optional[float]
    unit: str
    growth: str
    source: str


def _target_text(target: str, unit: Optional[str]) -> str:
    """'9000' with 单位 '人' -> '9000人': 附件1 has no unit column."""
    expr = parse(target)
    return target + unit if expr.is_number and expr.unit is None and unit else target


def next_rows(result: CheckResult) -> list[NextRow]:
    """附件2's targets, each under its 附件1 category, categories in 附件1's order."""
    from addin.core.growth_compare import match_targets

    matched = {id(t): result.indicators[n].category for n, t in match_targets(result.indicators, result.targets).items()}
    order = list(dict.fromkeys(i.category for i in result.indicators))
    rows = [NextRow(matched.get(id(t)) or OTHER, t.name, _target_text(t.target, t.unit)) for t in result.targets]
    rank = {c: n for n, c in enumerate(order)}
    return sorted(rows, key=lambda r: rank.get(r.category, len(rank)))  # stable: 附件2's order within a category


def level_lines(data: WorkbookData, result: CheckResult, year: int) -> list[LevelLine]:
    """This year's levels (基础数据, or 附件1 levels under growth targets) and next year's rows as entered."""
    from addin.core.growth_compare import exprs
    from addin.core.levels import name_key, read_levels

    levels = read_levels(data.grids)
    rows = levels.rows if levels is not None else []
    lines = [LevelLine(r.name.text, r.year, float(r.value) if r.value is not None else None, r.unit_text or "",
                       r.growth_cell.text if r.growth_cell is not None else "", r.source)
             for r in rows if (r.year == year and r.value is not None) or r.year > year]
    have = {(name_key(line.name), line.year) for line in lines if line.value is not None}
    for ind in result.indicators:
        target, actual = exprs(ind)
        if target.unit == "%" and actual.kind == "number" and actual.unit not in (None, "%") \
                and (name_key(ind.name), year) not in have:
            lines.append(LevelLine(ind.name, year, float(actual.value), actual.unit_text or "", "",
                                   f"{year}年附件1完成情况（{ind.cells.get('actual')}）"))
    first = {}
    for line in lines:
        first.setdefault(name_key(line.name), len(first))
    lines.sort(key=lambda line: (first[name_key(line.name)], line.year))
    for line in lines:
        line.source = line.source or f"由{year}年工作簿结转"
    return lines


def _title(old: Optional[str], year: int, new_year: int, fallback: str) -> str:
    if old and str(year) in old:
        return old.replace(str(year), str(new_year))
    return fallback


def _styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    side = Side(style="thin", color="000000")
    return {
        "title": Font(name="仿宋", size=16, bold=True), "head": Font(name="仿宋", size=12, bold=True),
        "body": Font(name="仿宋", size=12), "border": Border(left=side, right=side, top=side, bottom=side),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
    }


def _text_cell(ws, row: int, col: int, value):
    """A cell whose text stays text: openpyxl stores a string beginning with "=" as a formula,
    and Excel turns "+", "-", "@" texts into formulas as soon as the cell is edited. 附件2 is
    typed by people (and may come from anyone): quotePrefix keeps each one the text it was."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _table(ws, title: str, header: tuple, lines: list[tuple], widths: tuple, st, left_cols=()) -> None:
    _text_cell(ws, 1, 1, title).font = st["title"]
    ws.cell(1, 1).alignment = st["center"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for r, values in enumerate([header, *lines], 2):
        for c, value in enumerate(values, 1):
            cell = _text_cell(ws, r, c, value)
            cell.font = st["head"] if r == 2 else st["body"]
            cell.border = st["border"]
            cell.alignment = st["left"] if c in left_cols and r > 2 else st["center"]
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[chr(64 + c)].width = width


def _merge_categories(ws, rows: list[NextRow]) -> None:
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].category != rows[start].category:
            for r in range(3 + start + 1, 3 + i):
                ws.cell(r, 1).value = None
            if i - start > 1:
                ws.merge_cells(start_row=3 + start, start_column=1, end_row=2 + i, end_column=1)
            start = i


def build(data: WorkbookData, result: CheckResult):
    """The next year's openpyxl Workbook."""
    from openpyxl import Workbook

    year = result.meta.year
    if not result.targets:
        raise PlanReportError(f"工作簿 {data.path} 中没有找到下年目标表（附件2：指标名称、全年目标），无法结转")
    plan_year = result.meta.plan_year or (year + 1 if year else None)
    if plan_year is None:
        raise PlanReportError(f"工作簿 {data.path} 的附件1标题中没有年份，无法确定下一年")
    year = year or plan_year - 1
    st = _styles()
    wb = Workbook()
    ws1 = wb.active
    ws1.title = "附件1"
    rows = next_rows(result)
    _table(ws1, _title(result.meta.title, year, plan_year, f"{plan_year}年国民经济和社会发展计划执行情况"),
           HEADER1, [(r.category, n, r.name, r.target, None, None) for n, r in enumerate(rows, 1)],
           (14, 7, 44, 24, 24, 12), st, left_cols=(3,))
    _merge_categories(ws1, rows)
    ws1.cell(3 + len(rows), 1, NOTE1).font = st["body"]
    ws1.freeze_panes = "A3"
    _table(wb.create_sheet("附件2"), _title(result.meta.plan_title, plan_year, plan_year + 1,
                                           f"{plan_year + 1}年国民经济和社会发展主要目标"),
           HEADER2, [], (7, 36, 10, 28), st)
    lines = level_lines(data, result, year)
    _table(wb.create_sheet("基础数据"), "基础数据（总量与增速）", HEADER3,
           [(ln.name, ln.year, ln.value, ln.unit, ln.growth, ln.source) for ln in lines],
           (26, 8, 12, 8, 10, 56), st, left_cols=(1, 6))
    wb.properties.title = ws1.cell(1, 1).value
    return wb


def roll_forward(path, out, options: Optional[Options] = None, *, force: bool = False, **changes) -> Path:
    """Read ``path``, write next year's workbook to ``out`` (atomically); returns ``out``.
    ``options`` (or keyword changes: config=, settings=, password=, recalc=) as every use case takes."""
    from addin.app.pipeline import run

    path, out = Path(path), Path(out)
    if out.exists() and out.resolve() == path.resolve():
        raise PlanReportError(f"{out}: 输出文件不能是原工作簿本身")
    if out.exists() and not force:
        raise PlanReportError(f"{out}: 文件已存在（加 --force 覆盖）")
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise PlanReportError(f"{out}: 输出文件应为 .xlsx")
    checked = run(path, (options or Options()).with_(**changes))
    wb = build(checked.data, checked.result)
    return atomic_write(out, wb.save)

