"""What the extension's buttons run, in PlanReport's own Python, on the copy of the open document.

The macro stores the live document (unsaved edits included) as an .xlsx in a private
temporary folder and calls ``planreport libreoffice run MODE COPY --out 报告``; this
checks that copy, writes 核算结果 into it (the macro imports that sheet into the open
document) and, for MODE "report", writes the Word/HTML reports into ``out_dir``.
The copy is the macro's to delete; the user's file is never opened here.
"""
from __future__ import annotations

from pathlib import Path
from addin.app.refresh import RefreshOutcome

MODES = ("report", "check")
REPORT_FORMATS = ("docx", "html")


def run_on_copy(copy, mode: str, out_dir=None, config=None, name=None) -> RefreshOutcome:
    """``report``: check, 核算结果 into the copy, reports into ``out_dir``; ``check``: the same without
    reports. ``name`` (the user's document) labels the result and every message instead of the copy.

    核算结果 goes into the copy first, under the file write-back's ownership rule and settings
    (results_sheet_fallback from the planreport.toml the macro passes as ``config``): a sheet of
    the user's own of that name is refused before any report is written, and the macro imports
    the sheet the write-back marked."""
    from addin.app.refresh import refresh_workbook, safe_stem, write_reports
    from addin.common.errors import PlanReportError

    if mode not in MODES:
        raise PlanReportError(f"未知的操作：{mode}（可选 {'、'.join(MODES)}）")
    if mode == "report" and out_dir is None:
        raise PlanReportError("生成报告需要报告文件夹（--out）")
    copy = Path(copy)
    # No formats: the check and the write-back only (an empty 报告 folder beside the copy, in its temp folder).
    outcome = refresh_workbook(copy, formats=(), config=config, name=name)
    if mode == "report":
        from addin.render.fonts import font_warning

        outcome.outputs = write_reports(outcome.result.to_json(), Path(out_dir), safe_stem(Path(name or copy).stem),
                                        REPORT_FORMATS)
        outcome.warnings += [w for w in (font_warning(),) if w]
    return outcome


def outcome_json(outcome: RefreshOutcome, summary: str) -> dict:
    """What the macro shows: the summary line, the findings (for the errors) and the reports."""
    return {
        "summary": summary,
        "findings": [f.to_json() for f in outcome.result.findings],
        "outputs": [str(p) for p in outcome.outputs],
        "has_errors": outcome.result.has_errors,
        "warnings": list(outcome.warnings),  # e.g. no Chinese font on this machine
    }

