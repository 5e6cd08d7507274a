"""The documented Python API (docs/api.md): ``import planreport`` on the real sample workbook.

Expected values come from the seed's 附件1 (../shared/seed, lines 201-250): 48 indicators;
地区生产总值 8%左右 against 5.5% is 68.75% and underlined (unmet); 城镇常住居民人均可支配收入
与经济增长同步 against 3% is 37.5% (unmet); 技术合同成交额 3亿元 -> 6亿元 printed as 136%.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

import planreport

COLUMNS = ["sheet", "row", "no", "category", "name", "unit", "target", "actual", "direction",
           "computed_rate", "reported_rate", "status", "status_text"]


def test_check_frame_has_one_row_per_indicator(sample_path):
    frame = planreport.check(sample_path).to_frame()
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 48
    gdp = frame[frame.name == "地区生产总值"].iloc[0]
    assert (gdp.sheet, gdp.target, gdp.actual) == ("附件1", "8%左右", "5.5%")
    assert gdp.computed_rate == 68.75 and gdp.status == "unmet" and gdp.status_text == "未完成"
    income = frame[frame.name == "城镇常住居民人均可支配收入"].iloc[0]
    assert income.computed_rate == 37.5 and income.status_text == "未完成"
    tech = frame[frame.name == "技术合同成交额"].iloc[0]
    assert tech.reported_rate == 136 and tech.computed_rate == 200


def test_findings_and_targets_frames(sample_path):
    result = planreport.check(sample_path)
    findings = result.findings_frame()
    assert {"code", "severity", "severity_text", "cell", "message"} <= set(findings.columns)
    mismatch = findings[findings.code == "rate_mismatch"]
    assert list(mismatch.cell) == ["附件1!F24"] and list(mismatch.severity_text) == ["错误"]
    targets = result.targets_frame()
    assert targets.iloc[0]["name"] == "地区生产总值" and targets.iloc[0]["target"] == "3%左右"  # 附件2 row 1


def test_check_many_stacks_workbooks_with_a_workbook_column(sample_path, tmp_path):
    a, b = tmp_path / "甲区.xlsx", tmp_path / "乙区.xlsx"
    shutil.copy(sample_path, a)
    shutil.copy(sample_path, b)
    many = planreport.check_many([a, b, tmp_path / "没有这个文件.xlsx"])
    frame = many.to_frame()
    assert len(frame) == 96 and frame.columns[0] == "workbook"
    assert frame.workbook.value_counts().to_dict() == {str(a): 48, str(b): 48}
    assert list(many.failed) == [str(tmp_path / "没有这个文件.xlsx")]  # said, not silently dropped
    assert "找不到文件" in many.failed[str(tmp_path / "没有这个文件.xlsx")]
    assert len(many.findings_frame()[lambda f: f.code == "rate_mismatch"]) == 2


def test_refresh_from_python_writes_the_reports(sample_path, tmp_path):
    book = tmp_path / "昆都仑区.xlsx"
    shutil.copy(sample_path, book)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    outcome = planreport.refresh(book, out=tmp_path / "报告", writeback=False)
    assert sorted(p.name for p in outcome.outputs) == ["昆都仑区.docx", "昆都仑区.html"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in outcome.outputs)
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before and outcome.written_back is None
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp_path / "报告" / "昆都仑区.docx")).paragraphs)
    assert "68.75%" in text


def test_refresh_writes_back_and_takes_report_settings(sample_path, tmp_path):
    book = tmp_path / "昆都仑区.xlsx"
    shutil.copy(sample_path, book)
    (tmp_path / "planreport.toml").write_text(
        '[report]\nissuer = "昆都仑区发展和改革委员会"\ndate = 2026-01-28\n', encoding="utf-8")
    outcome = planreport.refresh(book, out=tmp_path / "报告", formats="html")
    assert outcome.written_back == book
    import openpyxl

    assert "核算结果" in openpyxl.load_workbook(book, read_only=True).sheetnames
    html = (tmp_path / "报告" / "昆都仑区.html").read_text(encoding="utf-8")
    assert "昆都仑区发展和改革委员会" in html and "2026年1月28日" in html
    assert outcome.result.meta.issuer == "昆都仑区发展和改革委员会"


def test_bad_input_raises_the_one_line_error(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(planreport.PlanReportError) as err:
        planreport.check(bad)
    assert "坏.xlsx" in str(err.value) and "\n" not in str(err.value)


def test_import_planreport_from_any_folder(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import planreport, addin.api; print(planreport.check is addin.api.check)"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_proofread_from_python(tmp_path, sample_path):
    from docx import Document

    draft = tmp_path / "草稿.docx"
    doc = Document()
    doc.add_paragraph("2025年，地区生产总值增长5.9%。")  # the workbook (附件1!E3) says 5.5%
    doc.save(str(draft))
    result = planreport.proofread(draft, sample_path)
    assert [f.cell for f in result.findings if f.severity == "error"] == ["附件1!E3"]
