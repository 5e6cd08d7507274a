"""The Word chart PNG drawn with Pillow: stable bytes, print size, hatched unmet bars, font fallback."""
from __future__ import annotations

import io
import logging
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageColor

from addin.render import chart, chart_png, fonts
from addin.render.narrative import build_context

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def chunks(png: bytes) -> list[str]:
    names, at = [], 8
    while at < len(png):
        length, name = struct.unpack(">I4s", png[at:at + 8])
        assert zlib.crc32(png[at + 4:at + 8 + length]) == struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0]
        names.append(name.decode())
        at += 12 + length
    return names


@pytest.fixture(scope="module")
def sample_series(sample_json):
    return chart.series(build_context(sample_json))


@pytest.fixture(scope="module")
def sample_png(sample_series):
    return chart_png.png(sample_series, fit_page=True)


def test_same_data_same_bytes_and_no_time_or_text_chunks(sample_series, sample_png):
    assert chart_png.png(sample_series, fit_page=True) == sample_png
    assert sample_png.startswith(b"\x89PNG\r\n\x1a\n")
    names = chunks(sample_png)
    assert names[0] == "IHDR" and names[-1] == "IEND"
    assert not {"tIME", "tEXt", "iTXt", "zTXt", "eXIf"} & set(names)


def test_sized_for_an_a4_text_block(sample_png):
    image = Image.open(io.BytesIO(sample_png))
    dpi = image.info["dpi"][0]
    width_mm, height_mm = (v / dpi * 25.4 for v in image.size)
    assert round(dpi) == 200 and width_mm == pytest.approx(150, abs=0.5)
    assert 150 < height_mm <= 206  # 48 rows fill the page but leave room for the caption


def test_pure_colours_survive_the_palette(sample_png):
    rgb = Image.open(io.BytesIO(sample_png)).convert("RGB")
    present = {colour for _, colour in rgb.getcolors(1 << 16)}
    for name in (chart_png.WHITE, chart_png.ZEBRA, chart.MET_COLOUR, chart.UNMET_COLOUR):
        assert ImageColor.getrgb(name) in present


def one_row(status: str) -> Image.Image:
    row = [{"label": "地区生产总值", "rate": 68.75, "rate_text": "68.75%", "status": status, "cell": "附件1!F3"}]
    return Image.open(io.BytesIO(chart_png.png(row))).convert("RGB")


def test_unmet_bar_is_hatched_not_only_recoloured():
    met, unmet = one_row("met"), one_row("unmet")
    blue, red, white = (ImageColor.getrgb(c) for c in (chart.MET_COLOUR, chart.UNMET_COLOUR, chart_png.WHITE))
    solid = [xy for xy in ((x, y) for x in range(met.width) for y in range(met.height)) if met.getpixel(xy) == blue]
    bar = [xy for xy in solid if unmet.getpixel(xy) != blue]  # what stays blue is the legend's swatch
    assert len(bar) > 2000 and len(solid) - len(bar) < 0.2 * len(bar)
    seen = [unmet.getpixel(xy) for xy in bar]
    assert seen.count(red) > 0.3 * len(bar) and seen.count(white) > 0.15 * len(bar)


def test_rates_off_the_axis_and_empty_tables_still_draw():
    rows = [{"label": "下降", "rate": -40.0, "rate_text": "-40%", "status": "unmet", "cell": ""},
            {"label": "科技成果转化", "rate": 525.0, "rate_text": "525%", "status": "met", "cell": ""},
            {"label": "无法计算", "rate": None, "rate_text": "—", "status": "not_computable", "cell": ""}]
    for data in (rows, []):
        assert Image.open(io.BytesIO(chart_png.png(data, fit_page=True))).size[0] > 1000


@pytest.fixture
def fresh_font_search():
    fonts.cjk_font_file.cache_clear()
    fonts.font.cache_clear()
    yield
    fonts.cjk_font_file.cache_clear()
    fonts.font.cache_clear()


@pytest.mark.skipif(not NOTO.is_file(), reason="fonts-noto-cjk not installed")
def test_noto_collection_gives_its_simplified_chinese_face(fresh_font_search, monkeypatch):
    monkeypatch.delenv("PLANREPORT_CHART_FONT", raising=False)
    path, index = fonts.cjk_font_file()
    assert path == str(NOTO)
    assert fonts.font(20).getname()[0] == "Noto Sans CJK SC"


def test_no_chinese_font_falls_back_and_says_so(fresh_font_search, monkeypatch, caplog, sample_series):
    monkeypatch.delenv("PLANREPORT_CHART_FONT", raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.setattr(fonts, "_fc_match", lambda: None)
    with caplog.at_level(logging.WARNING, logger="addin.render.fonts"):
        png = chart_png.png(sample_series, fit_page=True)
    assert Image.open(io.BytesIO(png)).size[0] > 1000
    assert [r.getMessage() for r in caplog.records if "未找到中文字体" in r.getMessage()]


def test_font_file_named_in_the_environment_wins(fresh_font_search, monkeypatch, tmp_path):
    if not NOTO.is_file():
        pytest.skip("fonts-noto-cjk not installed")
    own = tmp_path / "我的字体.ttc"
    own.write_bytes(NOTO.read_bytes())
    monkeypatch.setenv("PLANREPORT_CHART_FONT", str(own))
    assert fonts.cjk_font_file() == (str(own), 2)


def test_reports_do_not_import_matplotlib(sample_path, tmp_path):
    code = (
        "import sys\n"
        "from addin.app.pipeline import check_workbook\n"
        "from addin.app.refresh import write_reports\n"
        f"r = check_workbook({str(sample_path)!r}).to_json()\n"
        f"write_reports(r, __import__('pathlib').Path({str(tmp_path)!r}), 'x', ('docx', 'html'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "x.docx").stat().st_size > 50_000
