"""The web-page report: one self-contained HTML file."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from addin.render.narrative import DateLike, build_context
from addin.render.templates import HTML_TEMPLATE, environment, templates_dir as locate


def render_html(result_json: dict, *, templates_dir: Optional[Union[str, Path]] = None,
                date: DateLike = None, context: Optional[dict] = None) -> str:
    """The report page; the same JSON always gives the same bytes.

    ``context``: build_context(result_json, date=date) when the caller has it already (shared
    with the Word report; neither changes it)."""
    from markupsafe import Markup

    from addin.render import chart

    ctx = context if context is not None else build_context(result_json, date=date)
    env = environment(locate(templates_dir), markup=True)
    # chart.svg escapes every text it draws, so it is safe to insert as markup.
    chart_svg = Markup(chart.svg(chart.series(ctx)))
    return env.get_template(HTML_TEMPLATE).render(ctx=ctx, chart_svg=chart_svg)


def write_html(result_json: dict, out_path: Union[str, Path], **kwargs) -> Path:
    out = Path(out_path)
    out.write_text(render_html(result_json, **kwargs), encoding="utf-8", newline="\n")
    return out
