"""The Word report written from the template's parts (docx_direct) is byte for byte the one
docxtpl writes on the template loaded into python-docx (the path every other template takes)."""
from __future__ import annotations

import zipfile

import pytest
from docx import Document

from addin.render import chart_docx, docx_direct, docx_template
from addin.render.docx import docx_context, render_docx, render_through_python_docx, timestamp
from addin.render.narrative import build_context
from addin.render.templates import PHRASEBOOK, environment
from render_support import DATE, TEMPLATES, copy_templates, remove_chart, rewrite_member


def through_python_docx(result_json: dict, templates, out):
    ctx = build_context(result_json, date=DATE)
    phrases = environment(templates, markup=False).get_template(PHRASEBOOK).module
    return render_through_python_docx(templates / "summary.docx", docx_context(ctx, phrases),
                                      chart_docx.chart_rows(ctx["indicators"]), created=timestamp(DATE),
                                      title=ctx["title"], out=out)


def cases(sample_json: dict) -> dict[str, dict]:
    rows = sample_json["indicators"]
    return {
        "sample": sample_json,
        "one row": {**sample_json, "indicators": rows[:1], "findings": []},
        "no rate": {**sample_json, "indicators": [{**r, "computed_rate": None, "status": "not_computable"} for r in rows]},
        "special names": {**sample_json, "indicators": [{**r, "name": f"{r['name']}<&>\"'"} for r in rows]},
        # tabs and line breaks in cell text: docxtpl's resolve_listing turns them into w:tab / w:br
        "tabs and breaks": {**sample_json, "indicators": [{**r, "name": f"{r['name']}\n第二行\t列"} for r in rows]},
    }


@pytest.mark.parametrize("case", ["sample", "one row", "no rate", "special names", "tabs and breaks"])
def test_same_bytes_as_the_python_docx_path(sample_json, tmp_path, case):
    result = cases(sample_json)[case]
    assert docx_direct.plan(docx_template.template_bytes(TEMPLATES / "summary.docx")) is not None
    direct = render_docx(result, tmp_path / "direct.docx", date=DATE)
    assert direct.read_bytes() == through_python_docx(result, TEMPLATES, tmp_path / "docx.docx").read_bytes()


def test_an_edited_template_too(sample_json, tmp_path):
    """Word re-saves an edited template with its own member order and a changed core.xml: still the same bytes."""
    edited = copy_templates(tmp_path / "templates")
    docx = edited / "summary.docx"

    def templated_subject(xml: bytes) -> bytes:
        assert b"<dc:subject/>" in xml
        return xml.replace(b"<dc:subject/>", b"<dc:subject>{{ title }}</dc:subject>")

    rewrite_member(docx, "docProps/core.xml", templated_subject)
    with zipfile.ZipFile(docx) as z:  # and the members in another order, as another editor writes them
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        for name in reversed(list(members)):
            z.writestr(name, members[name])
    assert docx_direct.plan(docx_template.template_bytes(docx)) is not None
    direct = render_docx(sample_json, tmp_path / "direct.docx", templates_dir=edited, date=DATE)
    assert direct.read_bytes() == through_python_docx(sample_json, edited, tmp_path / "docx.docx").read_bytes()
    assert Document(str(direct)).core_properties.subject.startswith("2025年")  # the templated property rendered


def test_a_template_without_a_chart_takes_the_python_docx_path(tmp_path):
    edited = copy_templates(tmp_path / "templates")
    remove_chart(edited / "summary.docx", mark=None)
    assert docx_direct.plan(docx_template.template_bytes(edited / "summary.docx")) is None
