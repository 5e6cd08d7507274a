"""The results sheet is written as text (for speed); these tests hold it to what an XML
library makes of the same layout, and to what a reader gets back out of it.

`_lxml_reference` is the element-by-element construction the text writer replaced: an
independent statement of the part (lxml does the escaping and the serialisation), so a
wrong escape, a lost attribute or a mis-ordered element in the text writer fails here."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from addin.app.pipeline import check_workbook
from addin.common.model import column_letter
from addin.workbook.opc import NS_XML, STRICT, TRANSITIONAL, q, serialise
from addin.workbook.writeback.results_sheet import _clean_text, build_layout, link_location, sheet_xml

SAMPLE = Path(__file__).resolve().parents[2] / "workbooks" / "kundulun-2025.xlsx"
STYLE_IDS = {"header": 5, "percent": 6, "link": 7, "link_percent": 8}


def _lxml_reference(result_json: dict, style_ids: dict[str, int], ns: str) -> bytes:
    def S(parent, tag, **attrs):
        return etree.SubElement(parent, q(ns, tag), {k: str(v) for k, v in attrs.items()})

    layout = build_layout(result_json)
    ncols = len(layout.widths)
    root = etree.Element(q(ns, "worksheet"), nsmap={None: ns})
    S(root, "dimension", ref=f"A1:{column_letter(ncols)}{len(layout.rows)}")
    view = S(S(root, "sheetViews"), "sheetView", workbookViewId=0)
    S(view, "pane", ySplit=1, topLeftCell="A2", activePane="bottomLeft", state="frozen")
    S(view, "selection", pane="bottomLeft", activeCell="A2", sqref="A2")
    S(root, "sheetFormatPr", defaultRowHeight=15)
    cols = S(root, "cols")
    for c, width in enumerate(layout.widths, start=1):
        S(cols, "col", min=c, max=c, width=f"{width:g}", customWidth=1)
    data = S(root, "sheetData")
    for r, values in enumerate(layout.rows):
        row_el = S(data, "row", r=r + 1)
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            attrs = {"r": f"{column_letter(c + 1)}{r + 1}"}
            if layout.styles.get((r, c)):
                attrs["s"] = style_ids[layout.styles[(r, c)]]
            if isinstance(value, (int, float, Decimal)):
                S(S(row_el, "c", **attrs), "v").text = repr(value) if isinstance(value, float) else str(value)
            else:
                t = S(S(S(row_el, "c", t="inlineStr", **attrs), "is"), "t")
                t.text = _clean_text(str(value))
                if t.text != t.text.strip():
                    t.set(q(NS_XML, "space"), "preserve")
    if layout.links:
        links = S(root, "hyperlinks")
        for (r, c), ref in sorted(layout.links.items()):
            S(links, "hyperlink", ref=f"{column_letter(c + 1)}{r + 1}", location=link_location(ref), display=ref)
    S(root, "pageMargins", left=0.7, right=0.7, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    return serialise(root)


def _result(names: list[str], messages: list[str], sheet: str = "附件1") -> dict:
    quoted = "'" + sheet.replace("'", "''") + "'"
    return {
        "indicators": [
            {"sheet": sheet, "no": i + 1, "name": name, "target": "8%左右", "actual": "7.5%",
             "computed_rate": 93.75, "reported_rate": 93.7 if i % 2 else None, "status": "unmet" if i % 3 else "met",
             "cells": {"name": f"{quoted}!B{i + 4}", "rate": f"{quoted}!F{i + 4}" if i % 2 else None}}
            for i, name in enumerate(names)
        ],
        "findings": [{"code": "rate_mismatch", "severity": "warning", "cell": f"{quoted}!F{i + 4}", "message": m}
                     for i, m in enumerate(messages)],
    }


@pytest.mark.parametrize("ns", [TRANSITIONAL.main, STRICT.main])
def test_sample_matches_the_lxml_construction(ns):
    result = check_workbook(SAMPLE).to_json()
    assert sheet_xml(result, STYLE_IDS, ns) == _lxml_reference(result, STYLE_IDS, ns)


def test_no_findings_and_no_indicators():
    empty = {"indicators": [], "findings": []}
    assert sheet_xml(empty, STYLE_IDS) == _lxml_reference(empty, STYLE_IDS, TRANSITIONAL.main)


# Everything XML escapes or whitespace-preserves, CJK and astral characters, and characters
# XML 1.0 cannot carry at all (removed before writing).
_TEXT = st.text(alphabet=st.sampled_from(list("ab 中文&<>\"'\r\n\t=…\x01\x0b\ufffe\u2028") + ["\U0001F600"]),
                min_size=1, max_size=12)
_SHEET = st.text(alphabet=st.sampled_from(list("附件1 &'<>\"")), min_size=1, max_size=6).filter(lambda s: s.strip())


@settings(max_examples=200, deadline=None)
@given(names=st.lists(_TEXT, min_size=1, max_size=4), messages=st.lists(_TEXT, max_size=3), sheet=_SHEET)
def test_hostile_text_matches_the_lxml_construction(names, messages, sheet):
    result = _result(names, messages, sheet)
    assert sheet_xml(result, STYLE_IDS) == _lxml_reference(result, STYLE_IDS, TRANSITIONAL.main)


def test_values_read_back_as_written():
    """Independent of lxml's serialiser: parse the part and find each value in its cell."""
    names = ["a&b <c>", "  前后有空格  ", "=SUM(A1)", "换\r\n行\t制表"]
    root = etree.fromstring(sheet_xml(_result(names, ["说明 \"引号\""], "附件 'A'"), STYLE_IDS))
    ns = {"m": TRANSITIONAL.main}
    cells = {c.get("r"): c for c in root.iterfind(".//m:c", ns)}
    for i, name in enumerate(names):
        cell = cells[f"C{i + 2}"]
        assert cell.get("t") == "inlineStr" and cell.get("s") == "7"  # a link to the row
        assert cell.findtext("m:is/m:t", namespaces=ns) == name
    assert cells["F2"].findtext("m:v", namespaces=ns) == "0.9375"
    links = {h.get("ref"): h for h in root.iterfind(".//m:hyperlink", ns)}
    assert links["C2"].get("location") == "'附件 ''A'''!B4"
    assert links["C2"].get("display") == "'附件 ''A'''!B4"
