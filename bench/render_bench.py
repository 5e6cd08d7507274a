"""Time to render the sample's Word + HTML report next to an openpyxl load+save of the same workbook.

    python bench/render_bench.py [WORKBOOK] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook", nargs="?", default=str(ROOT / "workbooks" / "kundulun-2025.xlsx"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import openpyxl

    from addin.app.pipeline import check_workbook
    from addin.render.docx import render_docx
    from addin.render.html import render_html

    result = check_workbook(args.workbook).to_json()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def openpyxl_round_trip():
            openpyxl.load_workbook(args.workbook).save(out / "copy.xlsx")

        rows = [
            ("openpyxl load+save", openpyxl_round_trip),
            ("render html", lambda: render_html(result)),
            ("render docx", lambda: render_docx(result, out / "r.docx")),
            ("render docx+html", lambda: (render_docx(result, out / "r.docx"), render_html(result))),
            ("check + docx + html", lambda: (lambda r: (render_docx(r, out / "r.docx"), render_html(r)))(
                check_workbook(args.workbook).to_json())),
        ]
        best(rows[4][1], 1)  # warm imports (docxtpl, python-pptx) so the first row is not charged for them
        results = {name: best(fn, args.repeat) for name, fn in rows}
    floor = results["openpyxl load+save"][0]
    print(f"{'step':<22}{'best s':>9}{'median s':>10}{'× openpyxl':>12}")
    for name, (low, mid) in results.items():
        print(f"{name:<22}{low:>9.3f}{mid:>10.3f}{low / floor:>12.2f}")


if __name__ == "__main__":
    main()
