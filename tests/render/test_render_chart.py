"""The Word chart is a native, editable bar chart: chart part + embedded workbook, restylable in the template."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from docx import Document
from lxml import etree

from addin.render.docx import render_docx
from render_support import DATE, copy_templates, names_of, remove_chart, rewrite_member

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
# In the sample, these two have a growth target but a level as actual and no prior level: no rate.
NOT_COMPUTABLE = {"固定资产投资", "一般公共预算收入"}
# Rates by hand from 附件1: 5.5/8, 3/8 (relative to the GDP target), 21/4, 6/3.
HAND_RATES = {"地区生产总值": 68.75, "城镇常住居民人均可支配收入": 37.5, "科技成果转化": 525.0, "技术合同成交额": 200.0}


def chart_part(docx_path):
    doc = Document(str(docx_path))  # opens in python-docx
    (part,) = [r.target_part for r in doc.part.rels.values() if r.reltype == RT_CHART]
    return doc, part


def series_of(space) -> dict[str, dict[str, float]]:
    """Series name -> {category: value}, from the chart part's caches."""
    out = {}
    for ser in space.iter(f"{C}ser"):
        name = ser.find(f"{C}tx//{C}v").text
        cats = {int(p.get("idx")): p.find(f"{C}v").text for p in ser.find(f"{C}cat").iter(f"{C}pt")}
        vals = {int(p.get("idx")): float(p.find(f"{C}v").text) for p in ser.find(f"{C}val").iter(f"{C}pt")}
        out[name] = {"categories": [cats[i] for i in sorted(cats)], "values": {cats[i]: v for i, v in vals.items()}}
    return out


@pytest.fixture(scope="module")
def report(sample_json, tmp_path_factory):
    return render_docx(sample_json, tmp_path_factory.mktemp("chart") / "报告.docx", date=DATE)


def test_a_native_bar_chart_of_the_computed_rates(report, sample_json):
    doc, part = chart_part(report)
    assert part.content_type == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    space = etree.fromstring(part.blob)
    assert space.find(f".//{C}barChart/{C}barDir").get("val") == "bar"
    series = series_of(space)
    assert list(series) == ["已完成", "未完成"]
    expected = [n for n in names_of(sample_json) if n not in NOT_COMPUTABLE]
    assert len(expected) == 46
    for s in series.values():
        assert s["categories"] == expected
    values = {**series["已完成"]["values"], **series["未完成"]["values"]}
    assert set(values) == set(expected)  # each indicator with a rate has exactly one bar
    rates = {i["name"]: i["computed_rate"] for i in sample_json["indicators"]}
    assert all(values[n] == rates[n] for n in expected)
    assert {n: values[n] for n in HAND_RATES} == HAND_RATES
    assert set(series["未完成"]["values"]) == {"地区生产总值", "城镇常住居民人均可支配收入"}


def test_unmet_bars_labelled_axis_clipped_target_line(report):
    _, part = chart_part(report)
    space = etree.fromstring(part.blob)
    unmet = [s for s in space.iter(f"{C}ser") if s.find(f"{C}tx//{C}v").text == "未完成"][0]
    labels = unmet.find(f"{C}dLbls")
    assert labels.find(f"{C}showSerName").get("val") == "1" and labels.find(f"{C}showVal").get("val") == "1"
    assert unmet.find(f"{C}spPr/{A}pattFill") is not None  # hatched, not colour alone
    axis = space.find(f".//{C}valAx")
    assert float(axis.find(f"{C}scaling/{C}max").get("val")) == 200  # 525% is clipped, its label says 525%
    assert float(axis.find(f"{C}majorUnit").get("val")) == 100  # the gridline at 100% is the target line
    assert axis.find(f"{C}numFmt").get("formatCode") == '0"%"'  # ticks read 0% 100% 200%
    assert axis.find(f"{C}majorGridlines/{C}spPr/{A}ln/{A}prstDash").get("val") == "dash"
    assert space.find(f".//{C}legend/{C}legendPos").get("val") == "t"  # above the plot, clear of the bars


def test_edit_data_opens_the_same_numbers(report, sample_json):
    """Word's 编辑数据 opens the embedded workbook: the cells the series formulas name."""
    _, part = chart_part(report)
    (rel,) = [r for r in part.rels.values() if r.reltype.endswith("/package")]
    space = etree.fromstring(part.blob)
    assert space.find(f"{C}externalData").get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") == rel.rId
    assert str(rel.target_part.partname).startswith("/word/embeddings/")
    sheet = openpyxl.load_workbook(io.BytesIO(rel.target_part.blob))["Sheet1"]
    assert [c.value for c in sheet[1]] == ["指标", "已完成", "未完成"]
    rows = {r[0]: (r[1] if r[1] is not None else r[2]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {n: rows[n] for n in HAND_RATES} == HAND_RATES and len(rows) == 46
    first = space.find(f".//{C}ser/{C}val/{C}numRef/{C}f").text
    assert first == "Sheet1!$B$2:$B$47"


def _edited_templates(tmp_path):
    return copy_templates(tmp_path / "templates")


def test_chart_style_edited_in_the_template_survives(sample_json, tmp_path):
    """The statistician recolours the 已完成 bars and widens them in Word; the next render keeps both."""
    edited = _edited_templates(tmp_path)

    def recolour(xml: bytes) -> bytes:
        space = etree.fromstring(xml)
        met = next(s for s in space.iter(f"{C}ser") if s.find(f"{C}tx//{C}v").text == "已完成")
        met.find(f"{C}spPr/{A}solidFill/{A}srgbClr").set("val", "00B050")
        space.find(f".//{C}gapWidth").set("val", "20")
        return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)

    rewrite_member(edited / "summary.docx", "word/charts/chart1.xml", recolour)
    out = render_docx(sample_json, tmp_path / "out.docx", templates_dir=edited, date=DATE)
    _, part = chart_part(out)
    space = etree.fromstring(part.blob)
    met = next(s for s in space.iter(f"{C}ser") if s.find(f"{C}tx//{C}v").text == "已完成")
    assert met.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") == "00B050"
    assert space.find(f".//{C}gapWidth").get("val") == "20"
    assert series_of(space)["已完成"]["values"]["科技成果转化"] == 525.0  # the data is this report's
    assert "示例指标" not in part.blob.decode()


def test_template_without_a_chart_gets_the_default_one(sample_json, tmp_path):
    """An older template with a "{{ chart }}" tag and no chart part: the default chart goes there."""
    edited = _edited_templates(tmp_path)
    remove_chart(edited / "summary.docx")
    with zipfile.ZipFile(edited / "summary.docx") as z:
        assert not [n for n in z.namelist() if n.startswith("word/charts/")]

    out = render_docx(sample_json, tmp_path / "out.docx", templates_dir=edited, date=DATE)
    doc, part = chart_part(out)
    assert "{{" not in "".join(p.text for p in doc.paragraphs)
    (holder,) = [p for p in doc.paragraphs if p._p.xpath(".//c:chart")]
    assert holder._p.getnext() is not None and "图1" in "".join(holder._p.getnext().itertext())
    assert series_of(etree.fromstring(part.blob))["未完成"]["values"] == {
        "地区生产总值": 68.75, "城镇常住居民人均可支配收入": 37.5}


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils not installed")
def test_libreoffice_pdf_draws_the_chart_with_chinese_labels(report, sample_json, tmp_path):
    from addin.render.pdf import docx_to_pdf

    pdf = docx_to_pdf(report, tmp_path)

    def page(n: int) -> str:
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        return re.sub(r"\s+", "", text)

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    (chart_page,) = [t for t in map(page, range(1, pages + 1)) if "图1" in t]
    names = [re.sub(r"\s+", "", n) for n in names_of(sample_json) if n not in NOT_COMPUTABLE]
    assert [n for n in names if n not in chart_page] == []
    assert "525%" in chart_page and "未完成68.75%" in chart_page and "已完成" in chart_page


def test_no_rate_at_all_and_a_negative_rate_still_chart(tmp_path):
    """A table whose rates are all 无法核算 gets an empty chart, not an error; a fall below zero shows."""
    base = {"workbook": "x.xlsx", "meta": {}, "targets": [], "growth": [], "findings": []}
    none = {**base, "indicators": [{"name": "固定资产投资", "computed_rate": None, "status": "not_computable",
                                    "cells": {}, "direction": "higher"}]}
    _, part = chart_part(render_docx(none, tmp_path / "none.docx", date=DATE))
    series = series_of(etree.fromstring(part.blob))
    assert series["已完成"]["values"] == series["未完成"]["values"] == {}
    fell = {**base, "indicators": [{"name": "工业用电量", "computed_rate": -40.0, "status": "unmet", "cells": {},
                                    "direction": "higher"}]}
    _, part = chart_part(render_docx(fell, tmp_path / "fell.docx", date=DATE))
    space = etree.fromstring(part.blob)
    assert series_of(space)["未完成"]["values"] == {"工业用电量": -40.0}
    assert float(space.find(f".//{C}valAx/{C}scaling/{C}min").get("val")) == -50
