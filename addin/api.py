"""PlanReport's Python API — what ``import planreport`` gives (docs/api.md).

For statisticians who work in Python or Jupyter, and the one set of functions the CLI,
the Excel add-in and the LibreOffice extension run::

    import planreport
    result = planreport.check("昆都仑区2025.xlsx")
    result.to_frame()              # one row per indicator, 完成率 and 状态 included
    planreport.check_many(["a.xlsx", "b.xlsx"]).to_frame()   # a city's districts in one frame
    planreport.refresh("昆都仑区2025.xlsx", out="报告", writeback=False)
    planreport.proofread("报告草稿.docx", "昆都仑区2025.xlsx").findings   # prose numbers against cells

Every function takes the options every use case takes (``config``, ``password``, ``recalc``,
``as_of``; refresh also ``formats``, ``templates``, ``date``, ``writeback``, ``wait``) as keywords.
Problems with a workbook raise ``PlanReportError`` with the one Chinese line the CLI prints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from addin import __version__
from addin.app.options import Options
from addin.common.errors import PlanReportError
from addin.common.model import CheckResult

__all__ = ["check", "check_many", "refresh", "proofread", "Options", "CheckResult", "ManyResults", "PlanReportError", "__version__"]


def _options(config=None, **changes) -> Options:
    return Options().with_(config=Path(config) if config else None, **changes)


def check(path, *, config=None, as_of=None, password: Optional[str] = None, recalc: bool = False) -> CheckResult:
    """Check one workbook: its indicators with computed completion rates and statuses, its
    plan targets, growth checks and findings. ``as_of`` (a ``datetime.date``) adds 双过半 progress."""
    from addin.app.pipeline import run

    return run(path, _options(config, as_of=as_of, password=password, recalc=recalc or None)).result


@dataclass
class ManyResults:
    """Several workbooks checked: ``results`` maps each path to its result, ``failed`` to the
    Chinese line saying why it could not be read (never silently left out)."""

    results: dict[str, CheckResult] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def _stack(self, frames: dict):
        import pandas as pd

        parts = [frame.assign(workbook=name)[["workbook", *frame.columns]] for name, frame in frames.items()]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["workbook"])

    def to_frame(self):
        """Every workbook's indicators in one frame, with a ``workbook`` column first."""
        return self._stack({name: r.to_frame() for name, r in self.results.items()})

    def findings_frame(self):
        return self._stack({name: r.findings_frame() for name, r in self.results.items()})

    def targets_frame(self):
        return self._stack({name: r.targets_frame() for name, r in self.results.items()})


def check_many(paths: Iterable, *, config=None, as_of=None, password: Optional[str] = None,
               recalc: bool = False) -> ManyResults:
    """Check every workbook in ``paths`` (one unreadable workbook does not stop the others;
    it is listed in ``.failed``)."""
    many = ManyResults()
    for path in paths:
        try:
            many.results[str(path)] = check(path, config=config, as_of=as_of, password=password, recalc=recalc)
        except PlanReportError as exc:
            many.failed[str(path)] = str(exc)
    return many


def refresh(path, *, out=None, formats=("docx", "html"), writeback: bool = True, templates=None, date=None,
            config=None, as_of=None, password: Optional[str] = None, recalc: bool = False, wait: float = 0.0):
    """Check, write the reports (into ``out``, default 报告/ beside the workbook) and, unless
    ``writeback=False``, write 核算结果 back into the workbook. Returns the outcome:
    ``.result`` (the CheckResult), ``.outputs`` (report paths), ``.written_back``."""
    from addin.app.refresh import parse_formats, refresh_workbook

    formats = parse_formats(formats) if isinstance(formats, str) else tuple(formats)
    options = _options(config, as_of=as_of, password=password, recalc=recalc or None, formats=formats,
                       writeback=writeback, templates=Path(templates) if templates else None, date=date, wait=wait)
    return refresh_workbook(path, out_dir=out, options=options)


def proofread(draft, workbook, *, config=None, password: Optional[str] = None, recalc: bool = False):
    """Check every number claim in a draft report (.docx) against the workbook (docs/proofread.md);
    ``.findings``, ``.claims``, ``.to_json()``; ``addin.proofread.write_commented`` writes a copy
    with a Word comment on each flagged number."""
    from addin.proofread import proofread as run

    return run(draft, workbook, config=config, password=password, recalc=recalc)
