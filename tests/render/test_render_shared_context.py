"""One context for both reports: the Word renderer leaves it as it found it, so the HTML
page rendered from it after the Word report is the page rendered from its own."""
from __future__ import annotations

import copy

from addin.render.docx import render_docx
from addin.render.html import render_html
from addin.render.narrative import build_context
from render_support import DATE


def test_word_report_leaves_the_shared_context_unchanged(sample_json, tmp_path):
    ctx = build_context(sample_json, date=DATE)
    before = copy.deepcopy(ctx)
    alone = render_docx(sample_json, tmp_path / "alone.docx", date=DATE).read_bytes()
    shared = render_docx(sample_json, tmp_path / "shared.docx", date=DATE, context=ctx).read_bytes()
    assert ctx == before
    assert shared == alone
    assert render_html(sample_json, date=DATE, context=ctx) == render_html(sample_json, date=DATE)


def test_rows_without_a_number_after_the_word_report(sample_json, tmp_path):
    """The Word copy prints an empty 序号; the shared row keeps None, which the HTML chart label leaves out."""
    unnumbered = {**sample_json, "indicators": [{**i, "no": None} for i in sample_json["indicators"]]}
    ctx = build_context(unnumbered, date=DATE)
    render_docx(unnumbered, tmp_path / "r.docx", date=DATE, context=ctx)
    assert all(i["no"] is None for i in ctx["indicators"])
    page = render_html(unnumbered, date=DATE, context=ctx)
    assert page == render_html(unnumbered, date=DATE)
    assert ">. " not in page and "None" not in page
