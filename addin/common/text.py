"""How every stage compares cell text: one normal form, so the reader's header words and
the parser's target words are matched the same way."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII (５.５％ -> 5.5%), no spaces."""
    s = unicodedata.normalize("NFKC", str(text))
    # NFKC maps "％" to "%", but leaves "—"; it turns "‰" into itself.
    return _SPACES.sub("", s)
