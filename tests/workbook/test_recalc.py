"""--recalc: LibreOffice recomputes formulas, including stale cached values, into a temporary copy."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402

from addin.workbook.read import read_workbook  # noqa: E402
from addin.workbook.recalc import find_soffice, recalculated  # noqa: E402

pytestmark = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")


def _stale(sheet: bytes) -> bytes:
    """=1+1 with a cached 7: only a real recalculation (not a re-save) corrects it."""
    assert b"<f>1+1</f><v></v>" in sheet
    return sheet.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>7</v>")


def test_uncached_and_stale_formulas_are_computed_on_a_copy(tmp_path):
    def with_formulas(wb):
        ws = wb[make_cases.SHEET]
        ws["F25"].value = "=E25/0.8"  # openpyxl saves no cached value
        ws["F26"].value = "=1+1"

    data = make_cases.wb_bytes(with_formulas)
    stale = make_cases.rewrite(data, {"xl/worksheets/sheet1.xml": _stale})
    path = tmp_path / "formulas.xlsx"
    path.write_bytes(stale)
    before = hashlib.sha256(stale).hexdigest()
    plain = read_workbook(str(path)).grids[make_cases.SHEET]
    assert plain.cell(25, 6).uncached and plain.cell(26, 6).value == 7
    with recalculated(path) as copy:
        fresh = read_workbook(str(copy)).grids[make_cases.SHEET]
    assert fresh.cell(25, 6).value == pytest.approx(1.042625)
    assert fresh.cell(26, 6).value == 2
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["formulas.xlsx"]  # no lock file left beside it
