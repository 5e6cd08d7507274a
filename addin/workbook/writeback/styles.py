"""Find or append the few cell formats `核算结果` needs in xl/styles.xml.

Entries are looked up before they are appended, so a second write-back finds the
ones the first appended and styles.xml does not grow.
"""
from __future__ import annotations

import copy
import functools

from lxml import etree

from addin.workbook.writeback.results_sheet import PERCENT_FORMAT_ID
from addin.workbook.opc import TRANSITIONAL, local as _local, parse_xml, q, serialise

# CT_Font children must appear in this order (ECMA-376 part 1, 18.8.22).
_FONT_ORDER = ["b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
               "name", "family", "charset", "scheme"]
LINK_COLOR = "FF0563C1"  # Office theme "Hyperlink" blue, spelled out so any theme shows it

MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)


def _derived_font(ns: str, base: etree._Element, *, bold: bool = False, link: bool = False) -> etree._Element:
    """The workbook's default font (so size and face match) made bold or link-coloured."""
    children = {(_local(ch)): copy.deepcopy(ch) for ch in base if isinstance(ch.tag, str)}
    if bold:
        children["b"] = etree.Element(q(ns, "b"))
    if link:
        children["u"] = etree.Element(q(ns, "u"))
        children["color"] = etree.Element(q(ns, "color"), rgb=LINK_COLOR)
    font = etree.Element(q(ns, "font"))
    for name in _FONT_ORDER:
        if name in children:
            font.append(children[name])
    return font


def _key(el: etree._Element) -> tuple:
    """Compare entries by meaning, not by the namespace prefix they happen to carry."""
    return (_local(el), tuple(sorted(el.attrib.items())), tuple(_key(ch) for ch in el if isinstance(ch.tag, str)))


def _find_or_append(ns: str, container: etree._Element, child_tag: str, wanted: etree._Element) -> int:
    items = container.findall(q(ns, child_tag))
    key = _key(wanted)
    for i, item in enumerate(items):
        if _key(item) == key:
            return i
    container.append(wanted)
    container.set("count", str(len(items) + 1))
    return len(items)


def _child(ns: str, root: etree._Element, tag: str, after: list[str]) -> etree._Element:
    """The container ``tag`` of the stylesheet, created in schema position if missing."""
    found = root.find(q(ns, tag))
    if found is not None:
        return found
    el = etree.Element(q(ns, tag), count="0")
    anchor = None
    for name in after:
        prev = root.find(q(ns, name))
        if prev is not None:
            anchor = prev
    if anchor is None:
        root.insert(0, el)
    else:
        anchor.addnext(el)
    return el


def ensure_styles(styles_xml: bytes | None, ns_main: str = TRANSITIONAL.main) -> tuple[bytes, dict[str, int]]:
    """Return the new styles.xml and the cellXfs index of each style key of the results sheet.

    Entries are made in the stylesheet's own namespace (Strict or Transitional)."""
    small = styles_xml is None or len(styles_xml) <= _CACHED_MAX_BYTES
    out, ids = (_ensure_styles if small else _ensure_styles.__wrapped__)(styles_xml, ns_main)
    return out, dict(ids)


_CACHED_MAX_BYTES = 256 * 1024  # a style sheet bloated by copy-pasting is not kept in memory


# A pure function of the bytes: the workbooks of one batch usually come from one template and
# share their styles.xml, so each worker parses and edits it once, not once per workbook.
@functools.lru_cache(maxsize=16)
def _ensure_styles(styles_xml: bytes | None, ns_main: str) -> tuple[bytes, dict[str, int]]:
    minimal = MINIMAL_STYLES.replace(TRANSITIONAL.main.encode(), ns_main.encode())
    root = parse_xml(styles_xml or minimal, "xl/styles.xml")
    ns = etree.QName(root).namespace or ns_main
    before = serialise(root)
    fonts = _child(ns, root, "fonts", ["numFmts"])
    cell_xfs = _child(ns, root, "cellXfs", ["numFmts", "fonts", "fills", "borders", "cellStyleXfs"])
    base_font = fonts.find(q(ns, "font"))
    if base_font is None:
        base_font = etree.SubElement(fonts, q(ns, "font"))
        fonts.set("count", "1")
    bold_id = _find_or_append(ns, fonts, "font", _derived_font(ns, base_font, bold=True))
    link_id = _find_or_append(ns, fonts, "font", _derived_font(ns, base_font, link=True))

    def xf(font_id: int, num_fmt: int) -> int:
        attrs = {"numFmtId": str(num_fmt), "fontId": str(font_id), "fillId": "0", "borderId": "0", "xfId": "0"}
        if font_id:
            attrs["applyFont"] = "1"
        if num_fmt:
            attrs["applyNumberFormat"] = "1"
        return _find_or_append(ns, cell_xfs, "xf", etree.Element(q(ns, "xf"), attrs))

    ids = {"header": xf(bold_id, 0), "percent": xf(0, PERCENT_FORMAT_ID), "link": xf(link_id, 0),
           "link_percent": xf(link_id, PERCENT_FORMAT_ID)}
    after = serialise(root)
    # Unchanged on a second run: hand back the very bytes that came in.
    return (styles_xml if styles_xml and after == before else after), ids
