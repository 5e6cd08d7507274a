"""refresh --as-of DATE puts the 时间进度 (双过半) section into Word and HTML."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from docx import Document

ROOT = Path(__file__).resolve().parents[2]
# By hand: 4000 of the 9000人 target is 44.44% by 30 June, when 50% of the year has gone.
BEHIND = "年内实现新增城镇就业完成4000人，为全年目标9000人以上的44.44%，落后于时间进度"


@pytest.fixture(scope="module")
def half_done(sample_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("progress")
    wb = openpyxl.load_workbook(sample_path)
    ws = wb["附件1"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "年内实现新增城镇就业")
    ws.cell(row, 5).value, ws.cell(row, 6).value = "4000人", None
    wb.save(tmp / "年中.xlsx")
    return tmp / "年中.xlsx"


def refresh(book: Path, out: Path, *extra) -> tuple[str, Document]:
    run = subprocess.run([sys.executable, "-m", "addin", "refresh", str(book), "--no-writeback", "--out", str(out),
                          "--date", "2025-07-10", *extra], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1, run.stderr  # the sample's row-22 error finding
    html = unescape(re.sub(r"<[^>]+>", "", (out / f"{book.stem}.html").read_text(encoding="utf-8")))
    return html, Document(str(out / f"{book.stem}.docx"))


def test_progress_section_in_word_and_html(half_done, tmp_path):
    html, doc = refresh(half_done, tmp_path / "out", "--as-of", "2025-06-30")
    texts = [p.text for p in doc.paragraphs]
    # 四 next year's targets and 五 growth checks come first in the sample's report.
    heading = texts.index("六、时间进度")
    assert doc.paragraphs[heading].style.name == "一级标题"
    body = texts[heading + 1]
    assert body.startswith("截至2025年6月30日，时间进度为50%。") and BEHIND in body
    assert "铺设四类管网（100%）" in body  # 472 of 472公里: on time, listed as such
    assert [r.text for r in doc.paragraphs[heading + 1].runs if r.underline] == ["落后于时间进度"]
    assert "六、时间进度" in html and BEHIND in html and "截至2025年6月30日，时间进度为50%" in html


def test_no_section_without_as_of(half_done, tmp_path):
    html, doc = refresh(half_done, tmp_path / "out")
    assert not [p.text for p in doc.paragraphs if "时间进度" in p.text]
    assert "时间进度" not in html
