"""Time addin.workbook.read against a bare openpyxl load and a python-calamine read of the same files.

    python bench/read_bench.py [ROWS]      # default 50000

Each measurement runs in a fresh subprocess so peak RSS belongs to that reader alone.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"

READERS = {
    "planreport": "from addin.workbook.read import read_workbook; d = read_workbook(P); n = sum(len(t.rows) for t in d.tables)",
    "openpyxl": "import openpyxl; wb = openpyxl.load_workbook(P); n = sum(ws.max_row for ws in wb.worksheets)",
    "openpyxl-ro": ("import openpyxl; wb = openpyxl.load_workbook(P, read_only=True);"
                    " n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))"),
    "calamine": ("import python_calamine as c; wb = c.CalamineWorkbook.from_path(P);"
                 " n = sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)"),
}

PROBE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
P = {path!r}
t = time.perf_counter()
{code}
print(json.dumps({{"seconds": time.perf_counter() - t, "rows": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(reader: str, path: Path) -> dict:
    code = PROBE.format(root=str(ROOT), path=str(path), code=READERS[reader])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(rows: int = 50_000) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from gen import make_big_workbook

    with tempfile.TemporaryDirectory() as tmp:
        big = make_big_workbook(Path(tmp) / f"big-{rows}.xlsx", rows)
        for label, path in (("sample", SAMPLE), (f"{rows} rows", big)):
            results = {name: measure(name, path) for name in READERS}
            base = results["openpyxl"]["seconds"]
            print(f"== {label}: {path.name} ({path.stat().st_size / 1e6:.1f} MB)")
            for name, r in results.items():
                print(f"  {name:12s} {r['seconds']:7.3f} s  {r['seconds'] / base:5.2f}x openpyxl"
                      f"  peak {r['peak_mb']:6.0f} MB  rows {r['rows']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
