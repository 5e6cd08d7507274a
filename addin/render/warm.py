"""Work every report needs once per process, done ahead: imports, template bytes, compiled phrasebook.

A batch calls this in its parent before the worker pool starts: forked workers then begin
with it done (imports, the Word template's plan and compiled templates once for the whole
batch instead of once per worker), and a failing template is found before any workbook is read.
"""
from __future__ import annotations

from typing import Optional, Sequence


def warm_up(formats: Sequence[str], templates_dir: Optional[str] = None) -> None:
    from addin.render.templates import DOCX_TEMPLATE, HTML_TEMPLATE, PHRASEBOOK, environment
    from addin.render.templates import templates_dir as locate

    from addin.render import narrative  # noqa: F401  (the context both reports render from)

    directory = locate(templates_dir)
    if "docx" in formats or "pdf" in formats:
        # python-pptx and xlsxwriter are not imported: the template's chart is filled without them
        # (chart_series, chart_book); only a template without a chart needs python-pptx, and only
        # one docx_direct does not cover needs docxtpl and python-docx.
        from addin.render import chart_book, chart_docx, chart_series, docx, docx_direct, docx_template  # noqa: F401

        # A template that cannot be read fails here; one docx_direct does not cover gets its
        # python-docx path (docxtpl imported, template parsed) ready for the workers.
        if docx_direct.plan(docx_template.template_bytes(directory / DOCX_TEMPLATE)) is None:
            docx_template.load(directory / DOCX_TEMPLATE)
        environment(directory, markup=False).get_template(PHRASEBOOK)
    if "html" in formats:
        from addin.render import chart, html  # noqa: F401

        environment(directory, markup=True).get_template(HTML_TEMPLATE)
