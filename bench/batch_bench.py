"""Batch throughput and write-back cost.

    python bench/batch_bench.py [--copies 100] [--formats html]

Copies workbooks/kundulun-2025.xlsx N times into a temporary folder, runs the batch
with --jobs 1 and --jobs 2 (workbooks/s), then times one write-back of 核算结果 against
an openpyxl load+save of the same workbook (which is what write-back avoids).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"
sys.path.insert(0, str(ROOT))


def batch_rate(copies: int, jobs: int, formats: tuple[str, ...], writeback: bool) -> float:
    from addin.app.batch import find_workbooks, run_batch

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(copies):
            shutil.copy2(SAMPLE, folder / f"单位{i:04d}.xlsx")
        inputs = find_workbooks(str(folder))
        started = time.perf_counter()
        summary = run_batch(inputs, Path(tmp) / "out", jobs=jobs, formats=formats, writeback=writeback,
                            progress=False)
        elapsed = time.perf_counter() - started
        if summary.failed:
            raise SystemExit(f"failed: {summary.failed[0].file}: {summary.failed[0].message}")
    return copies / elapsed


def writeback_vs_openpyxl(repeat: int = 20) -> tuple[float, float]:
    from openpyxl import load_workbook

    from addin.app.pipeline import check_workbook
    from addin.workbook.writeback import write_results

    data = check_workbook(SAMPLE).to_json()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / SAMPLE.name
        shutil.copy2(SAMPLE, book)
        ours, theirs = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            write_results(book, data, backup=True)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            load_workbook(book).save(Path(tmp) / "openpyxl.xlsx")
            theirs.append(time.perf_counter() - t)
    return statistics.median(ours), statistics.median(theirs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--formats", default="html", help="report formats per workbook, e.g. html or docx,html")
    ap.add_argument("--no-writeback", action="store_true")
    args = ap.parse_args()
    formats = tuple(args.formats.split(","))
    for jobs in (1, 2):
        rate = batch_rate(args.copies, jobs, formats, not args.no_writeback)
        print(f"batch --jobs {jobs}: {args.copies} workbooks, formats={args.formats}: {rate:.1f} workbooks/s")
    ours, theirs = writeback_vs_openpyxl()
    print(f"write-back (splice + fsync + backup): {ours * 1000:.1f} ms; openpyxl load+save: {theirs * 1000:.1f} ms "
          f"({theirs / ours:.1f}x slower, and lossy)")


if __name__ == "__main__":
    main()
