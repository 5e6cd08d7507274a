"""Read a .docx draft into paragraphs, the text of their runs joined.

Body paragraphs and tables in document order, then headers and footers. The same walk
(``walk``) is used again by comments.py to find a paragraph's runs, so a claim's
character span maps back onto runs without storing python-docx objects in the records.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterator

from addin.proofread.model import Paragraph
from addin.proofread.source import PlanReportError

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A real report's document.xml is a few MB; more than this uncompressed is a zip bomb, not a draft.
MAX_XML_BYTES = 200 * 1024 * 1024


def open_document(path):
    """python-docx Document, or one Chinese line saying why the file is not a usable draft."""
    path = Path(path)
    if not path.exists():
        raise PlanReportError(f"{path}: 找不到文稿")
    if not path.is_file():
        raise PlanReportError(f"{path}: 不是文件")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise PlanReportError(f"{path}: 无法读取文稿（{exc.strerror or exc}）") from None
    if head.startswith(_CFB_MAGIC):
        raise PlanReportError(f"{path}: {_cfb_kind(path)}")
    if not head.startswith(b"PK"):
        raise PlanReportError(f"{path}: 不是 Word 文稿（.docx），请在 Word 中另存为 .docx 后再核对")
    _vet_zip(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except PackageNotFoundError:
        raise PlanReportError(f"{path}: 不是 Word 文稿（.docx）") from None
    except ValueError as exc:  # python-docx: "file ... is not a Word file, content type is ..."
        if "macroEnabled" in str(exc):
            raise PlanReportError(f"{path}: 启用宏的文稿（.docm）不能核对，请另存为 .docx") from None
        raise PlanReportError(f"{path}: 不是 Word 文稿（.docx）") from None
    except Exception as exc:  # a damaged part: lxml, KeyError from a missing relationship ...
        raise PlanReportError(f"{path}: 文稿已损坏，无法读取（{type(exc).__name__}）") from None


def _cfb_kind(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "文稿已加密，请在 Word 中取消密码（文件→信息→保护文档）后再核对"
    return "是旧版 Word 文稿（.doc），请在 Word 中另存为 .docx 后再核对"


def _vet_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                if "xl/workbook.xml" in names:
                    raise PlanReportError(f"{path}: 这是 Excel 工作簿，不是 Word 文稿；文稿放在第一个参数，工作簿用 --workbook")
                raise PlanReportError(f"{path}: 不是 Word 文稿（.docx），缺少 word/document.xml")
            xml_bytes = sum(i.file_size for i in zf.infolist() if i.filename.endswith((".xml", ".rels")))
            if xml_bytes > MAX_XML_BYTES:
                raise PlanReportError(f"{path}: 文稿解压后超过 {MAX_XML_BYTES // (1024 * 1024)} MB，不像一份文稿，已拒绝")
    except zipfile.BadZipFile:
        raise PlanReportError(f"{path}: 文件已损坏，不是有效的 .docx（zip）") from None


def paragraph_runs(paragraph) -> list:
    """The runs whose text makes up the paragraph, hyperlinks' runs included, in order."""
    from docx.text.hyperlink import Hyperlink

    runs = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            runs.extend(item.runs)
        else:
            runs.append(item)
    return runs


def walk(document) -> Iterator[tuple[str, str, object, str]]:
    """(where, label, paragraph, row context) for every paragraph, body first, then headers and footers."""
    tables = [0]
    yield from _blocks(document, "正文", tables)
    seen: set[int] = set()
    for section in document.sections:
        for where, parts in (("页眉", (section.header, section.first_page_header, section.even_page_header)),
                             ("页脚", (section.footer, section.first_page_footer, section.even_page_footer))):
            for part in parts:
                if part.is_linked_to_previous:
                    continue
                element = part._element  # one header part can serve several sections
                if id(element) in seen:
                    continue
                seen.add(id(element))
                yield from _blocks(part, where, tables)


def _blocks(container, where: str, tables: list[int]) -> Iterator[tuple[str, str, object, str]]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            tables[0] += 1
            yield from _table(block, where, tables[0], tables)
        else:
            yield where, where if where != "正文" else "", block, ""


def _table(table, where: str, number: int, tables: list[int]) -> Iterator[tuple[str, str, object, str]]:
    for r, row in enumerate(table.rows, 1):
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell comes back once per grid column it spans
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        context = "，".join(c.text for c in cells)
        for c, cell in enumerate(cells, 1):
            label = f"{'' if where == '正文' else where}表{number}第{r}行第{c}列"
            for w, _, paragraph, _ in _blocks(cell, where, tables):
                yield "表格" if where == "正文" else w, label, paragraph, context


def read_draft(path) -> list[Paragraph]:
    """The paragraphs with text. A body paragraph's number is its place among the document's
    body paragraphs (python-docx's ``document.paragraphs``, empty ones counted, 1-based); a table
    cell's is the body paragraph before its table, with the cell named in the label; headers and
    footers are 0."""
    document = open_document(path)
    out: list[Paragraph] = []
    body = 0
    for order, (where, label, paragraph, context) in enumerate(walk(document)):
        if where == "正文":
            body += 1
        text = "".join(run.text for run in paragraph_runs(paragraph))
        if not text.strip():
            continue
        index = body if where in ("正文", "表格") else 0
        if where == "正文":
            shown = f"第{index}段"
        else:
            shown = f"{label}（第{index}段后）" if where == "表格" and index else label
        out.append(Paragraph(index, order, where, text, context, shown))
    return out
