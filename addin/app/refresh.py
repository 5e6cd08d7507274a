"""check -> reports (docx, html, pdf) -> write 核算结果 back: what `planreport refresh`,
the batch and the Excel button all run."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from addin.common.errors import PlanReportError
from addin.common.model import CheckResult

FORMATS = ("docx", "html", "pdf")
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
    if "pdf" in formats:
        from addin.render.fonts import require_cjk_font

        require_cjk_font(force_fonts)  # before any file is written: no tofu PDF unless asked for
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: list[Path] = []
    if "docx" in formats or "pdf" in formats:
        from addin.render.docx import render_docx

        docx_path = render_docx(result_json, out_dir / f"{stem}.docx", templates_dir=templates, date=date)
        if "docx" in formats:
            outputs.append(docx_path)
        if "pdf" in formats:
            from addin.render.pdf import docx_to_pdf

            outputs.append(docx_to_pdf(docx_path, out_dir))
            if "docx" not in formats:
                docx_path.unlink()
    if "html" in formats:
        from addin.render.html import write_html

        outputs.append(write_html(result_json, out_dir / f"{stem}.html", templates_dir=templates, date=date))
    return outputs


def refresh_workbook(
    path,
    out_dir=None,
    formats: Sequence[str] = ("docx", "html"),
    templates=None,
    writeback: bool = True,
    date=None,
    settings=None,
    config=None,
    password: Optional[str] = None,
    wait: float = 0.0,
    recalc: bool = False,
    as_of=None,
    force_fonts: bool = False,
) -> RefreshOutcome:
    from addin.core.check import check_data
    from addin.app.pipeline import open_workbook
    from addin.common.settings import load_settings

    path = Path(path)
    settings = settings or load_settings(path, config)
    guarded, data = open_workbook(path, password, recalc=recalc, settings=settings)
    result = check_data(data, settings)
    if as_of is not None:  # the progress section (双过半) of the reports
        from addin.core.progress import apply_progress

        apply_progress(result, as_of, settings)
    result_json = result.to_json()
    out = Path(out_dir) if out_dir else path.parent / DEFAULT_OUT
    outcome = RefreshOutcome(result)
    outcome.outputs = write_reports(result_json, out, safe_stem(path.stem), formats, templates=templates, date=date,
                                    force_fonts=force_fonts)
    from addin.render.fonts import font_warning

    outcome.warnings += [w for w in (font_warning(),) if w and formats]
    if writeback:
        from addin.workbook.writeback import write_results

        guarded.require_writable()  # encrypted or .xls: say so, not "damaged"
        write_results(path, result_json, wait=wait)
        outcome.written_back = path
    return outcome
