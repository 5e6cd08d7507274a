"""Every corpus script builds a real workbook, and the rows its EXPECTED list
names are where it claims: checked with two independent readers (openpyxl and
python-calamine), never with PlanReport."""
from __future__ import annotations

import zipfile
from decimal import Decimal, ROUND_HALF_UP

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from .build_all import SLUGS, build_all, corpus_modules

MODULES = dict(zip(SLUGS, corpus_modules()))
STATUSES = {"met", "unmet", "not_computable"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return dict(zip(SLUGS, build_all(folder)))


def _column_index(letter: str) -> int:
    return ord(letter) - ord("A")


def test_at_least_six_sources():
    assert len(SLUGS) >= 6
    for module in MODULES.values():
        doc = module.__doc__ or ""
        assert "http" in doc, f"{module.__name__} cites no address"


@pytest.mark.parametrize("slug", SLUGS)
def test_expected_is_well_formed(slug):
    module = MODULES[slug]
    assert module.EXPECTED
    seen = set()
    for entry in module.EXPECTED:
        assert entry["status"] in STATUSES
        assert entry["rate_ok"] in (True, False, None)
        key = (entry["sheet"], entry["row"])
        assert key not in seen
        seen.add(key)


@pytest.mark.parametrize("slug", SLUGS)
def test_openpyxl_sees_the_rows(built, slug):
    module = MODULES[slug]
    wb = openpyxl.load_workbook(built[slug])
    for entry in module.EXPECTED:
        ws = wb[entry["sheet"]]
        assert ws[f"{module.NAME_COLUMN}{entry['row']}"].value == entry["name"]
        for header_row in module.HEADER_ROWS:
            assert entry["row"] > header_row


@pytest.mark.parametrize("slug", SLUGS)
def test_calamine_sees_the_rows(built, slug):
    module = MODULES[slug]
    book = CalamineWorkbook.from_path(str(built[slug]))
    col = _column_index(module.NAME_COLUMN)
    for entry in module.EXPECTED:
        # to_python() drops leading empty rows; read from the first row instead.
        rows = book.get_sheet_by_name(entry["sheet"]).to_python(skip_empty_area=False)
        assert rows[entry["row"] - 1][col] == entry["name"]


def test_formula_cells_carry_cached_values(built):
    """The jiangmen workbook keeps =D/C formulas; a non-recalculating reader
    must see the cached value, shown at the source's printed precision."""
    path = built["jiangmen_key_projects"]
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>D2/C2</f><v>" in xml
    book = CalamineWorkbook.from_path(str(path))
    value = book.get_sheet_by_name("2013年1-4月").to_python(skip_empty_area=False)[1][4]
    shown = (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert shown == Decimal("26.7")
    formulas = openpyxl.load_workbook(path)["2021年1-3月"]
    assert formulas["E2"].value == "=D2/C2"
    assert formulas["E3"].value == 0.47


def test_two_row_headers_are_merged(built):
    ws = openpyxl.load_workbook(built["national_2019_gwr"])["2019年量化指标"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3"} <= merged
    assert ws["D2"].value == "2019年" and ws["D3"].value == "目标" and ws["E3"].value == "落实结果"
    ws = openpyxl.load_workbook(built["yuecheng_13th_plan"])["表1"]
    assert "C3:E3" in {str(r) for r in ws.merged_cells.ranges}


def test_text_numbers_stay_text(built):
    ws = openpyxl.load_workbook(built["zhonglou_major_projects"])["重大项目"]
    assert ws["C2"].value == "18" and ws["E2"].value == "58.42%"
    book = CalamineWorkbook.from_path(str(built["zhonglou_major_projects"]))
    assert book.get_sheet_by_name("重大项目").to_python()[1][3] == "10.52"


def test_build_all_cli(tmp_path, capsys):
    from .build_all import main

    assert main([str(tmp_path / "out")]) == 0
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.xlsx")) == sorted(SLUGS)
    assert main([]) == 2
