"""The Word report: the docxtpl template summary.docx filled with the phrasebook's sentences and its native chart."""
from __future__ import annotations

import datetime as _dt
import html
import re
from pathlib import Path
from typing import Optional, Union

from addin.render.narrative import DateLike, build_context
from addin.render.templates import DOCX_TEMPLATE, PHRASEBOOK, UNDERLINE_CLOSE, UNDERLINE_OPEN, environment
from addin.render.templates import templates_dir as locate

# Word shows these in File > Info; fixed so the same data gives the same file.
FIXED_TIMESTAMP = _dt.datetime(2000, 1, 1)


class RichText:
    """docxtpl's RichText for what the report puts in one (text runs, some underlined): the same
    run XML, without importing docxtpl (and python-docx with it) for every refresh."""

    __slots__ = ("xml",)

    def __init__(self):
        self.xml = ""

    def add(self, text: str, underline: bool = False) -> None:
        props = '<w:rPr><w:u w:val="single"/></w:rPr>' if underline else ""
        self.xml += f'<w:r>{props}<w:t xml:space="preserve">{html.escape(text)}</w:t></w:r>'

    def __str__(self) -> str:
        return self.xml

    def __html__(self) -> str:  # autoescaping templates insert it as markup, as docxtpl's
        return self.xml


_UNDERLINE_MARKS = re.compile(f"[{UNDERLINE_OPEN}{UNDERLINE_CLOSE}]")


def rich(text: str) -> RichText:
    """Plain phrase text -> RichText, the spans between underline markers underlined."""
    rt = RichText()
    for n, piece in enumerate(_UNDERLINE_MARKS.split(text)):
        if piece:
            rt.add(piece, underline=(n % 2 == 1))
    return rt


def timestamp(value: DateLike) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(value or ""))
    if m:
        return _dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", str(value or ""))
    return _dt.datetime(int(m[1]), int(m[2]), int(m[3])) if m else FIXED_TIMESTAMP


def _with_rows(value, rows: dict[int, dict]):
    """A list of the context with each indicator replaced by its Word copy (other values as they are)."""
    if value.__class__ is list:
        return [rows.get(id(x), x) for x in value]
    return value


def docx_context(ctx: dict, phrases) -> dict:
    """Everything the Word template shows, as plain strings or RichText.

    ``ctx`` is left as it is (the HTML report renders from the same one): each indicator gets a
    Word copy with its rate_rich, status_text and a printable no, and every list of the context
    that holds the indicator (indicators, unmet, each category's rows ...) holds the copy, so an
    edited template finds the Word fields wherever it reaches an indicator.
    """
    from addin.render.chart_docx import CHART_MARK

    rows: dict[int, dict] = {}
    for i in ctx["indicators"]:
        rate = phrases.rate(i) + (f"（填报{i['reported_text']}）" if i["mismatch"] else "")
        rows[id(i)] = {**i, "rate_rich": rich(rate), "status_text": phrases.status_word(i),
                       "no": "" if i.get("no") is None else i["no"]}
    categories = []
    for group in ctx["categories"]:
        word = {k: _with_rows(v, rows) for k, v in group.items()}
        word["paragraph"] = rich(phrases.category_paragraph(group))
        categories.append(word)
    findings = [{**f, "indicator": rows.get(id(f["indicator"]), f["indicator"])} for f in ctx["findings"]]
    word = {k: _with_rows(v, rows) for k, v in ctx.items()}
    word.update(categories=categories, findings=findings)
    return {
        **word,
        "subtitle": "　".join(x for x in (word["issuer"], word["date"]) if x),
        "overview": rich(phrases.overview(word) + phrases.over_summary(word)),
        "unmet_summary": rich(phrases.unmet_summary(word)),
        "findings_intro": rich(phrases.findings_intro(word)),
        "findings": [rich(f"【{f['severity_text']}】" + phrases.finding_sentence(f)) for f in findings],
        "targets_paragraph": rich(phrases.targets_paragraph(word)) if word["targets"] else "",
        "growth_paragraph": rich(phrases.growth_paragraph(word)) if word["growth"] else "",
        "growth_heading": phrases.growth_heading(word) if word["growth"] else "",
        "progress_paragraph": rich(phrases.progress_paragraph(word)) if word["progress"] else "",
        "progress_heading": phrases.progress_heading(word) if word["progress"] else "",
        "rate_note": rich(phrases.rate_note()),
        # A template that kept the old "{{ chart }}" tag (or lost its chart) gets the default chart there.
        "chart": CHART_MARK,
    }


def render_docx(result_json: dict, out_path: Union[str, Path], *,
                templates_dir: Optional[Union[str, Path]] = None, date: DateLike = None,
                context: Optional[dict] = None) -> Path:
    """Fill the (possibly statistician-edited) template; edits to it survive every refresh.

    ``context``: build_context(result_json, date=date) when the caller has it already (the
    HTML report renders from the same one; it is not changed here)."""
    from addin.render import chart_docx, docx_direct, docx_template

    directory = locate(templates_dir)
    ctx = context if context is not None else build_context(result_json, date=date)
    phrases = environment(directory, markup=False).get_template(PHRASEBOOK).module
    env = docx_template.word_environment()
    data = docx_template.template_bytes(directory / DOCX_TEMPLATE)
    word = docx_context(ctx, phrases)
    rows = chart_docx.chart_rows(ctx["indicators"])
    stamp = timestamp(date if date is not None else (result_json.get("meta") or {}).get("date"))
    done = docx_direct.render(data, env, word, rows, created=stamp, title=ctx["title"], out=Path(out_path))
    if done is not None:
        return done
    # A template docx_direct does not cover (no chart of its own, footnotes ...): through python-docx.
    return render_through_python_docx(directory / DOCX_TEMPLATE, word, rows, created=stamp, title=ctx["title"],
                                      out=Path(out_path))


def render_through_python_docx(template: Path, word: dict, rows: list[dict], *, created: _dt.datetime, title: str,
                               out: Path) -> Path:
    """docxtpl on the template loaded into python-docx, the chart filled or inserted there: any template."""
    from addin.render import chart_docx, docx_template

    tpl, env = docx_template.load(template)
    tpl.render(word, jinja_env=env, autoescape=True)
    chart_docx.fill(tpl.docx, rows, created=created)
    props = tpl.docx.core_properties
    props.created = props.modified = props.last_printed = created
    props.title = title
    props.last_modified_by = "PlanReport"
    props.revision = 1
    return docx_template.save(tpl, out)
