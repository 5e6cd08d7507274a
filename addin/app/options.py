"""What a use case is asked to do, in one object the CLI, the API and the Office buttons
build once and pass down: every use case (check, refresh, batch, rollforward) takes the
same options, so an option added here reaches all of them."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional, Union

from addin.common.settings import Settings

DateLike = Union[str, _dt.date, None]
FORMATS = ("docx", "html", "pdf")


@dataclass(frozen=True)
class Options:
    # Input: which settings, how to open the file.
    config: Optional[Path] = None  # a planreport.toml that wins over the one beside the workbook
    settings: Optional[Settings] = None  # already loaded settings (then config is not read again)
    password: Optional[str] = None
    recalc: bool = False  # read a copy LibreOffice recalculated
    as_of: Optional[_dt.date] = None  # 双过半: progress of cumulative targets up to this day
    name: Optional[str] = None  # what the result and every message call the workbook (an Office button's
    #                             private copy is read under the name of the user's own workbook)
    # Output: what refresh writes.
    formats: tuple[str, ...] = ("docx", "html")
    templates: Optional[Path] = None  # a folder of edited templates
    date: DateLike = None  # the report's date; None takes [report] date from planreport.toml, else none
    writeback: bool = True
    force_fonts: bool = False  # write a PDF even with no Chinese font (its text would be boxes)
    wait: float = 0.0  # seconds to wait for another refresh's lock

    def with_(self, **changes) -> "Options":
        """A copy with some fields changed; None values are ignored (unset CLI flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
