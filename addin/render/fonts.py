"""Is there a font with Chinese glyphs? Asked of fontconfig once per process.

The Word chart is native now, so Word and WPS draw it with the reader's own fonts; what this
machine's fonts decide is the PDF LibreOffice writes here (and how a browser here shows the
HTML). Without a CJK font both come out as tofu boxes, so every way in says so in the same
words: font_warning() is the one sentence the CLI, the batch log and index.html, and the Office
buttons show; require_cjk_font() refuses --format pdf unless forced.

``planreport[fonts]`` installs pylopdf-fonts-zh-cn (Noto Sans SC and Noto Serif SC, OFL).
When it is present its folder is added to fontconfig for the processes PlanReport starts
(soffice, fc-list) through a FONTCONFIG_FILE that includes the configuration in force first,
so nothing the user configured is lost.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional
from html import escape  # not xml.sax.saxutils: that one imports urllib.request and http.client

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
DEFAULT_FONTCONFIG = "/etc/fonts/fonts.conf"
MISSING = ("未找到中文字体：本机生成的 PDF 和本机浏览器中的网页报告，汉字会显示为方框"
           "（Word 报告在装有中文字体的电脑上显示正常）。请安装中文字体（如 fonts-noto-cjk），"
           "或执行 pip install \"planreport[fonts]\"")
REFUSED_PDF = ("未找到中文字体，不生成 PDF：汉字会显示为方框。请安装中文字体（如 fonts-noto-cjk）"
               "或执行 pip install \"planreport[fonts]\"；确需生成请加 --force-fonts")


def package_font_dir() -> Optional[Path]:
    """The folder of the planreport[fonts] font files, when that extra is installed."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    return folder if any(folder.glob("*.otf")) else None


def _fontconfig_file(font_dir: Path, base: str) -> str:
    """A fontconfig file: the configuration in force, then the package's folder."""
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{escape(base, quote=False)}</include>\n'
            f"  <dir>{escape(str(font_dir), quote=False)}</dir>\n</fontconfig>\n")
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"planreport-fonts-{key}.conf"
    if not path.is_file():  # written once per content; a rename makes it whole or absent
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return str(path)


def fontconfig_env(env: Optional[dict] = None) -> dict:
    """The environment for soffice and fc-list: the fonts extra's folder known to fontconfig."""
    env = dict(os.environ if env is None else env)
    font_dir = package_font_dir()
    if font_dir is not None:
        base = env.get("FONTCONFIG_FILE") or DEFAULT_FONTCONFIG
        env["FONTCONFIG_FILE"] = _fontconfig_file(font_dir, str(Path(base).resolve()))
    return env


def cjk_families() -> Optional[list[str]]:
    """Families fontconfig offers for Chinese; None where there is no fontconfig (Windows, macOS)."""
    exe = shutil.which("fc-list")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, text=True, timeout=30,
                             env=fontconfig_env(), check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


# Where fc-list cannot be run: the usual Chinese font files of Debian/Fedora/Arch.
KNOWN_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
               "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
               "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@lru_cache(maxsize=1)
def has_cjk_font() -> bool:
    families = cjk_families()
    if families is None:
        # No fc-list: Windows and macOS ship Chinese fonts, and LibreOffice there uses them.
        return (sys.platform in ("win32", "darwin") or package_font_dir() is not None
                or any(Path(f).is_file() for f in KNOWN_FILES))
    return bool(families)


def font_warning() -> Optional[str]:
    """The one sentence every output shows when this machine has no CJK font, else None."""
    return None if has_cjk_font() else MISSING


def require_cjk_font(force: bool = False) -> None:
    """Before a PDF: refuse a tofu PDF unless the user asked for it anyway."""
    from addin.common.errors import PlanReportError

    if not force and not has_cjk_font():
        raise PlanReportError(REFUSED_PDF)
