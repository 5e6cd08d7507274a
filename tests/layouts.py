"""Write indicator tables into real .xlsx files in any layout, for tests.

    rows, merges = indicator_table(seed_indicators(), order=("name", "target", "actual", "rate"))
    write_xlsx(tmp_path / "x.xlsx", {"表一": [["标题"], [], *rows]}, merges={"表一": merges})

A value may be a ``Styled`` to give it a number format or an underline.
Merges are Excel range strings ("A3:A10"), rows counted in the sheet.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_HEADERS = {"category": "类别", "no": "序号", "name": "指标", "unit": "单位",
                   "target": "目标", "actual": "完成情况", "rate": "完成率"}
SEED_ORDER = ("category", "no", "name", "target", "actual", "rate")


@dataclass
class Styled:
    value: Any
    number_format: Optional[str] = None
    underline: bool = False


@lru_cache(maxsize=1)
def _sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "workbooks" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_indicators() -> list[dict]:
    """The 48 rows of the report's 附件1: category, no, name, target, actual, rate (text), underline."""
    return [dict(r) for r in _sample_module().parse_annex1()]


def seed_targets() -> list[dict]:
    return [dict(r) for r in _sample_module().parse_annex2()]


def percent(text: str, underline: bool = False):
    """'68.75%' as a number with a percent format that displays it; other text unchanged."""
    as_number = _sample_module().percent_value(text)
    if as_number is None:
        return Styled(text, underline=underline) if underline else text
    value, fmt = as_number
    return Styled(value, fmt, underline)


def _col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def indicator_table(
    indicators: Iterable[dict],
    order: Sequence[str] = SEED_ORDER,
    *,
    headers: Optional[dict[str, str]] = None,
    rates: str = "number",  # "number": percent-formatted numbers; "text": "68.75%" as typed
    category: str = "merge",  # "merge" | "down" (first row only, blanks below) | "every"
    start_row: int = 1,
    header: bool = True,
    units: Optional[dict[str, str]] = None,  # name -> unit, for a "unit" column
) -> tuple[list[list], list[str]]:
    """Rows (header first) and merge ranges for a table placed at ``start_row``."""
    words = {**DEFAULT_HEADERS, **(headers or {})}
    rows: list[list] = [[words[role] for role in order]] if header else []
    merges: list[str] = []
    items = list(indicators)
    run_start = None
    for i, ind in enumerate(items):
        first_of_run = i == 0 or items[i - 1].get("category") != ind.get("category")
        line = []
        for role in order:
            if role == "category":
                show = category == "every" or first_of_run
                line.append(ind.get("category") if show else None)
            elif role == "rate":
                line.append(percent(ind["rate"], ind.get("underline", False)) if rates == "number"
                            else (Styled(ind["rate"], underline=True) if ind.get("underline") else ind["rate"]))
            elif role == "actual":
                line.append(percent(ind["actual"]) if rates == "number" else ind["actual"])
            elif role == "unit":
                line.append((units or {}).get(ind["name"], ind.get("unit")))
            else:
                line.append(ind.get(role))
        rows.append(line)
        if "category" in order and category == "merge":
            if first_of_run:
                run_start = i
            last_of_run = i == len(items) - 1 or items[i + 1].get("category") != ind.get("category")
            if last_of_run and i > run_start:
                col = _col_letter(order.index("category") + 1)
                top = start_row + len(rows) - 1 - (i - run_start)
                merges.append(f"{col}{top}:{col}{start_row + len(rows) - 1}")
    return rows, merges


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: Optional[dict[str, list[str]]] = None) -> Path:
    """Each sheet's rows from A1 down; ``None`` leaves a cell empty."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, line in enumerate(rows, 1):
            for c, value in enumerate(line, 1):
                if value is None:
                    continue
                styled = value if isinstance(value, Styled) else Styled(value)
                cell = ws.cell(row=r, column=c, value=styled.value)
                if styled.number_format:
                    cell.number_format = styled.number_format
                if styled.underline:
                    cell.font = Font(underline="single")
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return Path(path)
