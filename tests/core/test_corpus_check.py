"""The check on every corpus workbook (tests/corpus: real tables from other units' reports).

Each row's status and each printed rate are compared with EXPECTED, which the
corpus scripts took from the source documents (never from PlanReport). The only
rate findings allowed are the sources' own slips (rate_ok False); a row whose
printed rate is right (rate_ok True) must have been read and agree. Placeholders
and qualitative targets are not computable with an info, never an error, and
no printed verdict of the corpus disagrees with its source's own figures.
"""
from __future__ import annotations

import pytest

from addin.app.pipeline import check_workbook
from tests.corpus.build_all import SLUGS, corpus_modules

MODULES = dict(zip(SLUGS, corpus_modules()))
RATE_CODES = ("rate_mismatch", "growth_rate_mismatch")


class _Checked:
    """Each corpus workbook built and checked once, when a test first asks for it."""

    def __init__(self, folder):
        self.folder, self.results = folder, {}

    def __getitem__(self, slug):
        if slug not in self.results:
            self.results[slug] = check_workbook(MODULES[slug].build(self.folder / f"{slug}.xlsx"))
        return self.results[slug]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    return _Checked(tmp_path_factory.mktemp("corpus_check"))


def _rows(result):
    return {(i.sheet, i.row): i for i in result.indicators}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_status_as_the_source_says(checked, slug):
    rows = _rows(checked[slug])
    got = {(e["sheet"], e["row"]): rows[(e["sheet"], e["row"])].status if (e["sheet"], e["row"]) in rows else "missing"
           for e in MODULES[slug].EXPECTED}
    want = {(e["sheet"], e["row"]): e["status"] for e in MODULES[slug].EXPECTED}
    assert got == want


@pytest.mark.parametrize("slug", SLUGS)
def test_rate_findings_are_the_sources_slips(checked, slug):
    result = checked[slug]
    rows = _rows(result)
    rate_cell = {key: ind.cells.get("rate") for key, ind in rows.items()}
    flagged = {f.cell for f in result.findings if f.code in RATE_CODES}
    expected = MODULES[slug].EXPECTED
    slips = {rate_cell.get((e["sheet"], e["row"])) for e in expected if e["rate_ok"] is False}
    assert None not in slips, "a slip row was not read with its rate column"
    assert flagged == slips
    for e in expected:
        if e["rate_ok"] is True:
            ind = rows[(e["sheet"], e["row"])]
            assert ind.reported_rate is not None and ind.computed_rate is not None, e["name"]


@pytest.mark.parametrize("slug", SLUGS)
def test_placeholders_and_qualitative_targets_are_infos(checked, slug):
    result = checked[slug]
    rows = _rows(result)
    for e in MODULES[slug].EXPECTED:
        if e["flag"] not in ("placeholder", "qualitative"):
            continue
        cells = set(rows[(e["sheet"], e["row"])].cells.values())
        said = [f for f in result.findings if f.cell in cells]
        assert said and all(f.severity == "info" for f in said), (e["name"], said)


@pytest.mark.parametrize("slug", SLUGS)
def test_printed_verdicts_agree(checked, slug):
    assert not [f for f in checked[slug].findings if f.code == "verdict_mismatch"]
