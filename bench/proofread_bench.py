"""How long proofreading the seed's narrative takes, beside what the same machine needs to
check the workbook alone and to open the draft with python-docx.

    python bench/proofread_bench.py [--repeat 9] [--long 10000]

Builds the seed draft (tests/proofread/make_draft.py) in a temporary folder. In-process
timings, min / median / max of --repeat runs, interleaved (A B C A B C ...) so load from
other programs falls on each alike. The goal (issue 18): the whole proofread of the seed
narrative under a second; "proofread 一+二" adds section 二 (the 2026 plan). --long also times one draft of that many paragraphs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "proofread"))
GOAL_SECONDS = 1.0


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--long", type=int, default=0, metavar="N", help="also time a draft of N paragraphs")
    args = parser.parse_args()

    import docx
    from make_draft import build, seed_narrative, seed_paragraphs

    from addin.app.pipeline import check_workbook
    from addin.proofread import proofread

    with tempfile.TemporaryDirectory() as tmp:
        draft = build(seed_paragraphs(), Path(tmp) / "seed.docx")
        both = build(seed_narrative(), Path(tmp) / "seed-1-2.docx")  # sections 一 and 二 (the 2026 plan)
        proofread(draft, SAMPLE)  # imports and caches warm, as in a session that has run once
        runs: dict[str, list[float]] = {"proofread": [], "proofread 一+二": [], "check_workbook": [], "docx.Document": []}
        for _ in range(args.repeat):
            runs["proofread"].append(_timed(lambda: proofread(draft, SAMPLE)))
            runs["proofread 一+二"].append(_timed(lambda: proofread(both, SAMPLE)))
            runs["check_workbook"].append(_timed(lambda: check_workbook(SAMPLE)))
            runs["docx.Document"].append(_timed(lambda: docx.Document(str(draft))))
        result = proofread(draft, SAMPLE)
        print(f"seed narrative: {result.paragraphs} paragraphs, {len(result.claims)} claims, "
              f"{sum(1 for c in result.claims if c.verdict in ('agrees', 'bound', 'differs'))} matched")
        print(f"{'':16}{'min':>9}{'median':>9}{'max':>9}   ratio to proofread (median)")
        base = statistics.median(runs["proofread"])
        for name, times in runs.items():
            med = statistics.median(times)
            print(f"{name:16}{min(times) * 1000:8.1f}ms{med * 1000:7.1f}ms{max(times) * 1000:7.1f}ms   {med / base:5.2f}")
        verdict = "met" if base < GOAL_SECONDS else "NOT met"
        print(f"goal: proofread of the seed narrative < {GOAL_SECONDS:.0f} s — {verdict} ({base * 1000:.0f} ms median)")
        if args.long:
            document = docx.Document()
            paragraphs = seed_paragraphs()
            for i in range(args.long):
                document.add_paragraph(paragraphs[i % len(paragraphs)])
            long_draft = Path(tmp) / "long.docx"
            document.save(str(long_draft))
            seconds = _timed(lambda: proofread(long_draft, SAMPLE))
            print(f"{args.long} paragraphs: {seconds:.2f} s ({seconds / args.long * 1e6:.0f} µs a paragraph; "
                  f"seed: {base / result.paragraphs * 1e6:.0f} µs a paragraph)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
