"""Build the artefacts into dist/: `python build.py` (same bytes every run).

Each builder takes the repository root and returns the files it wrote; another
artefact (the LibreOffice extension) is one more entry in BUILDERS.
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"


def build_excel(root: Path) -> list[Path]:
    """dist/PlanReport.xlam, and the same bytes as addin/office/PlanReport.xlam, the copy the wheel carries."""
    import shutil

    from addin.office.xlam import PACKAGED, build_xlam

    out = build_xlam(root / "dist" / "PlanReport.xlam")
    if not PACKAGED.is_file() or PACKAGED.read_bytes() != out.read_bytes():
        shutil.copyfile(out, PACKAGED)
    return [out, PACKAGED]


def build_libreoffice(root: Path) -> list[Path]:
    """dist/PlanReport.oxt: the Calc extension (menu, toolbar and the buttons' macro)."""
    from addin.office.libreoffice.oxt import build_oxt

    return [build_oxt(root / "dist" / "PlanReport.oxt")]


BUILDERS = [("Excel 加载项", build_excel), ("LibreOffice 扩展", build_libreoffice)]


if __name__ == "__main__":
    for label, builder in BUILDERS:
        started = time.perf_counter()
        for out in builder(ROOT):
            print(f"{label}：{out} {out.stat().st_size} 字节", file=sys.stderr)
        print(f"{label}：用时 {time.perf_counter() - started:.2f} 秒", file=sys.stderr)
