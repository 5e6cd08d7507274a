"""How every stage compares cell text: one normal form, so the reader's header words and
the parser's target words are matched the same way."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII (５.５％ -> 5.5%), no spaces."""
    return _normal(text) if text.__class__ is str else _normal_form(str(text))


def _normal_form(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    # NFKC maps "％" to "%", but leaves "—"; it turns "‰" into itself.
    return _SPACES.sub("", s)


# The reader, the table finder and the check normalise the same target and unit words on every row.
_normal = lru_cache(maxsize=1 << 14)(_normal_form)
