"""Build PlanReport.oxt from extension/: a zip with fixed timestamps, sorted entries and the
package version written into description.xml, so two builds give the same bytes."""
from __future__ import annotations

import zipfile
from pathlib import Path

from addin import __version__
from addin.office.libreoffice import OXT_NAME

SOURCE = Path(__file__).resolve().parent / "extension"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
VERSION_MARK = b"@VERSION@"


def extension_files(source: Path = SOURCE) -> list[Path]:
    return sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def build_oxt(out: Path, source: Path = SOURCE) -> Path:
    """Write the extension to ``out`` (a folder gets PlanReport.oxt inside it) and return its path."""
    out = Path(out)
    if out.is_dir():
        out = out / OXT_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in extension_files(source):
            data = path.read_bytes()
            if path.name == "description.xml":
                data = data.replace(VERSION_MARK, __version__.encode("ascii"))
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    partial.replace(out)  # never a half-written .oxt where unopkg would look
    return out
