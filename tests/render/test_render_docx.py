"""The Word report, opened with python-docx: content, typography, editability, determinism."""
from __future__ import annotations

import shutil
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from addin.render.docx import render_docx
from render_support import DATE, TEMPLATES, hostile_workbook, names_of


def all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def full_text(doc) -> str:
    return "\n".join(p.text for p in all_paragraphs(doc))


@pytest.fixture(scope="module")
def report(sample_json, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "report.docx"
    render_docx(sample_json, out, date=DATE)
    return out


@pytest.fixture(scope="module")
def doc(report):
    return Document(str(report))


def test_every_indicator_is_in_the_report(doc, sample_json):
    text = full_text(doc)
    names = names_of(sample_json)
    assert len(names) == 48
    assert [n for n in names if n not in text] == []
    table_names = [row.cells[2].text for row in doc.tables[0].rows[1:]]
    assert table_names == names


def test_unmet_rates_are_underlined(doc):
    underlined = {r.text for p in all_paragraphs(doc) for r in p.runs if r.underline}
    assert {"68.75%", "37.5%"} <= underlined
    # and nothing that was met is underlined
    assert underlined == {"68.75%", "37.5%"}
    statuses = {row.cells[2].text: row.cells[6].text for row in doc.tables[0].rows[1:]}
    assert statuses["地区生产总值"] == statuses["城镇常住居民人均可支配收入"] == "未完成"


def test_overview_and_unmet_sentences(doc):
    text = full_text(doc)
    assert "2025年计划确定的48项主要指标中，44项完成或超额完成，2项未完成，2项无法核算完成率" in text
    assert "地区生产总值增长5.5%，低于8%左右的预期目标，完成率68.75%" in text
    assert "超额完成" in text


def test_row_22_finding_is_stated(doc, sample_json):
    row22 = next(i for i in sample_json["indicators"] if i["name"] == "技术合同成交额")
    cell = row22["cells"]["rate"]
    stated = [p.text for p in doc.paragraphs if cell in p.text]
    assert len(stated) == 1
    assert "技术合同成交额" in stated[0] and "136%" in stated[0] and "200%" in stated[0]
    table_rate = next(r.cells[5].text for r in doc.tables[0].rows if r.cells[2].text == "技术合同成交额")
    assert table_rate.startswith("200%") and "填报136%" in table_rate


def test_east_asian_fonts_declared(report, doc):
    with zipfile.ZipFile(report) as z:
        styles_xml = z.read("word/styles.xml").decode()
        footer_xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    for font in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{font}"' in styles_xml

    def east_asia(style_name):
        fonts = doc.styles[style_name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None
        return fonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("公文标题") == "方正小标宋简体"
    assert east_asia("一级标题") == "黑体"
    assert east_asia("二级标题") == "楷体_GB2312"
    assert doc.styles["Normal"].font.size == Pt(16)
    assert doc.styles["公文标题"].font.size == Pt(22)
    assert 'w:eastAsia="宋体"' in footer_xml


def test_page_setup_after_gbt_9704(doc):
    section = doc.sections[0]
    mm = lambda v: round(v / Mm(1), 1)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(x) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] \
        == [37, 35, 28, 26]
    pf = doc.styles["Normal"].paragraph_format
    assert pf.line_spacing == Pt(28) and str(pf.line_spacing_rule).startswith("EXACTLY")
    assert mm(section.footer_distance) == 23.1  # the number's 14 pt line starts 7 mm below the 35 mm margin


@pytest.mark.parametrize("which, align, outer, inner", [
    ("footer", WD_ALIGN_PARAGRAPH.RIGHT, "right_indent", "left_indent"),  # odd pages
    ("even_page_footer", WD_ALIGN_PARAGRAPH.LEFT, "left_indent", "right_indent"),
])
def test_page_numbers_at_the_outer_edge(doc, which, align, outer, inner):
    assert doc.settings.odd_and_even_pages_header_footer
    footer = getattr(doc.sections[0], which)
    assert not footer.is_linked_to_previous
    (para,) = footer.paragraphs
    assert para.text == "— 1 —"
    assert para.alignment == align
    pf = para.paragraph_format
    assert getattr(pf, outer) == Pt(14) and getattr(pf, inner) in (None, 0)
    assert pf.first_line_indent == 0  # not the body's two-character indent inherited through the Footer style
    instr = [el.text.strip() for el in para._p.iter(qn("w:instrText"))]
    kinds = [el.get(qn("w:fldCharType")) for el in para._p.iter(qn("w:fldChar"))]
    assert instr == ["PAGE"] and kinds == ["begin", "separate", "end"]
    for run in para.runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "宋体"  # 半角宋体 digits
        assert run.font.size == Pt(14)


def test_body_paragraphs_use_the_template_styles(doc):
    styles = [p.style.name for p in doc.paragraphs if p.text]
    assert styles[0] == "公文标题"
    assert styles.count("二级标题") == 7
    assert "一级标题" in styles and "Normal" in styles


def test_table_merges_categories_and_chart_is_native(report, doc):
    with zipfile.ZipFile(report) as z:
        xml = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        charts = [n for n in z.namelist() if n.startswith("word/charts/") and n.endswith(".xml")]
    assert xml.count('<w:vMerge w:val="restart"/>') == 7  # one per category, as merged in the workbook
    assert len(doc.inline_shapes) == 1 and media == [] and charts == ["word/charts/chart1.xml"]  # no picture
    first_col = [row.cells[0].text for row in doc.tables[0].rows[1:]]
    assert first_col[:8] == ["主要经济指标"] * 8  # merged cell seen from every row it spans


def test_same_json_gives_identical_document(sample_json, report, tmp_path):
    again = render_docx(sample_json, tmp_path / "again.docx", date=DATE)
    with zipfile.ZipFile(report) as a, zipfile.ZipFile(again) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
    assert report.read_bytes() == again.read_bytes()
    props = Document(str(again)).core_properties
    assert props.created.year == 2026 and props.modified == props.created


def test_statistician_edits_to_the_template_survive(sample_json, tmp_path):
    edited_dir = tmp_path / "templates"
    shutil.copytree(TEMPLATES, edited_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    template = Document(str(edited_dir / "summary.docx"))
    paras = template.paragraphs
    date_line = next(p for p in paras if p.text == "{{ date }}")
    title = next(p for p in paras if p.text == "{{ title }}")
    title._p.addnext(date_line._p)  # move the date up under the title
    normal = template.styles["Normal"]
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "楷体_GB2312")
    normal.font.size = Pt(15)
    template.save(str(edited_dir / "summary.docx"))

    out = render_docx(sample_json, tmp_path / "out.docx", templates_dir=edited_dir, date=DATE)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    date_at = texts.index("2026年1月28日")
    assert date_at == 1 and date_at < texts.index("一、总体情况")
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert doc.styles["Normal"].font.size == Pt(15)
    overview = next(p for p in doc.paragraphs if p.text.startswith("2025年计划确定的"))
    assert overview.style.name == "Normal"


def test_phrasebook_edit_changes_the_word_report(sample_json, tmp_path):
    edited_dir = tmp_path / "templates"
    shutil.copytree(TEMPLATES, edited_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    phrases = edited_dir / "phrases.j2"
    phrases.write_text(phrases.read_text(encoding="utf-8").replace("的预期目标，完成率", "的年度预期目标，完成率"),
                       encoding="utf-8")
    doc = Document(str(render_docx(sample_json, tmp_path / "out.docx", templates_dir=edited_dir, date=DATE)))
    assert "地区生产总值增长5.5%，低于8%左右的年度预期目标，完成率68.75%" in full_text(doc)


def test_cell_text_is_data_in_word(sample_path, tmp_path):
    from addin.app.pipeline import check_workbook

    result = check_workbook(hostile_workbook(sample_path, tmp_path / "hostile.xlsx")).to_json()
    out = render_docx(result, tmp_path / "hostile.docx", date=DATE)
    doc = Document(str(out))  # the package parses: nothing broke the XML
    names = [row.cells[2].text for row in doc.tables[0].rows[1:]]
    assert "<script>alert(1)</script>地区生产总值" in names
    assert '=HYPERLINK("http://evil.example/","节能减排")' in names
    assert "即办件比率 & <b>" in names
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml and "<script>" not in xml
    assert "w:fldSimple" not in xml and "HYPERLINK" not in "".join(
        el.text or "" for el in doc.element.body.iter(qn("w:instrText")))


def test_template_builder_reproduces_the_committed_template(tmp_path):
    import runpy

    builder = runpy.run_path(str(TEMPLATES / "make_summary_docx.py"))
    rebuilt = builder["main"](tmp_path / "summary.docx")
    assert rebuilt.read_bytes() == (TEMPLATES / "summary.docx").read_bytes()
