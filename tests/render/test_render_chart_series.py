"""The template chart is filled without python-pptx and xlsxwriter, and gives the bytes they give.

chart_series rewrites the template chart's series with lxml and chart_book writes the embedded
workbook from constants; both exist only so that a refresh does not import python-pptx (≈ 120 ms)
or xlsxwriter (≈ 56 ms). Each is compared here, byte for byte, with the library it replaces,
on the sample, on generated variants of it and on the edge cases of the chart: one row, no rate
at all, all met, all unmet, the 525% bar past the axis cap, a negative rate, row counts around
xlsxwriter's 16-row span blocks, repeated names and names with XML-special characters.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from addin.render import chart_book, chart_docx, chart_series
from addin.render.narrative import build_context
from render_support import ROOT, TEMPLATES

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
WHEN = dt.datetime(2026, 1, 28)


def template_chart() -> bytes:
    with zipfile.ZipFile(TEMPLATES / "summary.docx") as z:
        return z.read("word/charts/chart1.xml")


def rows_of(result_json: dict) -> list[dict]:
    return chart_docx.chart_rows(build_context(result_json)["indicators"])


def assert_same_as_libraries(rows: list[dict], chart: bytes) -> None:
    """Both fast paths took the data (none fell back) and wrote the libraries' bytes."""
    rates = [r["computed_rate"] for r in rows if r["computed_rate"] is not None]
    fast_chart = chart_series.replace(
        chart, [r["name"] for r in rows],
        [chart_series.Series(n, v, chart_docx.NUMBER_FORMAT) for n, v in chart_docx.series_values(rows).items()],
        chart_docx.axis_max(rates), chart_docx.axis_min(rates))
    assert fast_chart is not None
    assert fast_chart == chart_docx.replace_data_pptx(chart, rows)
    fast_book = chart_book.workbook(chart_docx.WORKBOOK_HEADER, [r["name"] for r in rows],
                                    list(chart_docx.series_values(rows).values()), chart_docx.NUMBER_FORMAT, WHEN,
                                    chart_docx.WORKBOOK_AUTHOR)
    assert fast_book is not None
    assert fast_book == chart_docx.workbook_blob_xlsxwriter(rows, WHEN)


def test_the_sample(sample_json):
    rows = rows_of(sample_json)
    assert len(rows) == 46 and any(r["computed_rate"] == 525.0 for r in rows)  # the clipped bar is in it
    assert_same_as_libraries(rows, template_chart())


def test_generated_variants(tmp_path):
    """bench/gen.py's batch workbooks: every indicator renamed (both naming patterns)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen import make_variants
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from addin.app.pipeline import check_workbook

    make_variants(tmp_path / "v", 2)
    books = sorted((tmp_path / "v").glob("*.xlsx"))
    assert len(books) == 2
    for book in books:
        rows = rows_of(check_workbook(book).to_json())
        assert len(rows) == 46 and "组" in rows[0]["name"]
        assert_same_as_libraries(rows, template_chart())


def row(name, rate, status="met"):
    return {"name": name, "computed_rate": rate, "status": status}


EDGE_CASES = {
    "one row": [row("地区生产总值", 68.75, "unmet")],
    "no rate at all": chart_docx.chart_rows([row("固定资产投资", None, "not_computable")]),
    "all met": [row(f"指标{i}", 100.0 + i) for i in range(5)],
    "all unmet": [row(f"指标{i}", 10.0 * i, "unmet") for i in range(5)],
    "525% past the cap": [row("科技成果转化", 525.0), row("地区生产总值", 68.75, "unmet"), row("技术合同", 200.0)],
    "a rate below zero": [row("工业用电量", -40.0, "unmet"), row("税收", 0.0, "unmet"), row("就业", 100)],
    "repeated and header-like names": [row("指标", 1.5), row("已完成", 2.0), row("指标", 3.0, "unmet"), row("未完成", 4)],
    "XML-special names": [row('A&B <c> "d" \'e\'', 50.0), row("x>y", 120.5, "unmet"), row("甲&amp;乙", 1e-7)],
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_edge_cases(case):
    assert_same_as_libraries(EDGE_CASES[case], template_chart())


@pytest.mark.parametrize("count", [15, 16, 17, 31, 32, 33, 100])
def test_row_counts_and_status_mixes(count):
    """Around xlsxwriter's 16-row blocks (a block with only met rows spans 1:2), random statuses and rates."""
    rnd = random.Random(count)
    rates = [None, 0, 0.0, 37.5, 68.75, 99.99, 100, 100.0, 112.86, 1 / 3, 525.0, 12345.678]
    rows = [row(f"第{n}项指标", rate, "not_computable" if rate is None else rnd.choice(["met", "unmet"]))
            for n, rate in enumerate(rnd.choice(rates) for _ in range(count))]
    assert_same_as_libraries(chart_docx.chart_rows(rows), template_chart())


def test_all_met_in_later_blocks():
    rows = [row("甲", 50.0, "unmet")] + [row(f"乙{n}", 100.0) for n in range(40)]
    assert_same_as_libraries(rows, template_chart())


def test_other_chart_shapes_go_to_python_pptx():
    """A statistician who deletes the 未完成 series gets python-pptx's rewrite (it adds the series back)."""
    space = etree.fromstring(template_chart())
    sers = list(space.iter(f"{C}ser"))
    assert len(sers) == 2
    sers[1].getparent().remove(sers[1])
    one_series = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    rows = [row("地区生产总值", 68.75, "unmet"), row("科技成果转化", 525.0)]
    assert chart_series.replace(one_series, ["a"], [], 200.0, 0.0) is None
    out = chart_docx.replace_data(one_series, rows)
    assert out == chart_docx.replace_data_pptx(one_series, rows)
    assert len(list(etree.fromstring(out).iter(f"{C}ser"))) == 2


def test_texts_excel_escapes_go_to_xlsxwriter():
    rows = [row(" 前后有空格 ", 50.0), row("_x0041_", 60.0), row("换\r行", 70.0, "unmet")]
    for r in rows:
        assert chart_book.workbook(chart_docx.WORKBOOK_HEADER, [r["name"]], [[r["computed_rate"]], [None]],
                                   chart_docx.NUMBER_FORMAT, WHEN, "PlanReport") is None
    blob = chart_docx.workbook_blob(rows, WHEN)
    assert blob == chart_docx.workbook_blob_xlsxwriter(rows, WHEN)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        assert "_x005F_x0041_" in z.read("xl/sharedStrings.xml").decode()


def test_a_refresh_imports_neither_library(sample_path, tmp_path):
    """The point of chart_series, chart_book and docx_direct: a Word report from the shipped template
    without python-pptx or xlsxwriter, and (once the template's plan is on disk) without docxtpl or
    python-docx either."""
    code = (
        "import sys, json\n"
        "from addin.app.refresh import refresh_workbook\n"
        "refresh_workbook(sys.argv[1], sys.argv[2], writeback=False)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'pptx', 'xlsxwriter', 'PIL', 'docx', 'docxtpl'})))\n"
    )
    env = {**os.environ, "PLANREPORT_CACHE": str(tmp_path / "cache")}
    imported = []
    for n in range(2):
        out = subprocess.run([sys.executable, "-c", code, str(sample_path), str(tmp_path / f"out{n}")],
                             capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
        imported.append(json.loads(out.stdout))
        assert sorted(p.suffix for p in (tmp_path / f"out{n}").iterdir()) == [".docx", ".html"]
    assert imported == [["docx", "docxtpl"], []]  # the first refresh makes the plan with python-docx
    assert (tmp_path / "out0" / "kundulun-2025.docx").read_bytes() == (tmp_path / "out1" / "kundulun-2025.docx").read_bytes()
