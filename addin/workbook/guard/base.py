"""What every scanner of the guard shares: the refusal, a sheet's used range, and the budgets on them."""
from __future__ import annotations

from dataclasses import dataclass

from addin.workbook.guard.limits import Limits, raise_hint


class Refusal(Exception):
    """A Chinese clause; guard.open_source prefixes the file name."""


@dataclass
class SheetExtent:
    """The used range of one sheet: cells holding a value or formula."""

    sheet: str  # the tab name, or the part name when workbook.xml does not list it
    max_row: int = 0
    max_col: int = 0
    cells: int = 0

    @property
    def area(self) -> int:
        """Cells from A1 to the bottom-right used cell: what a dense grid allocates."""
        return self.max_row * self.max_col


def too_many_cells(limits: Limits) -> Refusal:
    return Refusal(f"工作簿的非空单元格超过 {limits.max_cells} 个，远超计划执行表的规模；"
                   f"请只保留需要核算的工作表后另存再试；{raise_hint('max_cells')}")


def check_total_area(extents: dict, limits: Limits) -> None:
    """Many sheets each just under the per-sheet area still add up to one huge allocation."""
    total = sum(e.area for e in extents.values())
    if total > limits.max_total_area:
        raise Refusal(f"各工作表的数据范围合计 {total} 个单元格，超过上限 {limits.max_total_area}，"
                      f"通常是多个工作表远处有多余的单元格；请删除多余行列或工作表后另存再试；{raise_hint('max_total_area')}")
