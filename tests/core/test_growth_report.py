"""The "增长核对" section of the HTML and Word reports, from the sample's growth entries."""
import re

from docx import Document

from addin.render.docx import render_docx
from addin.render.html import render_html


def test_html_growth_section_names_cells(sample_json):
    html = render_html(sample_json)
    section = html[html.index("增长核对"):]
    section = section[:section.index("</section>")]
    assert 'data-cell="基础数据!C4">1505.02亿元<' in section
    text = re.sub(r"<[^>]+>", "", section)
    assert "2026年地区生产总值约为1550.17亿元" in text and "实际下降25.73%" in text
    assert "按地区生产总值实际增速核算为54.55%" in text


def test_docx_growth_section(sample_json, tmp_path):
    doc = Document(str(render_docx(sample_json, tmp_path / "r.docx")))
    texts = [p.text for p in doc.paragraphs]
    heading = texts.index("五、增长核对")
    assert "1550.17亿元" in texts[heading + 1] and "技术合同成交额至少为7.2亿元" in texts[heading + 1]


def test_no_growth_no_section(sample_json, tmp_path):
    plain = {**sample_json, "growth": []}
    assert "增长核对" not in render_html(plain)
    doc = Document(str(render_docx(plain, tmp_path / "r.docx")))
    assert not [p for p in doc.paragraphs if "增长核对" in p.text]
