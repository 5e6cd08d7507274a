"""`planreport refresh` as a user runs it: a subprocess on a copy of the sample, not the render functions."""
from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def refresh(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", "refresh", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


@pytest.fixture
def workbook(sample_path, tmp_path):
    copy = tmp_path / "单位" / sample_path.name
    copy.parent.mkdir()
    shutil.copy2(sample_path, copy)
    return copy


def test_default_folder_exit_code_and_no_writeback(workbook):
    before = workbook.read_bytes()
    run = refresh(workbook, "--no-writeback")
    assert run.returncode == 1, run.stderr  # row 22's error finding; the reports are written all the same
    folder = workbook.parent / "报告"
    assert sorted(p.name for p in folder.iterdir()) == ["kundulun-2025.docx", "kundulun-2025.html"]
    assert workbook.read_bytes() == before  # --no-writeback: the workbook is not touched
    assert "Traceback" not in run.stderr


def test_two_processes_give_identical_reports_without_the_clock(workbook, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert refresh(workbook, "--no-writeback", "--out", out, "--date", "2026-01-28").returncode == 1
    html = (first / "kundulun-2025.html").read_bytes()
    assert html == (second / "kundulun-2025.html").read_bytes()
    with zipfile.ZipFile(first / "kundulun-2025.docx") as a, zipfile.ZipFile(second / "kundulun-2025.docx") as b:
        document = a.read("word/document.xml")
        assert document == b.read("word/document.xml")
        core = a.read("docProps/core.xml").decode()
    text = html.decode() + document.decode()
    assert "2026年1月28日" in text
    today = datetime.date.today()
    for shown in (f"{today.year}年{today.month}月{today.day}日", today.isoformat()):
        assert shown not in text and shown not in core


def test_pdf_without_soffice_is_one_line(workbook, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    run = refresh(workbook, "--no-writeback", "--out", tmp_path / "pdf", "--format", "pdf",
                  env={**os.environ, "PATH": str(empty)})
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "soffice" in lines[0] and "libreoffice" in lines[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_pdf_format_through_the_command(workbook, tmp_path):
    run = refresh(workbook, "--no-writeback", "--out", tmp_path / "pdf", "--format", "pdf")
    assert run.returncode == 1, run.stderr
    assert (tmp_path / "pdf" / "kundulun-2025.pdf").read_bytes().startswith(b"%PDF")
