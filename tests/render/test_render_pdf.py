"""PDF through LibreOffice: every indicator survives into the PDF text; a clear line without soffice."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from addin.common.errors import PlanReportError
from addin.render.docx import render_docx
from addin.render.pdf import docx_to_pdf
from render_support import DATE, names_of


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils not installed")
def test_pdf_text_contains_every_indicator(sample_json, tmp_path):
    docx_path = render_docx(sample_json, tmp_path / "报告.docx", date=DATE)
    pdf = docx_to_pdf(docx_path, tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "报告.pdf" and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)  # names wrap across lines
    assert [n for n in names_of(sample_json) if re.sub(r"\s+", "", n) not in flat] == []
    assert "68.75%" in flat and "—1—" in flat


def test_missing_soffice_is_one_clear_line(sample_json, tmp_path, monkeypatch):
    docx_path = render_docx(sample_json, tmp_path / "r.docx", date=DATE)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(PlanReportError) as err:
        docx_to_pdf(docx_path, tmp_path)
    assert str(err.value) == "未找到 LibreOffice（soffice），请安装 libreoffice-writer 后重试"
    assert "\n" not in str(err.value)
