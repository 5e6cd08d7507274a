"""The Word report written straight from the template's parts, without python-docx or docxtpl.

Rendering summary.docx through docxtpl loads the whole package into python-docx for every
report (≈ 2.5 ms), although a report changes only the body, the headers and footers, the
core properties and the chart part with its workbook; saving walks the package again to
serialize its relationships and content types. Those depend on the template alone, so here
they are worked out once per template (a `Plan`, from one python-docx load, kept on disk
like the compiled Jinja code) and each report does only what depends on its data, with
docxtpl's steps, python-docx's parser settings, serializer and core-property rules, so it
writes the same bytes (tests/render/test_render_docx_direct.py, tests/render/compare_trees.py).
A refresh then imports neither package (≈ 55 ms) unless the plan has to be made.

A template this does not cover returns None from `render` and the caller takes the python-docx
path: no chart part, a chart without its embedded workbook, footnotes, no core properties,
a header or footer shared by two relationships, or a rendered body that still holds the
default chart's place mark.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from addin.render.chart_docx import CHART_MARK, RT_CHART, RT_PACKAGE

RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
W_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
# python-docx's CoreProperties names -> the element each one is stored in
CORE_ELEMENTS = {"author": ("dc", "creator"), "comments": ("dc", "description"), "identifier": ("dc", "identifier"),
                 "language": ("dc", "language"), "subject": ("dc", "subject"), "title": ("dc", "title"),
                 "last_modified_by": ("cp", "lastModifiedBy"), "revision": ("cp", "revision"),
                 "created": ("dcterms", "created"), "modified": ("dcterms", "modified"),
                 "last_printed": ("cp", "lastPrinted")}
TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl's list


@dataclass(frozen=True)
class Plan:
    """What a render of one template needs that does not depend on the report."""

    document: str  # the main document's member name
    document_xml: bytes  # as python-docx serializes it (parsed anew per report: its body is replaced)
    body: str  # docxtpl's patch_xml of its get_xml(): the body's Jinja source
    parts: tuple  # headers, then footers: (member, patched source, encoding)
    core: str
    core_xml: bytes
    charts: tuple  # (chart member, its template bytes, embedded workbook member)
    members: dict  # what python-docx writes for the unrendered package where it differs from the template
    written: frozenset  # every member python-docx writes (the others are dropped)


@lru_cache(maxsize=1)
def _parser():
    from lxml import etree

    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's oxml parser


def _parse(xml):
    from lxml import etree

    return etree.fromstring(xml, _parser())


def _serialize(element) -> bytes:
    from lxml import etree

    return etree.tostring(element, encoding="UTF-8", standalone=True)  # python-docx's serialize_part_xml


@lru_cache(maxsize=4)
def plan(data: bytes) -> Optional[Plan]:
    """The plan for these template bytes, or None when the template needs the python-docx path."""
    from addin.render.jinja_cache import cache_folder, marshalled

    made = marshalled(cache_folder("docx"), _key(data) + ".plan", lambda: _make_plan(data))
    return None if made is None else Plan(**{**made, "parts": tuple(made["parts"]), "charts": tuple(made["charts"]),
                                             "written": frozenset(made["written"])})


def _key(data: bytes) -> str:
    """The template's bytes and everything a plan is made with: these modules, docxtpl, python-docx, lxml."""
    import hashlib
    import importlib.util
    import sys

    from lxml import etree

    from addin.render import docx_template

    digest = hashlib.sha256(data)
    for name in ("docxtpl", "docx"):
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        stat = os.stat(origin) if origin else None
        digest.update(repr((name, origin, stat and stat.st_mtime_ns, stat and stat.st_size)).encode("utf-8"))
    digest.update(repr((etree.LXML_VERSION, sys.version)).encode("utf-8"))
    for source in (__file__, docx_template.__file__):
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def _make_plan(data: bytes) -> Optional[dict]:
    import io

    from addin.render import docx_template

    template_class, _ = docx_template.template_classes()
    tpl = template_class(io.BytesIO(data))
    tpl.docx = docx_template.open_document(data)
    package = tpl.docx.part.package
    if any(p.content_type == FOOTNOTES_CT for p in package.iter_parts()):
        return None
    if not any(r.reltype == RT_CORE and not r.is_external for r in package.rels.values()):
        return None  # python-docx adds a default core part
    doc_part = tpl.docx.part
    charts = []
    for rel in doc_part.rels.values():
        if rel.reltype != RT_CHART or rel.is_external:
            continue
        chart = rel.target_part
        books = [r.target_part for r in chart.rels.values() if r.reltype == RT_PACKAGE and not r.is_external]
        if not books:
            return None  # the python-docx path adds a workbook part
        charts.append((chart.partname.membername, chart.blob, books[0].partname.membername))
    if not charts:
        return None  # the default chart is inserted: new parts
    parts = []
    for uri in (template_class.HEADER_URI, template_class.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            source = tpl.get_part_xml(part)
            parts.append((part.partname.membername, tpl.patch_xml(source), tpl.get_headers_footers_encoding(source)))
    if len({name for name, _, _ in parts}) != len(parts):
        return None  # one header part behind two relationships: docxtpl makes two parts of it
    members, written = docx_template.written_members(package)
    same = docx_template.template_members(data)
    core = package.part_related_by(RT_CORE)
    return {"document": doc_part.partname.membername, "document_xml": doc_part.blob,
            "body": tpl.patch_xml(tpl.get_xml()), "parts": parts, "core": core.partname.membername,
            "core_xml": core.blob, "charts": charts,
            "members": {name: blob for name, blob in members.items() if same.get(name) != blob},
            "written": sorted(written)}


def _listing(xml: str) -> str:
    """docxtpl's resolve_listing, for text with tabs or line breaks in it (imports docxtpl)."""
    from addin.render import docx_template

    if not docx_template.needs_listing(xml):
        return xml
    return docx_template.template_classes()[0](None).resolve_listing(xml)


def _body(xml: str):
    """docxtpl's fix_tables: the parsed body, its table grids fixed when a table needs it."""
    from addin.render import docx_template

    tree = docx_template.body_tree(xml)
    return tree if tree is not None else docx_template.template_classes()[0](None).fix_tables(xml)


def _fix_docpr_ids(tree) -> None:
    """docxtpl's fix_docpr_ids: every drawing renumbered from 1001, so no two collide."""
    for n, element in enumerate(tree.xpath("//wp:docPr", namespaces={"wp": WP_NS}), 1001):
        element.attrib["id"] = str(n)


class CoreProperties:
    """python-docx's CoreProperties rules for the properties a report sets (lxml only)."""

    def __init__(self, root):
        self.root = root

    def _find(self, name: str):
        prefix, local = CORE_ELEMENTS[name]
        return self.root.find(f"{{{NS[prefix]}}}{local}")

    def _get_or_add(self, name: str):
        element = self._find(name)
        if element is None:
            prefix, local = CORE_ELEMENTS[name]
            element = _parser().makeelement(f"{{{NS[prefix]}}}{local}", nsmap={prefix: NS[prefix]})
            self.root.append(element)
        return element

    def text(self, name: str) -> str:
        element = self._find(name)
        return "" if element is None or element.text is None else element.text

    def set_text(self, name: str, value) -> None:
        value = value if isinstance(value, str) else str(value)
        if len(value) > 255:
            raise ValueError("exceeded 255 char limit for property, got:\n\n'%s'" % value)
        self._get_or_add(name).text = value

    def set_datetime(self, name: str, value: _dt.datetime) -> None:
        element = self._get_or_add(name)
        element.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
        if name in ("created", "modified"):
            # python-docx's way of declaring xsi on the root rather than on each element
            self.root.set(XSI + "foo", "bar")
            element.set(XSI + "type", "dcterms:W3CDTF")
            del self.root.attrib[XSI + "foo"]

    def set_revision(self, value: int) -> None:
        if not isinstance(value, int) or value < 1:
            raise ValueError("revision property requires positive int, got '%s'" % value)
        self._get_or_add("revision").text = str(value)


def render(data: bytes, env, context: dict, rows: list[dict], *, created: _dt.datetime, title: str,
           out: Path) -> Optional[Path]:
    """The report at ``out``, or None (nothing written) when the template needs the python-docx path."""
    from addin.render import chart_docx, docx_template

    p = plan(data)
    if p is None:
        return None
    xml = _listing(docx_template.render_part(p.body, context, env))
    if CHART_MARK in xml:
        return None  # the default chart's place ("{{ chart }}"): python-docx edits those runs
    body = _body(xml)
    _fix_docpr_ids(body)
    root = _parse(p.document_xml)
    root.replace(root.find(W_BODY), body)
    members = dict(p.members)
    members[p.document] = _serialize(root)
    for name, source, encoding in p.parts:
        members[name] = _serialize(_parse(_listing(docx_template.render_part(source, context, env)).encode(encoding)))
    core = _parse(p.core_xml)
    props = CoreProperties(core)
    for name in TEMPLATED_PROPERTIES:  # docxtpl's render_properties
        props.set_text(name, env.from_string(props.text(name)).render(context))
    book = chart_docx.workbook_blob(rows, created)
    for chart, blob, embedded in p.charts:
        members[chart] = chart_docx.replace_data(blob, rows)
        members[embedded] = book
    for name in ("created", "modified", "last_printed"):
        props.set_datetime(name, created)
    props.set_text("title", title)
    props.set_text("last_modified_by", "PlanReport")
    props.set_revision(1)
    members[p.core] = _serialize(core)
    return docx_template.save_members(data, members, set(p.written), out)
