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
    import datetime as dt
    import zipfile

    from addin.render import chart_docx
    from addin.render.docx import render_docx
    from addin.render.html import write_html
    from addin.render.narrative import build_context
    from addin.workbook.writeback import write_results

    steps = {"check": [], "native chart": [], "docx (all)": [], "html": [], "write-back": [], "total": []}
    from addin.render.templates import templates_dir

    with zipfile.ZipFile(templates_dir() / "summary.docx") as z:
        chart_xml = z.read("word/charts/chart1.xml")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in range(args.n + 1):
            book = tmp / f"b{n}.xlsx"
            shutil.copy(args.workbook, book)
            t = [time.process_time()]
            result = check_workbook(book).to_json()
            t.append(time.process_time())
            rows = chart_docx.chart_rows(build_context(result)["indicators"])  # what render_docx does for its chart
            chart_docx.replace_data(chart_xml, rows)
            chart_docx.workbook_blob(rows, dt.datetime(2026, 1, 28))
            t.append(time.process_time())
            render_docx(result, tmp / f"r{n}.docx")
            t.append(time.process_time())
            write_html(result, tmp / f"r{n}.html")
            t.append(time.process_time())
            write_results(book, result)
            t.append(time.process_time())
            if n:  # the first round pays for imports
                for key, a, b in zip(list(steps)[:-1], t, t[1:]):
                    steps[key].append(b - a)
                steps["total"].append(t[-1] - t[0] - (t[2] - t[1]))  # the chart is inside docx too
    for key, values in steps.items():
        print(f"{key:<12}{statistics.median(values) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
