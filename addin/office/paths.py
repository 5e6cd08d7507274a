"""Where a workbook open in Excel lives on disk, if anywhere.

Excel reports a workbook on OneDrive or SharePoint (AutoSave on) by its URL, and
xlwings' ``Book.fullname`` then tries to map that URL to the synced folder and
raises when it cannot. PlanReport reads through ``SaveCopyAs`` and so never needs
the path to read; the path only decides where ``planreport.toml`` is looked up and
where the reports go. No xlwings import here: the worksheet functions use it too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional


def book_fullname(book) -> str:
    """The workbook's name as Excel gives it: a local path, a URL, or "工作簿1" if never saved.

    xlwings maps OneDrive/SharePoint URLs to the synced local file and raises when it
    cannot; Excel's own FullName (the URL) is then the honest answer.
    """
    try:
        return str(book.fullname)
    except Exception:  # xlwings.XlwingsError: the local copy of a cloud workbook was not found
        return str(book.api.FullName)


def is_url(fullname: str) -> bool:
    return "://" in fullname


def local_path(fullname: str) -> Optional[Path]:
    """The file on disk, or None for a never-saved workbook or one known only by its URL."""
    if is_url(fullname):
        return None
    path = Path(fullname)
    return path if path.is_absolute() and path.parent.is_dir() else None
