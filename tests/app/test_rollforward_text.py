"""rollforward: every text of 附件2 stays text in next year's workbook, whatever it begins with.

附件2 is typed by people and may come from anyone: a name like =HYPERLINK(…) or =cmd|…
must not become a live formula in the new 附件1 (and +, -, @ texts must not turn into
one the moment a statistician edits the cell: quotePrefix, as Excel's leading apostrophe).
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
from make_cases import BAD_NAMES, set_text  # noqa: E402

CMD = "=cmd|' /C calc'!A0"
TEXTS = [*BAD_NAMES, CMD]


@pytest.fixture(scope="module")
def rolled(sample_path, tmp_path_factory) -> Path:
    from openpyxl import load_workbook

    folder = tmp_path_factory.mktemp("roll-text")
    source = folder / "kundulun-2025.xlsx"
    wb = load_workbook(sample_path)  # building the test input
    plan = wb["附件2"]
    for row, text in enumerate(TEXTS, start=3):
        set_text(plan, f"B{row}", text)
    set_text(plan, "D8", "-2%")  # a target that begins with "-"
    wb.save(source)
    out = folder / "kundulun-2026.xlsx"
    proc = subprocess.run([sys.executable, "-m", "addin", "rollforward", str(source), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


def test_no_formula_in_the_new_workbook(rolled):
    with zipfile.ZipFile(rolled) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_texts_are_strings_with_quote_prefix(rolled):
    from openpyxl import load_workbook

    ws = load_workbook(rolled)["附件1"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in TEXTS + ["-2%"]:
        assert text in cells, f"{text!r} missing from 附件1"
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    plain = [c for v, c in cells.items() if v[:1] not in "=+-@"]
    assert plain and not any(c.quotePrefix for c in plain)  # ordinary texts stay as they were


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_shows_the_texts_not_results(rolled, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path), str(rolled)],
                   capture_output=True, timeout=180)
    with open(tmp_path / (rolled.stem + ".csv"), encoding="utf-8") as f:
        values = [v for row in csv.reader(f) for v in row]
    for text in TEXTS:
        assert text in values, text
