"""Builds summary.docx, the Word template of the report (run: python templates/make_summary_docx.py).

The output is committed; statisticians may edit it in Word afterwards (move paragraphs,
change fonts or styles) and every refresh keeps their edits, because the report is
rendered from the edited file. Rerun this script only to start over from the defaults.

Typography after GB/T 9704-2012: title 方正小标宋简体 二号, body 仿宋_GB2312 三号, level-1
headings 黑体, level-2 楷体_GB2312, A4 with margins 37/35/28/26 mm, fixed 28 pt lines,
page numbers "— 1 —" in 宋体 四号 at the outer edge (odd pages right, even pages left, one
character in), 7 mm below the text block.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

LATIN = "Times New Roman"
BODY, TITLE, HEI, KAI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
# 类别, 序号, 指标, 目标, 完成情况, 完成率, 状态 — sums to the 156 mm text width.
COLUMNS_MM = (16, 9, 42, 25, 25, 21, 18)
PAGE_NUMBER_PT = 14  # 四号
# Word measures the footer distance from the paper's edge to the footer's bottom; the
# footer's top (one 14 pt line up) is then 7 mm below the 35 mm bottom margin.
FOOTER_DISTANCE = Mm(35 - 7) - Pt(PAGE_NUMBER_PT)
HEADERS = ("类别", "序号", "指标", "目标", "完成情况", "完成率", "状态")
ROW_TAGS = ("{{ g.name }}", "{{ i.no }}", "{{ i.name }}", "{{ i.target }}", "{{ i.actual }}",
            "{{r i.rate_rich }}", "{{ i.status_text }}")


def set_fonts(rpr, east_asia: str, size_pt: float | None = None, latin: str = LATIN) -> None:
    """Declare Latin and East Asian fonts on a w:rPr; theme fonts go so they cannot override."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))


def paragraph_style(doc, name: str, east_asia: str, size_pt: float, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                    indent_chars: float = 0, exact_pt: float | None = 28, outline: int | None = None,
                    keep_next: bool = False, base: str = "Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if style.name != "Normal":
        style.base_style = styles[base]
        style.quick_style = True
    set_fonts(style.element.get_or_add_rPr(), east_asia, size_pt)
    style.font.bold = False
    style.font.italic = False
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = Pt(size_pt * indent_chars) if indent_chars else Pt(0)
    pf.left_indent = Pt(0)
    if exact_pt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact_pt)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = keep_next
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    return style


def page_number_paragraph(footer, align, indent_side: str) -> None:
    """"— PAGE —" in 宋体 四号 (digits too: GB/T 9704 wants 半角宋体), as a real PAGE field Word updates.

    The number sits one character (14 pt) in from the outer edge, on the side indent_side.
    Exact 14 pt lines make the footer one character tall whatever the font's metrics, so
    FOOTER_DISTANCE puts the top of the line 7 mm below the text block in Word and LibreOffice.
    """
    para = footer.paragraphs[0]
    para.alignment = align
    pf = para.paragraph_format
    pf.first_line_indent = Pt(0)  # the Footer style inherits Normal's two-character indent
    setattr(pf, f"{indent_side}_indent", Pt(PAGE_NUMBER_PT))
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(PAGE_NUMBER_PT)
    parts = (("text", "— "), ("fldChar", "begin"), ("instrText", " PAGE "), ("fldChar", "separate"),
             ("text", "1"), ("fldChar", "end"), ("text", " —"))
    for kind, value in parts:
        run = para.add_run(value if kind == "text" else "")
        set_fonts(run._element.get_or_add_rPr(), SONG, PAGE_NUMBER_PT, latin=SONG)
        if kind == "fldChar":
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), value)
            run._element.append(el)
        elif kind == "instrText":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
            run._element.append(el)


def page_number_footers(doc, section) -> None:
    """GB/T 9704-2012 7.5: numbers at the outer edge — odd pages right, even pages left."""
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right")
    page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")


def setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), FOOTER_DISTANCE
    page_number_footers(doc, section)


def setup_styles(doc) -> None:
    # docDefaults too, so text outside our styles (tables, footers) is never in a theme font.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, BODY, 16)
    paragraph_style(doc, "Normal", BODY, 16, indent_chars=2)
    paragraph_style(doc, "公文标题", TITLE, 22, align=WD_ALIGN_PARAGRAPH.CENTER, exact_pt=None, keep_next=True)
    paragraph_style(doc, "副标题", KAI, 16, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    paragraph_style(doc, "一级标题", HEI, 16, indent_chars=2, outline=0, keep_next=True)
    paragraph_style(doc, "二级标题", KAI, 16, indent_chars=2, outline=1, keep_next=True)
    paragraph_style(doc, "落款", BODY, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph_style(doc, "附件标记", HEI, 16, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph_style(doc, "附件标题", TITLE, 18, align=WD_ALIGN_PARAGRAPH.CENTER, exact_pt=None, keep_next=True)
    paragraph_style(doc, "图表标题", HEI, 12, align=WD_ALIGN_PARAGRAPH.CENTER, exact_pt=None)
    paragraph_style(doc, "表格文字", BODY, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, exact_pt=None)
    paragraph_style(doc, "表格注释", BODY, 10.5, align=WD_ALIGN_PARAGRAPH.LEFT, exact_pt=None)


def cell_text(cell, text: str, *, header: bool = False) -> None:
    para = cell.paragraphs[0]
    para.style = "表格文字"
    run = para.add_run(text)
    if header:
        set_fonts(run._element.get_or_add_rPr(), HEI)


def appendix_table(doc) -> None:
    table = doc.add_table(rows=6, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # LibreOffice lays out by the grid, Word by the cells: set both.
    for column, width in zip(table.columns, COLUMNS_MM):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMNS_MM):
            cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, HEADERS):
        cell_text(cell, text, header=True)
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_props.append(repeat)
    # Row loops: one row per indicator, nested in one group per category so that
    # docxtpl's {% vm %} merges the category cell over its rows, as the workbook does.
    cell_text(table.rows[1].cells[0], "{%tr for g in categories %}")
    cell_text(table.rows[2].cells[0], "{%tr for i in g.rows %}")
    for n, (cell, tag) in enumerate(zip(table.rows[3].cells, ROW_TAGS)):
        cell_text(cell, ("{% vm %}" + tag) if n == 0 else tag)
    table.rows[3].cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    cell_text(table.rows[4].cells[0], "{%tr endfor %}")
    cell_text(table.rows[5].cells[0], "{%tr endfor %}")


# Stand-ins the first render replaces: the chart in the template only carries its style.
CHART_PLACEHOLDER = ({"name": "示例指标（生成报告时替换）", "computed_rate": 120.0, "status": "met"},
                     {"name": "未完成的示例指标", "computed_rate": 60.0, "status": "unmet"})
CHART_ROWS_SIZED_FOR = 48  # the sample's indicator count: the chart is as tall as one page allows


def add_chart(doc, paragraph) -> None:
    """The default native chart (addin/render/chart_docx.py), restylable in Word."""
    import datetime as dt

    from addin.render import chart_docx

    rows = list(CHART_PLACEHOLDER)
    chart_docx.insert_chart(doc, paragraph, chart_docx.default_chart_xml(rows),
                            chart_docx.workbook_blob(rows, dt.datetime(2025, 1, 1)), CHART_ROWS_SIZED_FOR)


def build() -> "Document":
    doc = Document()
    setup_page(doc)
    setup_styles(doc)
    add = doc.add_paragraph
    add("{{ title }}", style="公文标题")
    add("{%p if subtitle %}", style="副标题")
    add("{{ subtitle }}", style="副标题")
    add("{%p endif %}", style="副标题")
    add("一、总体情况", style="一级标题")
    add("{{r overview }}")
    add("{{r unmet_summary }}")
    add("二、分领域执行情况", style="一级标题")
    add("{%p for g in categories %}")
    add("（{{ g.ordinal }}）{{ g.name }}", style="二级标题")
    add("{{r g.paragraph }}")
    add("{%p endfor %}")
    add("三、数据核对", style="一级标题")
    add("{{r findings_intro }}")
    add("{%p for f in findings %}")
    add("{{r f }}")
    add("{%p endfor %}")
    add("{%p if targets_paragraph %}")
    add("四、下一年主要预期目标", style="一级标题")
    add("{{r targets_paragraph }}")
    add("{%p endif %}")
    add("{%p if growth_paragraph %}")
    add("{{ growth_heading }}", style="一级标题")
    add("{{r growth_paragraph }}")
    add("{%p endif %}")
    add("{%p if progress_paragraph %}")
    add("{{ progress_heading }}", style="一级标题")
    add("{{r progress_paragraph }}")
    add("{%p endif %}")
    add("{{ issuer }}", style="落款")
    add("{{ date }}", style="落款")
    add("附件", style="附件标记").paragraph_format.page_break_before = True
    add("{{ table_title }}", style="附件标题")
    appendix_table(doc)
    add("{{r rate_note }}", style="表格注释")
    chart = add("", style="图表标题")
    chart.paragraph_format.page_break_before = True
    add_chart(doc, chart)
    add("图1　各项指标完成率（虚线为100%目标线；斜线条并标注“未完成”的为未完成指标）", style="图表标题")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = "计划执行情况报告模板", "PlanReport", "PlanReport"
    props.comments = "由 templates/make_summary_docx.py 生成；可在 Word 中直接修改版式与文字。"
    import datetime as dt

    props.created = props.modified = dt.datetime(2025, 1, 1)
    props.revision = 1
    return doc


def main(out: Path) -> Path:
    from addin.render.docx_template import save_document  # fixed zip timestamps: the committed file is reproducible

    return save_document(build(), out)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("summary.docx")))
