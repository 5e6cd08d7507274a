"""Write `核算结果` back into the user's workbook, losslessly and safely.

Public API: ``write_results(workbook_path, result_json, *, wait=0.0, backup=True, settings=None,
expected=None) -> Path``.
"""
from __future__ import annotations

from pathlib import Path

from addin.workbook.writeback.results_sheet import (
    ALT_SHEET_NAME, OWN_NAME, SHEET_NAME, build_layout, build_rows, link_address,
)

__all__ = ["ALT_SHEET_NAME", "OWN_NAME", "SHEET_NAME", "build_layout", "build_rows", "link_address", "write_results"]


def write_results(workbook_path, result_json: dict, *, wait: float = 0.0, backup: bool = True, settings=None,
                  expected=None, label=None) -> Path:
    """Add or replace the sheet `核算结果` in an .xlsx/.xlsm workbook (Transitional or Strict).

    Only the package index and the one worksheet part change; every other part stays
    byte-identical. The file is swapped atomically (old or new, never half-written).

    Returns the backup of the previous version (``.planreport/备份/<名称>.<n>.xlsx``
    beside the workbook) when ``backup`` is true, otherwise the workbook path itself.
    Raises WorkbookBusyError (exit 2) when the workbook is open in Excel/LibreOffice/WPS,
    read-only, or locked by another refresh for longer than ``wait`` seconds, and
    PlanReportError for .xls files and damaged packages — the file untouched in each case.

    Never overwritten: a 核算结果 sheet PlanReport did not write (settings.results_sheet_fallback
    writes to 核算结果（PlanReport） instead), a signed workbook (unless settings.writeback_signed),
    a file that is no longer ``expected`` (files.FileIdentity of the version the results were
    computed from) or that changed while the new version was being written.
    ``label`` names the workbook in those messages (by default the file's name).
    """
    from addin.workbook.writeback.package import splice
    from addin.workbook.writeback.safe import replace_atomically

    path = Path(workbook_path)
    fallback = bool(getattr(settings, "results_sheet_fallback", False))
    signed_ok = bool(getattr(settings, "writeback_signed", False))

    def write(out, real: Path) -> None:
        splice(real, out, result_json, label or path.name, fallback=fallback, signed_ok=signed_ok)

    kept = replace_atomically(path, write, wait=wait, backup=backup, expected=expected)
    return kept if kept is not None else path
