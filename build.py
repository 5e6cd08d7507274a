"""Build the Excel add-in and the LibreOffice extension: `python build.py` ->
dist/PlanReport.xlam and dist/PlanReport.oxt (same bytes every run)."""
import sys
import time
from pathlib import Path

from addin.office.xlam import build_xlam


def build_libreoffice(dist: Path) -> Path:
    """dist/PlanReport.oxt: the Calc extension (menu, toolbar and the buttons' macro)."""
    from addin.office.libreoffice.oxt import build_oxt

    return build_oxt(dist / "PlanReport.oxt")


if __name__ == "__main__":
    started = time.perf_counter()
    out = build_xlam(Path(__file__).resolve().parent / "dist" / "PlanReport.xlam")
    print(f"{out} {out.stat().st_size} 字节，用时 {time.perf_counter() - started:.2f} 秒", file=sys.stderr)
    started = time.perf_counter()
    oxt = build_libreoffice(Path(__file__).resolve().parent / "dist")
    print(f"{oxt} {oxt.stat().st_size} 字节，用时 {time.perf_counter() - started:.2f} 秒", file=sys.stderr)
