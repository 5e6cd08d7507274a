"""A CJK font file for the Word chart: the usual places on Debian/Fedora/Arch, Windows and macOS.

Found once per process. ``PLANREPORT_CHART_FONT`` (a font file path) overrides the search.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian/Ubuntu fonts-noto-cjk
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),  # Arch
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),  # Fedora
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    _WINDOWS_FONTS / "msyh.ttc",
    _WINDOWS_FONTS / "msyh.ttf",
    _WINDOWS_FONTS / "simhei.ttf",
    _WINDOWS_FONTS / "simsun.ttc",
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
)
# In a collection the simplified-Chinese face is wanted (Noto's .ttc starts with the Japanese one).
SIMPLIFIED_MARKS = (" SC", "Microsoft YaHei", "SimHei", "SimSun", "PingFang SC", "Heiti SC", "WenQuanYi")


def _fc_match() -> Optional[Path]:
    """fontconfig's choice for Chinese, where fontconfig is installed."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        found = subprocess.run([exe, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True,
                               timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found and Path(found).suffix.lower() in (".ttc", ".otf", ".ttf") else None


def _face_index(path: Path) -> Optional[int]:
    """The simplified-Chinese face of a collection, the first face otherwise; None if unreadable."""
    from PIL import ImageFont

    first = None
    for index in range(8 if path.suffix.lower() == ".ttc" else 1):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        first = index if first is None else first
        if any(mark in family for mark in SIMPLIFIED_MARKS):
            return index
    return first


@lru_cache(maxsize=1)
def cjk_font_file() -> Optional[tuple[str, int]]:
    """(path, face index) of a font with Chinese glyphs, or None (logged once)."""
    override = os.environ.get("PLANREPORT_CHART_FONT")
    paths = ([Path(override)] if override else []) + list(CANDIDATES)
    for path in paths:
        if path.is_file() and (index := _face_index(path)) is not None:
            return str(path), index
    found = _fc_match()
    if found and found.is_file() and (index := _face_index(found)) is not None:
        return str(found), index
    log.warning("未找到中文字体，Word 报告中的图表改用 Pillow 默认字体，汉字可能显示为方框"
                "（Linux 可安装 fonts-noto-cjk，或用环境变量 PLANREPORT_CHART_FONT 指定字体文件）")
    return None


@lru_cache(maxsize=16)
def font(size_px: int):
    """The CJK font at a pixel size; Pillow's built-in font when there is none."""
    from PIL import ImageFont

    found = cjk_font_file()
    if found:
        return ImageFont.truetype(found[0], size_px, index=found[1])
    return ImageFont.load_default(size_px)
