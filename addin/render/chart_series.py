"""A template chart's data replaced with plain lxml: its c:ser caches and the value axis range.

This is what python-pptx's category series rewriter (``SeriesXmlRewriterFactory(...)
.replace_series_data``) and its ``value_axis.maximum_scale`` / ``minimum_scale`` setters do
to a chart part, step for step (same snippets, same parser settings, same insertion points),
without importing python-pptx: its package imports the whole presentation API, Pillow and
urllib/http/email, ≈ 120 ms of every ``planreport refresh``. tests/render/test_render_chart_series.py
compares the bytes of both on many inputs.

Only the shape the shipped template has (and a statistician's restyling keeps) is handled
here: one bar/line/... plot with exactly two series, in c:order order, and a value axis with
a c:scaling. Anything else returns None and the caller lets python-pptx do it, which then
adds or removes series the way it always has.
"""
from __future__ import annotations

from typing import Optional, Sequence

from lxml import etree

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
C = "{" + C_NS + "}"
NSDECL = f' xmlns:c="{C_NS}"'
# python-pptx's parser: blank text between elements is dropped from the template chart too.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

PLOT_TAGS = frozenset(C + t for t in (
    "area3DChart", "areaChart", "bar3DChart", "barChart", "bubbleChart", "doughnutChart", "line3DChart",
    "lineChart", "ofPieChart", "pie3DChart", "pieChart", "radarChart", "scatterChart", "stockChart",
    "surface3DChart", "surfaceChart"))
# c:ser children in schema order (python-pptx CT_SeriesComposite._tag_seq): a new c:tx goes
# before the first of the tags after it that the series has, looked up in this order.
SER_SEQ = ("idx", "order", "tx", "spPr", "invertIfNegative", "pictureOptions", "marker", "explosion", "dPt",
           "dLbls", "trendline", "errBars", "cat", "val", "xVal", "yVal", "shape", "smooth", "bubbleSize",
           "bubble3D", "extLst")
SCALING_SEQ = ("logBase", "orientation", "max", "min", "extLst")


def escape(text: str) -> str:
    """xml.sax.saxutils.escape, which python-pptx uses; importing that module pulls in urllib.request
    (≈ 35 ms: http, ssl, email)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


class Series:
    """One series' data: its name and one value (or None, no point) per category."""

    __slots__ = ("name", "values", "number_format")

    def __init__(self, name: str, values: Sequence[Optional[float]], number_format: str):
        self.name, self.values, self.number_format = name, list(values), number_format


def _column(n: int) -> str:
    """1 -> A, 27 -> AA (python-pptx's CategoryWorkbookWriter._column_reference)."""
    ref = ""
    while n:
        n, rem = divmod(n - 1, 26)
        ref = chr(ord("A") + rem) + ref
    return ref


def _tx(series: Series, col: str) -> str:
    return (
        f"          <c:tx{NSDECL}>\n"
        "            <c:strRef>\n"
        f"              <c:f>Sheet1!${col}$1</c:f>\n"
        "              <c:strCache>\n"
        '                <c:ptCount val="1"/>\n'
        '                <c:pt idx="0">\n'
        f"                  <c:v>{escape(series.name)}</c:v>\n"
        "                </c:pt>\n"
        "              </c:strCache>\n"
        "            </c:strRef>\n"
        "          </c:tx>\n"
    )


def _cat(categories: Sequence[str]) -> str:
    points = "".join(
        f'                <c:pt idx="{idx}">\n'
        f"                  <c:v>{escape(str(label))}</c:v>\n"
        "                </c:pt>\n"
        for idx, label in enumerate(categories))
    return (
        f"          <c:cat{NSDECL}>\n"
        "            <c:strRef>\n"
        f"              <c:f>Sheet1!$A$2:$A${len(categories) + 1}</c:f>\n"
        "              <c:strCache>\n"
        f'                <c:ptCount val="{len(categories)}"/>\n'
        f"{points}"
        "              </c:strCache>\n"
        "            </c:strRef>\n"
        "          </c:cat>\n"
    )


def _val(series: Series, col: str) -> str:
    points = "".join(
        f'                <c:pt idx="{idx:d}">\n'
        f"                  <c:v>{value}</c:v>\n"
        "                </c:pt>\n"
        for idx, value in enumerate(series.values) if value is not None)
    return (
        f"          <c:val{NSDECL}>\n"
        "            <c:numRef>\n"
        f"              <c:f>Sheet1!${col}$2:${col}${len(series.values) + 1}</c:f>\n"
        "              <c:numCache>\n"
        f"                <c:formatCode>{series.number_format}</c:formatCode>\n"
        f'                <c:ptCount val="{len(series.values)}"/>\n'
        f"{points}"
        "              </c:numCache>\n"
        "            </c:numRef>\n"
        "          </c:val>\n"
    )


def _insert(parent, element, successors: Sequence[str]) -> None:
    """python-pptx's insert_element_before: before the first successor *tag* found, else at the end."""
    for tag in successors:
        after = parent.find(C + tag)
        if after is not None:
            after.addprevious(element)
            return
    parent.append(element)


def _rewrite_ser(ser, snippets: dict[str, str]) -> None:
    """All old c:tx, c:cat and c:val removed first, then the new ones inserted, as python-pptx does."""
    for tag in snippets:
        for old in ser.findall(C + tag):
            ser.remove(old)
    for tag, xml in snippets.items():
        _insert(ser, etree.fromstring(xml, _PARSER), SER_SEQ[SER_SEQ.index(tag) + 1:])


def _set_double(scaling, tag: str, value: float) -> None:
    for old in scaling.findall(C + tag):
        scaling.remove(old)
    element = _PARSER.makeelement(C + tag, nsmap={"c": C_NS})
    element.set("val", str(float(value)))
    _insert(scaling, element, SCALING_SEQ[SCALING_SEQ.index(tag) + 1:])


def _two_series(space) -> Optional[list]:
    """The template's two c:ser elements in c:order order, or None for any other shape."""
    plot = space.find(f"{C}chart/{C}plotArea")
    if plot is None:
        return None
    plots = [child for child in plot if child.tag in PLOT_TAGS]
    if len(plots) != 1:
        return None
    sers = plots[0].findall(C + "ser")
    if len(sers) != 2:
        return None
    try:
        orders = [int(ser.find(C + "order").get("val")) for ser in sers]
    except (AttributeError, TypeError, ValueError):
        return None
    return sers if orders == sorted(orders) else None


def _scaling(space):
    axes = space.findall(f"{C}chart/{C}plotArea/{C}valAx")
    if not axes:
        return None
    return axes[1 if len(axes) > 1 else 0].find(C + "scaling")


def replace(blob: bytes, categories: Sequence[str], series: Sequence[Series], axis_max: float,
            axis_min: float) -> Optional[bytes]:
    """The chart part with these categories, two series and value-axis range; None when the
    chart is not the two-series shape handled here (the caller then uses python-pptx)."""
    if len(series) != 2:
        return None
    space = etree.fromstring(blob, _PARSER)
    sers, scaling = _two_series(space), _scaling(space)
    if sers is None or scaling is None:
        return None
    cat = _cat(categories)  # the same in both series
    for n, (ser, data) in enumerate(zip(sers, series)):
        col = _column(2 + n)  # column A holds the categories, series n sits in column B + n
        _rewrite_ser(ser, {"tx": _tx(data, col), "cat": cat, "val": _val(data, col)})
    _set_double(scaling, "max", axis_max)
    _set_double(scaling, "min", axis_min)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
