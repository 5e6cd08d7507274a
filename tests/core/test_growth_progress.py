"""Mid-year progress (check --as-of): cumulative targets against elapsed time."""
from datetime import date

import openpyxl
import pytest

from addin.app.pipeline import check_workbook
from addin.core.progress import with_progress, elapsed_percent, parse_as_of


def test_dates():
    assert parse_as_of("2026-06-30") == parse_as_of("2026年6月30日") == date(2026, 6, 30)
    assert elapsed_percent(date(2026, 6, 30)) == 50 and elapsed_percent(date(2026, 12, 31)) == 100
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        parse_as_of("6月底")


@pytest.fixture
def half_done(sample_path, tmp_path):
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["附件1"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "年内实现新增城镇就业")
    ws.cell(row, 5).value = "4000人"
    ws.cell(row, 6).value = None
    wb.save(tmp_path / "mid.xlsx")
    return tmp_path / "mid.xlsx", f"附件1!E{row}"


def test_behind_at_30_june(half_done):
    path, cell = half_done
    result = check_workbook(path)
    result = with_progress(result, date(2025, 6, 30))
    behind = [f for f in result.findings if f.code == "growth_progress_behind"]
    assert [f.cell for f in behind] == [cell] and "双过半" in behind[0].message
    entry = next(e.to_json() for e in result.growth if e.kind == "progress" and e.cells["actual"] == cell)
    assert (entry["progress"], entry["elapsed"], entry["behind"]) == (44.44, 50.0, True)
    assert result.meta.as_of == "2025-06-30"


def test_on_time_in_march(half_done):
    path, _ = half_done
    result = check_workbook(path)
    result = with_progress(result, date(2025, 3, 31))
    assert not [f for f in result.findings if f.code == "growth_progress_behind"]
    # Ratios (率) and growth rates are not cumulative.
    names = {e.name for e in result.growth if e.kind == "progress"}
    assert "即办件比率" not in names and "地区生产总值" not in names and "铺设四类管网" in names


@pytest.mark.parametrize("target, actual, progress, behind", [("20000", "1万", 50.0, False), ("1万", "4000", 40.0, True)])
def test_magnitude_on_one_unitless_side(sample_path, tmp_path, target, actual, progress, behind):
    """Both sides without a unit keep their own 万, as the completion rate does."""
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["附件1"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "年内实现新增城镇就业")
    ws.cell(row, 4).value, ws.cell(row, 5).value, ws.cell(row, 6).value = target, actual, None
    wb.save(tmp_path / "wan.xlsx")
    result = check_workbook(tmp_path / "wan.xlsx")
    result = with_progress(result, date(2025, 6, 30))
    entry = next(e.to_json() for e in result.growth if e.kind == "progress" and e.row == row)
    ind = next(i for i in result.indicators if i.row == row)
    assert (entry["progress"], entry["behind"]) == (progress, behind) and ind.computed_rate == progress
    assert any(f.code == "growth_progress_behind" and f.cell == f"附件1!E{row}" for f in result.findings) == behind
