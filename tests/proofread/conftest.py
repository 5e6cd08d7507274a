"""Drafts built from the seed's own narrative (make_draft.py), checked against the sample workbook."""
from __future__ import annotations

from pathlib import Path

import pytest

from make_draft import build, seed_paragraphs

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "workbooks" / "kundulun-2025.xlsx"


@pytest.fixture(scope="session")
def paragraphs() -> list[str]:
    return seed_paragraphs()


@pytest.fixture(scope="session")
def seed_draft(tmp_path_factory, paragraphs) -> Path:
    return build(paragraphs, tmp_path_factory.mktemp("drafts") / "seed.docx")


@pytest.fixture(scope="session")
def seed_result(seed_draft):
    from addin.proofread import proofread

    return proofread(seed_draft, WORKBOOK)


def changed(paragraphs: list[str], edits: list[tuple[str, str]]) -> list[str]:
    """The paragraphs with each (old, new) snippet replaced; each old snippet must occur once."""
    out = list(paragraphs)
    for old, new in edits:
        hits = [i for i, p in enumerate(out) if old in p]
        assert len(hits) == 1 and out[hits[0]].count(old) == 1, f"snippet not unique in the seed: {old}"
        out[hits[0]] = out[hits[0]].replace(old, new)
    return out


def locate(paragraphs: list[str], snippet: str, fragment: str) -> tuple[int, int, int]:
    """(paragraph index as proofread counts it, start, end) of fragment inside snippet."""
    for i, p in enumerate(paragraphs):
        at = p.find(snippet)
        if at >= 0:
            start = at + snippet.index(fragment)
            return i + 1, start, start + len(fragment)
    raise AssertionError(f"snippet not in the draft: {snippet}")
