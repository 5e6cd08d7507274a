"""Build the Excel add-in: `python build.py` -> dist/PlanReport.xlam (same bytes every run)."""
import sys
import time
from pathlib import Path

from addin.office.xlam import build_xlam

if __name__ == "__main__":
    started = time.perf_counter()
    out = build_xlam(Path(__file__).resolve().parent / "dist" / "PlanReport.xlam")
    print(f"{out} {out.stat().st_size} 字节，用时 {time.perf_counter() - started:.2f} 秒", file=sys.stderr)
