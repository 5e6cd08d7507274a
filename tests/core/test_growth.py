"""Growth checks on the real sample workbook and on copies edited with openpyxl."""
import json
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from addin.app.pipeline import check_workbook


def q2(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _levels_row(path, name, year) -> int:
    ws = openpyxl.load_workbook(path)["基础数据"]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == name and ws.cell(r, 2).value == year)


def _copy(sample_path, tmp_path, edit) -> str:
    wb = openpyxl.load_workbook(sample_path)
    edit(wb)
    out = tmp_path / "copy.xlsx"
    wb.save(out)
    return str(out)


@pytest.fixture(scope="module")
def cli_json(sample_path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "addin", "check", str(sample_path), "--json"], capture_output=True)
    return json.loads(proc.stdout.decode("utf-8"))


def _entries(data, kind, name=None):
    return [e for e in data["growth"] if e["kind"] == kind and (name is None or name in e["name"])]


def test_implied_next_year_levels(cli_json):
    implied = {e["name"]: e for e in _entries(cli_json, "implied_level")}
    assert implied["地区生产总值"]["value"] == 1550.17 and implied["地区生产总值"]["year"] == 2026
    assert implied["地区生产总值"]["approximate"] is True  # constant-price growth
    assert implied["一般公共预算收入"]["value"] == 24.34 and implied["一般公共预算收入"]["approximate"] is False
    assert implied["技术合同成交额"]["value"] == 7.2 and implied["技术合同成交额"]["bound"] == "floor"
    assert implied["地区生产总值"]["cells"]["growth"].startswith("附件2!")
    assert implied["技术合同成交额"]["cells"]["level"].startswith("基础数据!C")


def test_prior_year_back_cast(cli_json, sample_path):
    back = {e["name"]: e for e in _entries(cli_json, "implied_prior_level")}
    gdp = back["地区生产总值"]
    assert (gdp["year"], gdp["value"], gdp["approximate"]) == (2024, 1426.56, True)
    assert gdp["cells"]["fill"] == f"基础数据!C{_levels_row(sample_path, '地区生产总值', 2024)}"
    assert back["城镇居民人均可支配收入"]["value"] == float(q2(Decimal(66598) / Decimal("1.03")))


def test_stated_growth_contradicts_levels(cli_json, sample_path):
    row = _levels_row(sample_path, "重大项目年内完成投资", 2026)
    found = [f for f in cli_json["findings"] if f["code"] == "growth_inconsistent"]
    assert len(found) == 1
    assert found[0]["cell"] == f"基础数据!C{row}" and f"基础数据!E{row}" in found[0]["message"]
    assert "25.73" in found[0]["message"] and "5.4%" in found[0]["message"]
    entry = _entries(cli_json, "growth_consistency", "重大项目")[0]
    assert (entry["stated_growth"], entry["implied_growth"], entry["consistent"]) == (5.4, -25.73, False)


def test_tolerance_is_a_setting(sample_path, tmp_path):
    path = _copy(sample_path, tmp_path, lambda wb: None)
    (tmp_path / "planreport.toml").write_text("growth_tolerance_points = 40\n", encoding="utf-8")
    codes = [f.code for f in check_workbook(path).findings]
    assert "growth_inconsistent" not in codes


def test_rows_3_and_5_ask_for_last_years_level(cli_json, sample_path):
    rows = {i["no"]: i for i in cli_json["indicators"]}
    assert rows[3]["status"] == rows[5]["status"] == "not_computable"
    asks = {f["cell"]: f for f in cli_json["findings"] if f["code"] == "growth_base_missing"}
    for name in ("固定资产投资", "一般公共预算收入"):
        cell = f"基础数据!C{_levels_row(sample_path, name, 2024)}"
        assert cell in asks and asks[cell]["severity"] == "info" and name in asks[cell]["message"]


def test_rows_3_and_5_scored_when_2024_levels_filled(sample_path, tmp_path):
    def fill(wb):
        ws = wb["基础数据"]
        for r in range(3, ws.max_row + 1):
            if ws.cell(r, 2).value == 2024 and ws.cell(r, 1).value == "固定资产投资":
                ws.cell(r, 3).value = 210
            if ws.cell(r, 2).value == 2024 and ws.cell(r, 1).value == "一般公共预算收入":
                ws.cell(r, 3).value = 22.5

    result = check_workbook(_copy(sample_path, tmp_path, fill))
    rows = {i.no: i for i in result.indicators}
    growth3 = q2((Decimal("252.78") / 210 - 1) * 100)  # 20.37
    assert rows[3].computed_rate == float(q2(growth3 / 18 * 100)) and rows[3].status == "met"
    assert rows[5].computed_rate == 80.0 and rows[5].status == "unmet"  # 4% against 5%以上
    assert rows[3].kind == "growth" and rows[3].cells["base"].startswith("基础数据!C")
    assert "growth_base_missing" not in [f.code for f in result.findings]
    # The other rows are untouched.
    assert rows[1].computed_rate == 68.75 and rows[22].computed_rate == 200.0


def test_without_levels_sheet_points_at_the_actual(sample_path, tmp_path):
    result = check_workbook(_copy(sample_path, tmp_path, lambda wb: wb.remove(wb["基础数据"])))
    asks = [f for f in result.findings if f.code == "growth_base_missing"]
    assert [f.cell for f in asks] == ["附件1!E5", "附件1!E7"]
    assert "基础数据" in asks[0].message
    assert not [e for e in result.growth if e.kind.startswith("implied")]


def test_relative_under_both_conventions(cli_json):
    entry = _entries(cli_json, "relative", "人均可支配收入")[0]
    assert entry["conventions"]["target"]["rate"] == 37.5
    assert entry["conventions"]["actual"]["rate"] == float(q2(Decimal(3) / Decimal("5.5") * 100))
    assert entry["scored"] == "target"


def test_continuity_and_core_missing(cli_json, sample_path, tmp_path):
    shift = [f for f in cli_json["findings"] if f["code"] == "growth_target_shift"]
    assert len(shift) == 1 and shift[0]["severity"] == "info" and "15.8%" in shift[0]["message"]
    assert shift[0]["cell"] == next(t["cells"]["target"] for t in cli_json["targets"] if t["name"] == "规模以上工业增加值")
    assert not [f for f in cli_json["findings"] if f["code"] == "growth_core_missing"]  # 节能减排 ~ 单位GDP能耗

    def drop_unemployment(wb):
        ws = wb["附件2"]
        ws.delete_rows(next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "城镇登记失业率"))

    result = check_workbook(_copy(sample_path, tmp_path, drop_unemployment))
    missing = [f for f in result.findings if f.code == "growth_core_missing"]
    assert [f.cell for f in missing] == [next(i.cells["name"] for i in result.indicators if i.no == 7)]
