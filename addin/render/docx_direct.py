"""The Word report written straight from the template's parts, without loading it into python-docx.

Rendering summary.docx through docxtpl loads the whole package into python-docx for every
report (≈ 2.5 ms), although a report changes only the body, the headers and footers, the
core properties and the chart part with its workbook; saving walks the package again to
serialize its relationships and content types. Those depend on the template alone, so here
they are worked out once per template (a `Plan`, from one python-docx load) and each report
does only what depends on its data, with the same docxtpl steps, the same parsers and the
same serializer as that path, so it writes the same bytes (tests/render/compare_trees.py).

A template this does not cover returns None from `render` and the caller takes the python-docx
path: no chart part, a chart without its embedded workbook, footnotes, no core properties,
a header or footer shared by two relationships, or a rendered body that still holds the
default chart's place mark.
"""
from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from addin.render.chart_docx import CHART_MARK, RT_CHART, RT_PACKAGE

RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class Plan:
    """What a render of one template needs that does not depend on the report."""

    document: str  # the main document's member name
    document_xml: bytes  # as python-docx serializes it (parsed anew per report: its body is replaced)
    body_source: str  # docxtpl's get_xml() of the template body
    parts: tuple[tuple[str, str, str], ...]  # headers, then footers: (member, source xml, encoding)
    core: str
    core_xml: bytes
    charts: tuple[tuple[str, bytes, str], ...]  # (chart member, its template bytes, embedded workbook member)
    members: dict  # what python-docx writes for the unrendered package where it differs from the template
    written: frozenset


@lru_cache(maxsize=4)
def plan(data: bytes) -> Optional[Plan]:
    """The plan for these template bytes, or None when the template needs the python-docx path."""
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
            return None  # the old path adds a workbook part
        charts.append((chart.partname.membername, chart.blob, books[0].partname.membername))
    if not charts:
        return None  # the default chart is inserted: new parts
    parts = []
    for uri in (template_class.HEADER_URI, template_class.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            source = tpl.get_part_xml(part)
            parts.append((part.partname.membername, source, tpl.get_headers_footers_encoding(source)))
    if len({name for name, _, _ in parts}) != len(parts):
        return None  # one header part behind two relationships: docxtpl makes two parts of it
    members, written = docx_template.written_members(package)
    same = docx_template.template_members(data)
    members = {name: blob for name, blob in members.items() if same.get(name) != blob}  # the rest stays as it is
    core = package.part_related_by(RT_CORE)
    return Plan(document=doc_part.partname.membername, document_xml=doc_part.blob, body_source=tpl.get_xml(),
                parts=tuple(parts), core=core.partname.membername, core_xml=core.blob, charts=tuple(charts),
                members=members, written=frozenset(written))


def render(data: bytes, env, context: dict, rows: list[dict], *, created: _dt.datetime, title: str,
           out: Path) -> Optional[Path]:
    """The report at ``out``, or None (nothing written) when the template needs the python-docx path."""
    from docx.opc.coreprops import CoreProperties
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    from addin.render import chart_docx, docx_template

    p = plan(data)
    if p is None:
        return None
    template_class, _ = docx_template.template_classes()
    tpl = template_class(io.BytesIO(data))
    # docxtpl's render_init() without its package load: what its steps below read.
    tpl.pic_map, tpl.current_rendering_part, tpl.docx_ids_index, tpl.is_saved = {}, None, 1000, False
    xml = tpl.render_xml_part(tpl.patch_xml(p.body_source), None, context, env)
    if CHART_MARK in xml:
        return None  # the default chart's place ("{{ chart }}"): python-docx edits those runs
    body = tpl.fix_tables(xml)
    tpl.fix_docpr_ids(body)
    root = parse_xml(p.document_xml)
    root.replace(root.body, body)
    members = dict(p.members)
    members[p.document] = serialize_part_xml(root)
    for name, source, encoding in p.parts:
        rendered = tpl.render_xml_part(tpl.patch_xml(source), None, context, env).encode(encoding)
        members[name] = serialize_part_xml(parse_xml(rendered))
    core = parse_xml(p.core_xml)
    props = CoreProperties(core)
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):  # docxtpl's render_properties
        setattr(props, prop, env.from_string(getattr(props, prop)).render(context))
    book = chart_docx.workbook_blob(rows, created)
    for chart, blob, embedded in p.charts:
        members[chart] = chart_docx.replace_data(blob, rows)
        members[embedded] = book
    props.created = props.modified = props.last_printed = created
    props.title = title
    props.last_modified_by = "PlanReport"
    props.revision = 1
    members[p.core] = serialize_part_xml(core)
    return docx_template.save_members(data, members, set(p.written), out)
