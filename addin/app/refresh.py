"""check -> reports (docx, html, pdf) -> write 核算结果 back: what `planreport refresh`,
the batch and the Excel button all run."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from addin.common.errors import PlanReportError
from addin.app.options import FORMATS, Options
from addin.app.pipeline import run
from addin.common.model import CheckResult

DEFAULT_OUT = "报告"


@dataclass
class RefreshOutcome:
    result: CheckResult
    outputs: list[Path] = field(default_factory=list)
    written_back: Optional[Path] = None  # the workbook, when 核算结果 was written into it
    warnings: list[str] = field(default_factory=list)  # e.g. no CJK font: for every way in to show


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise PlanReportError(f"无法识别的输出格式：{','.join(unknown) or text}（可选 {','.join(FORMATS)}）")
    return wanted


def safe_stem(name: str) -> str:
    """A file name that is safe on Windows and Linux, whatever the workbook was called."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return stem[:120] or "报告"


def write_reports(result_json: dict, out_dir: Path, stem: str, formats: Sequence[str], *, templates=None, date=None,
                  force_fonts: bool = False) -> list[Path]:
    from addin.workbook.files import Staging

    if "pdf" in formats:
        from addin.render.fonts import require_cjk_font

        require_cjk_font(force_fonts)  # before any file is written: no tofu PDF unless asked for

    # Written whole in a private folder inside out_dir, then renamed into place: a full disk
    # or a failed render leaves no truncated report behind.
    from addin.render.narrative import build_context

    context = build_context(result_json, date=date)  # one for both reports (neither changes it)
    with Staging(out_dir) as stage:
        outputs: list[str] = []
        if "docx" in formats or "pdf" in formats:
            from addin.render.docx import render_docx

            docx_path = render_docx(result_json, stage.path(f"{stem}.docx"), templates_dir=templates, date=date,
                                    context=context)
            if "docx" in formats:
                outputs.append(docx_path.name)
            if "pdf" in formats:
                from addin.render.pdf import docx_to_pdf

                outputs.append(docx_to_pdf(docx_path, stage.dir).name)
        if "html" in formats:
            from addin.render.html import write_html

            outputs.append(write_html(result_json, stage.path(f"{stem}.html"), templates_dir=templates, date=date,
                                      context=context).name)
        return stage.publish(outputs)


def refresh_workbook(path, out_dir=None, options: Optional[Options] = None, **changes) -> RefreshOutcome:
    """``planreport refresh``: the pipeline, then the reports, then 核算结果 written back.

    ``options`` (or keyword changes to them: formats=, templates=, writeback=, date=, config=,
    settings=, password=, wait=, recalc=, as_of=, force_fonts=) are the ones every use case takes.
    With ``as_of`` the reports carry the 时间进度 (双过半) section."""
    options = (options or Options()).with_(**changes)
    checked = run(path, options)
    path = checked.path
    result_json = checked.result.to_json()
    out = Path(out_dir) if out_dir else path.parent / DEFAULT_OUT
    outcome = RefreshOutcome(checked.result)
    outcome.outputs = write_reports(result_json, out, safe_stem(path.stem), options.formats,
                                    templates=options.templates, date=options.date, force_fonts=options.force_fonts)
    from addin.render.fonts import font_warning

    outcome.warnings += [w for w in (font_warning(),) if w and options.formats]
    if options.writeback:
        from addin.workbook.writeback import write_results

        checked.guarded.require_writable()  # encrypted or .xls: say so, not "damaged"
        write_results(path, result_json, wait=options.wait, settings=checked.settings, expected=checked.guarded.identity,
                      label=options.name)
        outcome.written_back = path
    return outcome
