"""Find indicator tables in sheet grids by their header words, not their position.

Every sheet ends up either as tables or as a SkippedSheet with the reason, and a
sheet whose header words were seen but not understood is also a warning finding:
a table is never missed silently.  The words are data (vocabulary.py); header
blocks of 1-3 rows are found in headers.py; layouts detection cannot guess are
named in planreport.toml ``[[tables]]`` (addin.common.layouts.TableLayout).
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from addin.common.layouts import TableLayout
from addin.common.model import RESULTS_SHEET, RESULTS_SHEET_ALT, Cell, Finding, IndicatorRow, SheetGrid, SkippedSheet, Table, cell_ref
from addin.common.text import normalize
from addin.workbook.read.headers import VALUE_ROLES, Header, MergeIndex, column_year, header_at, resolve_columns
from addin.workbook.read.vocabulary import (BRACKETS, HEADER_WORD_LIMIT, HEADER_WORDS, ROLE_WORDS, YEAR_RE, _header_role,
                                            header_role, note_units)

__all__ = ["BRACKETS", "YEAR_RE", "HEADER_WORDS", "header_role", "find_tables", "read_tables"]

_NOTE = re.compile(r"^(注|备注|说明|数据来源|资料来源|单位[:：]|计量单位[:：])")
_ROW_VALUES = (*VALUE_ROLES, "verdict")
_ROW_CELLS = ("no", "unit", "target", "actual", "rate", "verdict")  # IndicatorRow's cell fields, in its order
_DIGITS = frozenset("0123456789")
# "附件1", "表1", "附表2" above a table label it; the title is the sentence beside it.
_TAB_REASONS = {"chartsheet": "图表工作表，没有单元格数据", "dialogsheet": "对话框工作表（Excel 5.0），没有单元格数据",
                "macrosheet": "宏表（Excel 4.0 宏），不是指标表，未读取"}
_LABEL = re.compile(r"^(?:附件|附表|表)\s*[\d一二三四五六七八九十]+$")


def find_tables(grids: dict[str, SheetGrid]) -> list[Table]:
    return read_tables(grids)[0]


def read_tables(grids: dict[str, SheetGrid], layouts: Sequence[TableLayout] = ()
                ) -> tuple[list[Table], list[SkippedSheet], list[Finding]]:
    """Tables, the sheets not read as tables (with why), and warnings for sheets that looked like tables."""
    by_sheet: dict[str, list[TableLayout]] = {}
    for layout in layouts:
        by_sheet.setdefault(layout.sheet, []).append(layout)
    tables: list[Table] = []
    skipped: list[SkippedSheet] = []
    findings: list[Finding] = []
    for name, grid in grids.items():
        if name in (RESULTS_SHEET, RESULTS_SHEET_ALT) and _is_own_results(grid):
            # PlanReport's own output holds the same header words; reading it back would double every row.
            # A user's own sheet of that name (without PlanReport's header row) is read like any other.
            skipped.append(SkippedSheet(name, "PlanReport 写入的核算结果表，不作为输入读取"))
            continue
        if grid.kind != "worksheet":
            skipped.append(SkippedSheet(name, _TAB_REASONS.get(grid.kind, "不是普通工作表，没有单元格数据")))
            continue
        if name in by_sheet:
            found, unreadable = _sheet_tables(grid, [_layout_header(grid, layout) for layout in by_sheet[name]]), []
        else:
            headers, unreadable = _headers(grid)
            found = _sheet_tables(grid, headers)
        if found:
            tables.extend(found)
            findings.extend(_unread_parts(grid, headers if name not in by_sheet else [], found))
            continue
        if unreadable:
            header = max(unreadable, key=lambda h: len(h.roles))
            seen = "、".join(f"{c.ref.split('!')[-1]}“{c.text}”" for c in header.seen())
            missing = "、".join(ROLE_WORDS[r] for r in ("name", "target") if r not in header.columns)
            reason = (f"第{header.row}行像指标表的表头（{seen}），但没有{missing}列，未读取；"
                      "请改用常见表头文字，或在 planreport.toml 的 [[tables]] 中指明各列")
            ref = header.seen()[0].ref if header.seen() else cell_ref(name, header.row, 1)
            findings.append(Finding("table_unreadable", "warning", ref, f"工作表“{name}”{reason}"))
            skipped.append(SkippedSheet(name, reason))
        elif not any(grid.rows):
            skipped.append(SkippedSheet(name, "空白工作表"))
        else:
            skipped.append(SkippedSheet(name, "没有找到指标表的表头（需要指标名称列和目标列）"))
    return tables, skipped, findings


def _unread_parts(grid: SheetGrid, headers: list[Header], tables: list[Table]) -> list[Finding]:
    """What a found table leaves unread on its sheet, said as warnings: a header with no rows under it,
    and a second table beside the first (the same header words again further right)."""
    out = []
    for table in tables:
        if not table.rows:
            ref = cell_ref(grid.name, table.header_row, table.columns["name"])
            out.append(Finding("table_empty", "warning", ref,
                               f"{ref}: 工作表“{grid.name}”第{table.header_row}行有指标表的表头，但下面没有指标行，未核算任何指标"))
        if table.kind == "plan" and "rate" in table.columns:
            # A completion rate beside targets but no 完成情况 column: most likely the actuals sit under a
            # header cell merged with 目标 (or an unknown word) — read as a plan table, no rate checked.
            ref = cell_ref(grid.name, table.header_row, table.columns["rate"])
            out.append(Finding("table_plan_with_rate", "warning", ref,
                               f"工作表“{grid.name}”有完成率列，但没有识别出完成情况列，按计划目标表读取，"
                               "未核算完成率；请给完成情况单独写表头（如“完成情况”），或在 planreport.toml 的 [[tables]] 中指明各列"))
    for header in headers:
        names = header.candidates("name")
        # a second name column counts only with value columns on both sides of it (项目 | 指标 | 目标 is one table)
        beside = [c for c in names[1:] if _values_between(header, names[0], c) and _values_between(header, c, c + 8)]
        if beside:
            ref = cell_ref(grid.name, header.row, beside[0])
            out.append(Finding("table_beside", "warning", ref,
                               f"{ref}: 工作表“{grid.name}”第{header.row}行右侧还有一张并排的指标表，未读取；"
                               "请把它移到下方或另一个工作表，或在 planreport.toml 的 [[tables]] 中指明"))
    return out


def _values_between(header: Header, left: int, right: int) -> bool:
    return any(header.roles.get(x) in ("target", "actual") for x in range(left + 1, right))


def _headers(grid: SheetGrid) -> tuple[list[Header], list[Header]]:
    """Header blocks of the sheet, top to bottom, and blocks that looked like headers but were not."""
    merges = MergeIndex(grid.merged)
    lowest = [r for r in range(1, len(grid.rows) + 1) if _has_role_word(grid.rows[r - 1])]
    found: list[Header] = []
    unreadable: list[Header] = []
    covered: set[int] = set()
    for r in reversed(lowest):  # bottom up: a two-row block is found from its lower row first
        if r in covered:
            continue
        header = header_at(grid, merges, r)
        if not header.looks_like_table and "name" not in header.roles.values():
            continue
        found.append(header)
        covered.update(header.rows)
    found.reverse()
    out: list[Header] = []
    for i, header in enumerate(found):
        end = found[i + 1].rows[0] - 1 if i + 1 < len(found) else len(grid.rows)
        if resolve_columns(header, grid, end):
            out.append(header)
        elif header.looks_like_table:
            unreadable.append(header)
    return out, unreadable


def _has_role_word(cells) -> bool:
    for cell in cells:
        # header_role, with its length test here: one Python call less per text cell of every row
        if (cell is not None and cell.text and cell.value.__class__ is str and len(cell.text) <= HEADER_WORD_LIMIT
                and _header_role(cell.text)):
            return True
    return False


def _layout_header(grid: SheetGrid, layout: TableLayout) -> Header:
    """A header block as planreport.toml names it: no guessing."""
    cols = dict(layout.columns)
    header = Header(rows=layout.header_rows, roles={}, columns=cols, merges=MergeIndex(grid.merged),
                    kind="completion" if "actual" in cols else "plan",
                    first_row=layout.first_row, last_row=layout.last_row)
    for col in cols.values():
        header.texts[col] = [c for r in reversed(header.rows) if (c := grid.cell(r, col)) is not None and c.text]
    header.year = column_year(header, cols.get("target")) or column_year(header, cols.get("actual"))
    return header


def _sheet_tables(grid: SheetGrid, headers: list[Header]) -> list[Table]:
    if not headers:
        return []
    header_rows = {r for h in headers for r in h.rows}
    tables: list[Table] = []
    current: Optional[Table] = None
    last_data_row = 0
    for i, header in enumerate(headers):
        end = headers[i + 1].rows[0] - 1 if i + 1 < len(headers) else len(grid.rows)
        end = min(end, header.last_row or end)
        gap_cells = [c for r in range(last_data_row + 1, header.rows[0]) for c in _row_cells(grid, r)]
        titles = [c.text for c in gap_cells if not _NOTE.match(normalize(c.text))]
        unit = header.unit or _note_unit(gap_cells)
        start = max(header.row + 1, header.first_row or 0)
        rows = _data_rows(grid, start, end, header.columns, header.merges, header_rows, unit)
        continues = (current is not None and header.columns == current.columns and not titles
                     and _numbering_continues(current.rows, rows))
        if not continues:
            titles = [t for t in titles if not _LABEL.match(normalize(t))] or titles
            title = next((t for t in reversed(titles) if YEAR_RE.search(t)), titles[-1] if titles else None)
            year = YEAR_RE.search(title) if title else None
            current = Table(sheet=grid.name, header_row=header.row, kind=header.kind, columns=dict(header.columns),
                            title=title, header_rows=header.rows,
                            year=header.year or (int(year.group(1)) if year else None) or _sheet_year(grid.name))
            tables.append(current)
            _fill_down(rows, None)
        else:
            _fill_down(rows, current.rows[-1].category if current.rows else None)
        current.rows.extend(rows)
        last_data_row = rows[-1].row if rows else header.row
    return tables


def _row_cells(grid: SheetGrid, row: int) -> list[Cell]:
    return [c for c in grid.rows[row - 1] if c is not None and c.text] if row <= len(grid.rows) else []


def _note_unit(cells: list[Cell]) -> Optional[Cell]:
    """'单位：亿元、%' above the table: the amounts' unit (the first that is not a percent)."""
    for cell in reversed(cells):
        units = note_units(cell.text)
        if units:
            unit = next((u for u in units if u not in ("%", "％")), units[0])
            return Cell(cell.sheet, cell.row, cell.col, unit, unit)
    return None


def _sheet_year(name: str) -> Optional[int]:
    m = YEAR_RE.search(name)
    return int(m.group(1)) if m else None


def _numbering_continues(before: list[IndicatorRow], after: list[IndicatorRow]) -> bool:
    """A repeated header continues the table unless the 序号 starts over."""
    last = next((_number(r.no) for r in reversed(before) if _number(r.no) is not None), None)
    first = next((_number(r.no) for r in after if _number(r.no) is not None), None)
    return last is None or first is None or first > last


def _number(cell: Optional[Cell]) -> Optional[float]:
    if cell is None or not cell.text:
        return None
    try:
        return float(normalize(cell.text))
    except ValueError:
        return None


def _fill_down(rows: list[IndicatorRow], category: Optional[str]) -> None:
    for row in rows:
        if row.category:
            category = row.category
        else:
            row.category = category


def _data_rows(grid: SheetGrid, start: int, end: int, cols: dict[str, int], merges: MergeIndex,
               header_rows: set[int], unit: Optional[Cell]) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []
    section: Optional[str] = None  # a heading row ("一、经济增长") heads a section when there is no category column
    lines, name_col, sheet = grid.rows, cols["name"], grid.name
    # What each row needs from the columns, worked out once (this loop runs per row: 50,000 in the bench):
    # the columns of IndicatorRow's cell fields in its field order (0: not in the table), made positionally.
    no_col, unit_col, target_col, actual_col, rate_col, verdict_col = (cols.get(role, 0) for role in _ROW_CELLS)
    value_cols = [cols[role] for role in _ROW_VALUES if role in cols]
    category_col = cols.get("category")
    for r in range(start, min(end, len(lines)) + 1):
        line = lines[r - 1]
        if not line or r in header_rows:
            continue
        for c in line:
            if c is not None and c.text:
                first = c.text
                break
        else:
            continue
        if first[0] not in _DIGITS and _NOTE.match(normalize(first)):
            continue  # (a text that starts with a digit keeps it first in normal form: no note word)
        width = len(line)
        # grid.cell(r, col) for each column, on the row at hand (50,000 rows x 6 columns)
        name = line[name_col - 1] if 1 <= name_col <= width else None
        has_value = False
        for col in value_cols:
            c = line[col - 1] if 1 <= col <= width else None
            if c is not None and (c.text or c.error or c.formula):
                has_value = True
                break
        if name is None or not name.text:
            if not has_value and category_col is None and _is_heading(grid, r, first):
                section = normalize(first)  # merged across the table from another column
            continue
        no = line[no_col - 1] if 1 <= no_col <= width else None
        if not has_value and not (no is not None and no.text):
            if category_col is None:
                section = name.text
            continue
        category_cell = None
        if category_col is not None:  # merges.resolve, without a second lookup when the cell is not merged
            category_cell = (merges.resolve(grid, r, category_col) if (r, category_col) in merges.anchor
                             else line[category_col - 1] if 1 <= category_col <= width else None)
        category = normalize(category_cell.text) if category_cell is not None and category_cell.text else section
        # A column of the table without a cell in this row: an empty Cell there. Not a column: None.
        unit_cell = _cell_at(line, width, sheet, r, unit_col)
        if unit is not None and not unit_col:
            unit_cell = unit
        out.append(IndicatorRow(sheet, r, name, _cell_at(line, width, sheet, r, no_col), category, category_cell,
                                unit_cell, _cell_at(line, width, sheet, r, target_col),
                                _cell_at(line, width, sheet, r, actual_col), _cell_at(line, width, sheet, r, rate_col),
                                _cell_at(line, width, sheet, r, verdict_col)))
    return out


def _cell_at(line: list, width: int, sheet: str, r: int, col: int) -> Optional[Cell]:
    if not col:
        return None
    cell = line[col - 1] if 1 <= col <= width else None
    return cell if cell is not None else Cell(sheet, r, col)


def _is_heading(grid: SheetGrid, row: int, first: str) -> bool:
    """One text alone in the row, not a number: a section heading such as "一、按项目级别"."""
    texts = _row_cells(grid, row)
    return len(texts) == 1 and texts[0].value.__class__ is str and _number(texts[0]) is None and len(first) <= 40


def _is_own_results(grid: SheetGrid) -> bool:
    from addin.workbook.writeback.results_sheet import header_matches

    first = grid.rows[0] if grid.rows else []
    return header_matches([c.value if c is not None else None for c in first])
