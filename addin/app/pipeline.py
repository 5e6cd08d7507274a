"""The one staged pipeline every use case runs:

file -> guard (is it safe, what format) -> read (WorkbookData) -> check (CheckResult)
     [-> progress, with --as-of]

``run`` returns every stage's output in a ``Checked``, so refresh can hand the guard's
verdict to write-back and rollforward the read data to its builder, without a use case
spelling the stages out again.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from addin.app.options import Options
from addin.common.model import CheckResult, WorkbookData
from addin.common.settings import Settings, load_settings
from addin.core.check import check_data

if TYPE_CHECKING:
    from addin.workbook.guard import GuardedSource


@dataclass(frozen=True)
class Checked:
    """A workbook through the pipeline: what each stage produced, none of it changed later."""

    path: Path
    settings: Settings
    guarded: "GuardedSource"
    data: WorkbookData
    result: CheckResult


def settings_for(path, options: Options) -> Settings:
    """The settings a workbook is checked with: given ones, or built-in < beside the workbook < --config."""
    return options.settings or load_settings(Path(path), options.config)


def open_workbook(path, password: Optional[str] = None, *, recalc: bool = False,
                  settings: Optional[Settings] = None, name: Optional[str] = None) -> tuple["GuardedSource", WorkbookData]:
    """Vet the file (guard), then read it. The guard's verdict comes back too, so write-back
    can ask whether the file may be written without scanning (or decrypting) it again.

    ``recalc`` (or a legacy .xls, whose number formats calamine cannot give) reads a copy
    LibreOffice recalculated and saved as .xlsx; the user's file is never touched.
    ``name`` labels the data and every message instead of ``path`` (see Options.name).
    """
    from addin.workbook.guard import open_source
    from addin.workbook.read import read_workbook

    path = Path(path)
    name = name or str(path)
    layouts = settings.tables if settings is not None else ()  # planreport.toml [[tables]]
    guarded = open_source(path, password=password, limits=settings, label=name)
    if recalc or (guarded.format == "xls" and _soffice_available()):
        from addin.workbook.recalc import recalculated

        with recalculated(path, data=guarded.data) as copy:
            return guarded, read_workbook(open_source(copy, limits=settings, label=name).source, name=name,
                                          layouts=layouts)
    return guarded, read_workbook(guarded.source, name=name, layouts=layouts)


def _soffice_available() -> bool:
    from addin.workbook.recalc import find_soffice

    return find_soffice() is not None


def run(path, options: Options = Options()) -> Checked:
    """Guard, read and check one workbook with ``options``."""
    path = Path(path)
    settings = settings_for(path, options)
    guarded, data = open_workbook(path, options.password, recalc=options.recalc, settings=settings, name=options.name)
    result = check_data(data, settings)
    if options.as_of:
        from addin.core.progress import with_progress

        result = with_progress(result, options.as_of, settings)
    return Checked(path, settings, guarded, data, result)


def check_workbook(path, settings: Optional[Settings] = None, *, config=None, password: Optional[str] = None,
                   recalc: bool = False, as_of=None) -> CheckResult:
    """``planreport check``: the result of ``run``."""
    options = Options(config=config, settings=settings, password=password, recalc=recalc, as_of=as_of)
    return run(path, options).result
