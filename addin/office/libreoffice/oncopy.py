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


def run_on_copy(copy, mode: str, out_dir=None, config=None) -> RefreshOutcome:
    """``report``: check, reports into ``out_dir``, 核算结果 into the copy; ``check``: the same without reports."""
    from addin.app.refresh import refresh_workbook
    from addin.common.errors import PlanReportError

    if mode not in MODES:
        raise PlanReportError(f"未知的操作：{mode}（可选 {'、'.join(MODES)}）")
    if mode == "report" and out_dir is None:
        raise PlanReportError("生成报告需要报告文件夹（--out）")
    if mode == "check":
        # No formats: the check and the write-back only (an empty 报告 folder beside the copy, in its temp folder).
        return refresh_workbook(Path(copy), formats=(), config=config)
    return refresh_workbook(Path(copy), out_dir=out_dir, formats=("docx", "html"), config=config)


def outcome_json(outcome: RefreshOutcome, summary: str) -> dict:
    """What the macro shows: the summary line, the findings (for the errors) and the reports."""
    return {
        "summary": summary,
        "findings": [f.to_json() for f in outcome.result.findings],
        "outputs": [str(p) for p in outcome.outputs],
        "has_errors": outcome.result.has_errors,
    }

