"""No CJK font on the machine: every way in says so in Chinese, and --format pdf refuses unless forced.

Fonts are hidden with a fontconfig file that lists none; the planreport[fonts] package is hidden
by an empty package of the same name earlier on PYTHONPATH (its folder then holds no font).
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from addin.render import fonts

ROOT = Path(__file__).resolve().parents[2]
NEEDS_LO = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                              reason="LibreOffice or poppler-utils not installed")
NEEDS_FC = pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) not installed")
SAYS_MISSING = "未找到中文字体"


def latin_font_dir(tmp_path: Path) -> Path:
    """A folder with fonts that have no Chinese glyphs (LibreOffice will not start with no font at all)."""
    folder = tmp_path / "latin-fonts"
    folder.mkdir(exist_ok=True)
    for line in subprocess.run(["fc-list", ":", "file"], capture_output=True, text=True).stdout.splitlines():
        path = Path(line.split(":")[0].strip())
        if path.suffix == ".ttf" and path.name.startswith(("DejaVuSans", "DejaVuSerif", "Liberation")):
            shutil.copy(path, folder / path.name)
    if not any(folder.iterdir()):
        pytest.skip("no Latin-only font (DejaVu, Liberation) to stand in for a machine without Chinese fonts")
    return folder


def no_fonts_env(tmp_path: Path, *, hide_package: bool = True) -> dict:
    """fontconfig that lists only Latin fonts: the machine as it is without a CJK font."""
    conf = tmp_path / "no-cjk-fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{latin_font_dir(tmp_path)}</dir>'
                    f'<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    if hide_package:
        shadow = tmp_path / "shadow" / fonts.FONT_PACKAGE
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text("", encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(shadow.parent), str(ROOT)])
    return env


def planreport(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


@pytest.fixture
def workbook(sample_path, tmp_path):
    copy = tmp_path / "in" / "计划.xlsx"
    copy.parent.mkdir()
    shutil.copy2(sample_path, copy)
    return copy


@NEEDS_FC
def test_the_check_sees_hidden_fonts(tmp_path, monkeypatch):
    env = no_fonts_env(tmp_path, hide_package=False)
    monkeypatch.setenv("FONTCONFIG_FILE", env["FONTCONFIG_FILE"])
    monkeypatch.setattr(fonts, "package_font_dir", lambda: None)
    fonts.has_cjk_font.cache_clear()
    try:
        assert fonts.cjk_families() == [] and not fonts.has_cjk_font()
        assert fonts.font_warning() == fonts.MISSING
    finally:
        fonts.has_cjk_font.cache_clear()


@NEEDS_FC
def test_refresh_says_so(workbook, tmp_path):
    run = planreport("refresh", workbook, "--no-writeback", "--out", tmp_path / "out", env=no_fonts_env(tmp_path))
    assert run.returncode == 1, run.stderr  # the sample's row-22 error finding, as always
    assert f"planreport: {fonts.MISSING}" in run.stderr.splitlines()
    assert (tmp_path / "out" / "计划.docx").is_file()  # Word and HTML are still made: the reader's PC has fonts


@NEEDS_FC
def test_refresh_pdf_refuses_without_force(workbook, tmp_path):
    run = planreport("refresh", workbook, "--no-writeback", "--out", tmp_path / "out", "--format", "docx,pdf",
                     env=no_fonts_env(tmp_path))
    assert run.returncode == 2
    assert run.stderr.strip() == f"planreport: {fonts.REFUSED_PDF}"
    assert not (tmp_path / "out").exists()  # refused before anything was written


@NEEDS_FC
@NEEDS_LO
def test_forced_pdf_is_made_and_still_warned(workbook, tmp_path):
    run = planreport("refresh", workbook, "--no-writeback", "--out", tmp_path / "out", "--format", "pdf",
                     "--force-fonts", env=no_fonts_env(tmp_path))
    assert run.returncode == 1, run.stderr
    assert (tmp_path / "out" / "计划.pdf").is_file() and SAYS_MISSING in run.stderr


@NEEDS_FC
def test_batch_says_so_on_stderr_in_the_log_and_in_index_html(workbook, tmp_path):
    log = tmp_path / "batch.log"
    run = planreport("batch", workbook.parent, "--out", tmp_path / "out", "--jobs", "1", "--no-writeback",
                     "--log", log, env=no_fonts_env(tmp_path))
    assert run.returncode == 1, run.stderr
    assert f"planreport: {fonts.MISSING}" in run.stderr.splitlines()
    assert f"注意：{fonts.MISSING}" in log.read_text(encoding="utf-8")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="warning"[^>]*>注意：' + re.escape(fonts.MISSING.replace('"', "&#34;")), index)


@NEEDS_FC
def test_batch_pdf_refuses_once(workbook, tmp_path):
    run = planreport("batch", workbook.parent, "--out", tmp_path / "out", "--formats", "pdf", "--no-writeback",
                     env=no_fonts_env(tmp_path))
    assert run.returncode == 2 and run.stderr.strip() == f"planreport: {fonts.REFUSED_PDF}"


@NEEDS_FC
@NEEDS_LO
def test_with_the_fonts_extra_the_pdf_has_real_glyphs(workbook, tmp_path):
    if importlib.util.find_spec(fonts.FONT_PACKAGE) is None:
        print("skipped: pylopdf-fonts-zh-cn (planreport[fonts]) is not installed")
        pytest.skip("pylopdf-fonts-zh-cn (planreport[fonts]) is not installed")
    env = no_fonts_env(tmp_path, hide_package=False)  # no system font: only the package's can serve
    run = planreport("refresh", workbook, "--no-writeback", "--out", tmp_path / "out", "--format", "pdf", env=env)
    assert run.returncode == 1, run.stderr
    assert SAYS_MISSING not in run.stderr
    listed = subprocess.run(["pdffonts", str(tmp_path / "out" / "计划.pdf")], capture_output=True, text=True,
                            check=True).stdout
    assert re.search(r"Noto(Sans|Serif)SC", listed), listed
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "计划.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "地区生产总值" in text


@NEEDS_FC
def test_the_refresh_result_carries_the_warning_for_the_office_buttons(workbook, tmp_path, monkeypatch):
    """Excel and LibreOffice show RefreshOutcome.warnings (fonts.font_warning()) in their message box."""
    from addin.app.refresh import refresh_workbook

    monkeypatch.setenv("FONTCONFIG_FILE", no_fonts_env(tmp_path, hide_package=False)["FONTCONFIG_FILE"])
    monkeypatch.setattr(fonts, "package_font_dir", lambda: None)
    fonts.has_cjk_font.cache_clear()
    try:
        outcome = refresh_workbook(workbook, out_dir=tmp_path / "out", formats=("html",), writeback=False)
        assert outcome.warnings == [fonts.MISSING]
    finally:
        monkeypatch.undo()
        fonts.has_cjk_font.cache_clear()
    if fonts.has_cjk_font():  # this machine's own fonts: nothing to say
        assert refresh_workbook(workbook, out_dir=tmp_path / "out", formats=("html",), writeback=False).warnings == []
