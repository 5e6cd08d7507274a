"""CPU per workbook in a warm process (as a batch worker sees it), split by step.

    python bench/warm_refresh.py [WORKBOOK] [--n 30]

Each step is timed with process CPU time over N fresh copies of the workbook,
after one untimed warm-up (imports, caches), and the median is printed.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook", nargs="?", default=str(ROOT / "workbooks" / "kundulun-2025.xlsx"))
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()

    from addin.app.pipeline import check_workbook

    from addin.render.docx import render_docx
    from addin.render.html import write_html
    from addin.render.narrative import build_context
    from addin.workbook.writeback import write_results

    steps = {"check": [], "context": [], "docx": [], "html": [], "write-back": [], "total": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in range(args.n + 1):
            book = tmp / f"b{n}.xlsx"
            shutil.copy(args.workbook, book)
            t = [time.process_time()]
            result = check_workbook(book).to_json()
            t.append(time.process_time())
            context = build_context(result)  # one for both reports, as write_reports does
            t.append(time.process_time())
            render_docx(result, tmp / f"r{n}.docx", context=context)
            t.append(time.process_time())
            write_html(result, tmp / f"r{n}.html", context=context)
            t.append(time.process_time())
            write_results(book, result)
            t.append(time.process_time())
            if n:  # the first round pays for imports
                for key, a, b in zip(list(steps)[:-1], t, t[1:]):
                    steps[key].append(b - a)
                steps["total"].append(t[-1] - t[0])
    for key, values in steps.items():
        print(f"{key:<12}{statistics.median(values) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
