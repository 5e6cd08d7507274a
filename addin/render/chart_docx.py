"""The completion-rate chart as a native, editable Word chart.

A DrawingML chart part (word/charts/chartN.xml) with its data in an embedded workbook
(word/embeddings/*.xlsx), so Word/WPS "编辑数据" opens the numbers and every colour, font
and bar width can be restyled. The statistician styles the chart once in summary.docx;
each render replaces only its categories and values (python-pptx's series rewriter keeps
all series formatting) and the embedded workbook. A template without a chart gets the
default one built here (python-pptx's chart XML writer, styled through its chart API).

Two series share each bar slot (overlap 100): 已完成 and 未完成, so unmet bars have their
own fill (hatched by default) and a data label that says 未完成, never colour alone. The
value axis stops at AXIS_CAP so a 525% bar cannot squash the rest or run off the chart;
its data label still says 525%. A red dashed major gridline at 100% is the target line.
"""
from __future__ import annotations

import datetime as _dt
import io
import math
from typing import Optional

from addin.common.model import STATUS_WORDS

CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
MET_SERIES, UNMET_SERIES = STATUS_WORDS["met"], STATUS_WORDS["unmet"]
# The template's chart paragraph may hold this instead of a chart (older templates wrote
# "{{ chart }}"): the default chart goes there.
CHART_MARK = "\ue002"
NUMBER_FORMAT = 'General"%"'  # rates are stored as percent numbers (68.75), as the report prints them
AXIS_FORMAT = '0"%"'  # LibreOffice ignores General"%" on an axis
AXIS_CAP, AXIS_MIN_MAX = 200.0, 150.0
MET_RGB, UNMET_RGB, TARGET_RGB, GRID_RGB = "2F5D8C", "A8322D", "A8322D", "D9D9D9"
FONT, FONT_EA = "Arial", "黑体"
WIDTH_MM, ROW_MM, HEAD_MM, MAX_HEIGHT_MM = 150, 3.9, 22, 206
EMU_PER_MM = 36000


# A chart needs one category: a workbook with no computed rate gets this one, without a bar.
NO_BARS = {"name": "（没有可核算完成率的指标）", "computed_rate": None, "status": "not_computable"}


def chart_rows(indicators: list[dict]) -> list[dict]:
    """The indicators that have a computed rate, in table order: one bar each."""
    return [i for i in indicators if i.get("computed_rate") is not None] or [NO_BARS]


def _rates(rows: list[dict]) -> list[float]:
    return [r["computed_rate"] for r in rows if r["computed_rate"] is not None]


def axis_max(rates: list[float]) -> float:
    top = max(rates + [100.0])
    return min(AXIS_CAP, max(AXIS_MIN_MAX, math.ceil(top / 50.0) * 50.0))


def axis_min(rates: list[float]) -> float:
    """0, or below it when a rate is negative (output fell): its bar must still show."""
    low = min(rates + [0.0])
    return 0.0 if low >= 0 else math.floor(low / 50.0) * 50.0


def series_values(rows: list[dict]) -> dict[str, list[Optional[float]]]:
    """Each rate in its status's series (None where the bar belongs to the other one)."""
    unmet = [r.get("status") == "unmet" for r in rows]
    return {MET_SERIES: [None if u else r["computed_rate"] for r, u in zip(rows, unmet)],
            UNMET_SERIES: [r["computed_rate"] if u else None for r, u in zip(rows, unmet)]}


def chart_data(rows: list[dict]):
    """python-pptx's CategoryChartData: indicator names, then each rate in its status's series."""
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData(number_format=NUMBER_FORMAT)
    data.categories = [r["name"] for r in rows]
    for name, values in series_values(rows).items():
        data.add_series(name, values)
    return data


WORKBOOK_HEADER = ("指标", MET_SERIES, UNMET_SERIES)
WORKBOOK_AUTHOR = "PlanReport"


def workbook_blob(rows: list[dict], created: _dt.datetime) -> bytes:
    """The embedded workbook "编辑数据" opens: the cells the chart's formulas (Sheet1!$B$2...) name.

    Written by chart_book (xlsxwriter's bytes for this fixed shape, without importing it);
    data it does not handle goes to xlsxwriter itself.
    """
    from addin.render import chart_book

    blob = chart_book.workbook(WORKBOOK_HEADER, [r["name"] for r in rows], list(series_values(rows).values()),
                               NUMBER_FORMAT, created, WORKBOOK_AUTHOR)
    return blob if blob is not None else workbook_blob_xlsxwriter(rows, created)


def workbook_blob_xlsxwriter(rows: list[dict], created: _dt.datetime) -> bytes:
    """workbook_blob by xlsxwriter (dated, so the same data gives the same bytes), for any data."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": created, "author": WORKBOOK_AUTHOR})
    sheet = book.add_worksheet("Sheet1")
    rate = book.add_format({"num_format": NUMBER_FORMAT})
    sheet.write_row(0, 0, list(WORKBOOK_HEADER))
    for n, r in enumerate(rows, 1):
        sheet.write_string(n, 0, r["name"])
        if r["computed_rate"] is not None:
            sheet.write_number(n, 2 if r.get("status") == "unmet" else 1, r["computed_rate"], rate)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 10)
    book.close()
    return buf.getvalue()


def _rgb(hex_text: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_text)


def _font(font, size_pt: float, rgb: Optional[str] = None, bold: bool = False) -> None:
    """Latin and East Asian typeface: python-pptx sets a:latin; a:ea is added for the Chinese labels."""
    from lxml import etree
    from pptx.util import Pt

    font.size, font.name, font.bold = Pt(size_pt), FONT, bold
    if rgb:
        font.color.rgb = _rgb(rgb)
    rpr = font._rPr
    ea = rpr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    if ea is None:
        latin = rpr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}latin")
        ea = etree.SubElement(rpr, "{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
        latin.addnext(ea)
    ea.set("typeface", FONT_EA)


def _child(parent, tag: str, val: str, *, after: Optional[str] = None):
    """A c:<tag val=...> child (replacing one already there) for what python-pptx has no property for."""
    from lxml import etree

    old = parent.find(f"{{{C_NS}}}{tag}")
    el = etree.Element(f"{{{C_NS}}}{tag}", val=val)
    if old is not None:
        old.addprevious(el)
        parent.remove(old)
    elif after is not None and parent.find(f"{{{C_NS}}}{after}") is not None:
        parent.find(f"{{{C_NS}}}{after}").addnext(el)
    else:
        parent.append(el)
    return el


def default_chart_xml(rows: list[dict]) -> bytes:
    """The default chart: python-pptx writes the chart XML, then its chart API styles it."""
    from pptx.chart.chart import Chart
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
    from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN_TYPE
    from pptx.oxml import parse_xml
    from pptx.util import Pt

    data = chart_data(rows)
    space = parse_xml(ChartXmlWriter(XL_CHART_TYPE.BAR_CLUSTERED, data).xml.encode("utf-8"))
    chart = Chart(space, None)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP  # above the plot: no long bar can reach it
    chart.legend.include_in_layout = False
    _font(chart.legend.font, 8)
    _font(chart.font, 7.5)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap, plot.vary_by_categories = 45, 100, False
    met, unmet = plot.series
    met.format.fill.solid()
    met.format.fill.fore_color.rgb = _rgb(MET_RGB)
    unmet.format.fill.patterned()
    unmet.format.fill.pattern = MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL
    unmet.format.fill.fore_color.rgb = _rgb(UNMET_RGB)
    unmet.format.fill.back_color.rgb = _rgb("FFFFFF")
    unmet.format.line.color.rgb = _rgb(UNMET_RGB)
    for series, rgb in ((met, "222222"), (unmet, UNMET_RGB)):
        series.invert_if_negative = False
        labels = series.data_labels
        labels.number_format, labels.number_format_is_linked = NUMBER_FORMAT, False
        labels.show_value, labels.position = True, XL_LABEL_POSITION.OUTSIDE_END
        _font(labels.font, 7, rgb, bold=series is unmet)
    unmet.data_labels.show_series_name = True  # "68.75% 未完成"
    _child(unmet._element.find(f"{{{C_NS}}}dLbls"), "separator", "", after="showBubbleSize").text = " "
    cat = chart.category_axis
    cat.reverse_order = True  # first indicator on top, as in the table
    cat.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    cat.has_major_gridlines = False
    cat.format.line.color.rgb = _rgb("555555")
    _child(cat._element, "tickLblSkip", "1", after="lblOffset")  # every indicator named, none skipped
    _child(cat._element, "noMultiLvlLbl", "0")
    val = chart.value_axis
    val.tick_labels.number_format, val.tick_labels.number_format_is_linked = AXIS_FORMAT, False
    val.major_unit, val.minor_unit = 100.0, 25.0  # the major gridline at 100% is the target line
    val.has_major_gridlines = val.has_minor_gridlines = True
    line = val.major_gridlines.format.line
    line.color.rgb, line.width, line.dash_style = _rgb(TARGET_RGB), Pt(1.25), MSO_LINE_DASH_STYLE.DASH
    _thin_line(val._element.get_or_add_minorGridlines(), GRID_RGB)  # python-pptx has no proxy for these
    val.format.line.fill.background()
    _font(val.tick_labels.font, 7.5)
    set_axis(space, _rates(rows))
    return _serialize(space)


def _thin_line(parent, rgb: str) -> None:
    from lxml import etree

    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    line = etree.SubElement(etree.SubElement(parent, f"{{{C_NS}}}spPr"), a + "ln", w="6350")
    etree.SubElement(etree.SubElement(line, a + "solidFill"), a + "srgbClr", val=rgb)


def set_axis(space, rates: list[float]) -> None:
    """The value axis range fits the data (0 .. 150 or 200), rewritten on every render."""
    from pptx.chart.chart import Chart

    axis = Chart(space, None).value_axis
    axis.maximum_scale, axis.minimum_scale = axis_max(rates), axis_min(rates)


def _serialize(space) -> bytes:
    from lxml import etree

    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def replace_data(blob: bytes, rows: list[dict]) -> bytes:
    """The template's chart with this report's categories and values; its styling untouched.

    The two-series chart of summary.docx is rewritten with lxml (chart_series, the same bytes
    python-pptx writes, without importing it); a chart of another shape goes to python-pptx.
    """
    from addin.render import chart_series

    rates = _rates(rows)
    series = [chart_series.Series(name, values, NUMBER_FORMAT) for name, values in series_values(rows).items()]
    out = chart_series.replace(blob, [r["name"] for r in rows], series, axis_max(rates), axis_min(rates))
    return out if out is not None else replace_data_pptx(blob, rows)


def replace_data_pptx(blob: bytes, rows: list[dict]) -> bytes:
    """replace_data by python-pptx's series rewriter, for any chart shape (it adds or drops series)."""
    from pptx.chart.xmlwriter import SeriesXmlRewriterFactory
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.oxml import parse_xml

    space = parse_xml(blob)
    SeriesXmlRewriterFactory(XL_CHART_TYPE.BAR_CLUSTERED, chart_data(rows)).replace_series_data(space)
    set_axis(space, _rates(rows))
    return _serialize(space)


def _chart_parts(document_part) -> list:
    return [rel.target_part for rel in document_part.rels.values()
            if rel.reltype == RT_CHART and not rel.is_external]


def _embedding(chart_part):
    for rel in chart_part.rels.values():
        if rel.reltype == RT_PACKAGE and not rel.is_external:
            return rel.target_part
    return None


def fill(document, rows: list[dict], *, created: _dt.datetime) -> None:
    """Put this report's data into the template's chart(s), or the default chart at CHART_MARK.

    A template chart's embedded workbook is replaced in place; one it lacks is added, so
    "编辑数据" always opens the numbers the bars show.
    """
    from docx.text.paragraph import Paragraph

    part = document.part
    charts = _chart_parts(part)
    # xpath, not document.paragraphs: building every paragraph's proxy and text costs more than the chart
    from docx.oxml.ns import qn

    marks = [Paragraph(t.getparent().getparent(), document._body)
             for t in document.element.body.iter(qn("w:t")) if t.text and CHART_MARK in t.text]
    for chart_part in charts:
        chart_part._blob = replace_data(chart_part.blob, rows)
        embedded = _embedding(chart_part)
        if embedded is not None:
            embedded._blob = workbook_blob(rows, created)
        else:
            _embed(chart_part, workbook_blob(rows, created))
    for n, paragraph in enumerate(marks):
        for run in paragraph.runs:
            run.text = run.text.replace(CHART_MARK, "")
        if not charts and n == 0:
            insert_chart(document, paragraph, default_chart_xml(rows), workbook_blob(rows, created), len(rows))
    if not charts and not marks:  # the statistician removed the chart and its place: add it at the end
        insert_chart(document, document.add_paragraph(), default_chart_xml(rows), workbook_blob(rows, created),
                     len(rows))


def _next_partname(package, template: str):
    from docx.opc.packuri import PackURI

    used = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while template % n in used:
        n += 1
    return PackURI(template % n)


def _embed(chart_part, xlsx: bytes) -> None:
    from docx.opc.part import Part
    from lxml import etree

    package = chart_part.package
    book = Part(_next_partname(package, "/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), XLSX_CT, xlsx, package)
    rid = chart_part.relate_to(book, RT_PACKAGE)
    space = etree.fromstring(chart_part.blob)
    for old in space.findall(f"{{{C_NS}}}externalData"):
        space.remove(old)
    ext = etree.SubElement(space, f"{{{C_NS}}}externalData")
    ext.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid)
    etree.SubElement(ext, f"{{{C_NS}}}autoUpdate", val="0")
    chart_part._blob = _serialize(space)


INLINE = (
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="图表 {id}" descr="各项指标完成率"/>'
    '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>'
)


def chart_height_mm(count: int) -> float:
    return min(MAX_HEIGHT_MM, HEAD_MM + ROW_MM * max(1, count))


def insert_chart(document, paragraph, chart_xml: bytes, xlsx: bytes, count: int) -> None:
    """The chart part, its workbook and the inline drawing that shows it (python-docx has no chart API;
    the w:drawing wrapper is the one piece of markup written here)."""
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    part = document.part
    package = part.package
    chart_part = Part(_next_partname(package, "/word/charts/chart%d.xml"), CHART_CT, chart_xml, package)
    rid = part.relate_to(chart_part, RT_CHART)
    _embed(chart_part, xlsx)
    ids = [int(x) for x in document.element.body.xpath("//wp:docPr/@id")] or [0]
    drawing = INLINE.format(cx=WIDTH_MM * EMU_PER_MM, cy=int(chart_height_mm(count) * EMU_PER_MM),
                            id=max(ids) + 1, rid=rid)
    paragraph.add_run()._r.append(parse_xml(drawing))
