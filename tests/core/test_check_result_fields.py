"""check makes each IndicatorResult positionally (addin/core/check.py, _result: it runs 50,000
times); this holds that order to the field names, so reordering IndicatorResult's fields cannot
quietly put the target where the actual belongs."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from addin.common.model import IndicatorResult
from addin.workbook.read import read_workbook
from addin.core.check import check_data

SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "kundulun-2025.xlsx"


def test_the_positional_order_is_the_field_order():
    assert [f.name for f in fields(IndicatorResult)] == [
        "sheet", "row", "no", "category", "name", "unit", "target", "actual", "direction", "computed_rate",
        "reported_rate", "status", "reported_unmet", "cells", "kind", "note", "parsed"]


def test_each_field_holds_its_own_value_on_the_seed():
    data = read_workbook(SAMPLE)
    result = check_data(data)
    rows = {(r.sheet, r.row): r for t in data.tables if t.kind == "completion" for r in t.rows}
    assert len(result.indicators) == 48
    for ind in result.indicators:
        row = rows[(ind.sheet, ind.row)]
        assert (ind.name, ind.target, ind.actual) == (row.name.text, row.target.text, row.actual.text)
        assert ind.category == row.category and ind.cells["name"] == row.name.ref
        assert ind.reported_unmet == (row.rate.underline if row.rate is not None and row.rate.text else None)
        assert ind.parsed.year == 2025
    # 附件1 row 3 of the seed: 地区生产总值, target 8%左右, actual 5.5%; 5.5 / 8 = 68.75% (by hand), unmet, underlined.
    gdp = result.indicators[0]
    assert (gdp.row, gdp.no, gdp.name, gdp.unit, gdp.target, gdp.actual) == (3, 1, "地区生产总值", None, "8%左右", "5.5%")
    assert (gdp.direction, gdp.computed_rate, gdp.reported_rate, gdp.status, gdp.reported_unmet, gdp.kind) == (
        "higher", 68.75, 68.75, "unmet", True, "growth")
    assert gdp.cells == {"name": "附件1!C3", "target": "附件1!D3", "actual": "附件1!E3", "rate": "附件1!F3"}
    assert gdp.note is None and gdp.parsed.target.text == "8%左右"
