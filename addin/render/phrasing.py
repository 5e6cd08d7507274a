"""Cell text as it reads inside a report sentence: shared by the narrative and the growth
section (each imports this, neither the other)."""
from __future__ import annotations

import re
from typing import Any, Optional

from addin.render.templates import UNDERLINE_CLOSE, UNDERLINE_OPEN


def clean(text: Any) -> str:
    """Cell text as data: our underline markers and control characters cannot leak in."""
    if text is None:
        return ""
    s = str(text)
    if s.isprintable():  # no control character and no private-use marker: the common case, 30x per row
        return s.strip()
    s = s.replace(UNDERLINE_OPEN, "").replace(UNDERLINE_CLOSE, "")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", s).strip()


def target_phrase(target: str, direction: Optional[str]) -> str:
    """How a target reads inside a sentence: a relative target is "与经济增长基本同步" whether the
    cell says so or, as 附件2 does, just "经济增长基本同步" (else the name runs into it)."""
    if direction == "relative" and target and not target.startswith("与"):
        return "与" + target
    return target
