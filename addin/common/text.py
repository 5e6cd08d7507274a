"""How every stage compares cell text: one normal form, so the reader's header words and
the parser's target words are matched the same way."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_SPACE = re.compile(r"\s")


def normalize(text: str) -> str:
    """Full-width digits and signs to ASCII (５.５％ -> 5.5%), no spaces."""
    if text.__class__ is not str:
        return _normal_form(str(text))
    if _SPACE.search(text) is None and unicodedata.is_normalized("NFKC", text):
        return text  # most cell text is already in normal form: what NFKC and the sub would give back
    return _normal(text)


def _normal_form(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    # NFKC maps "％" to "%", but leaves "—"; it turns "‰" into itself.
    return _SPACES.sub("", s)


# The reader, the table finder and the check normalise the same target and unit words on every row.
_normal = lru_cache(maxsize=1 << 14)(_normal_form)
