"""Splice the `核算结果` worksheet part into an .xlsx/.xlsm package.

Only the package index is edited — [Content_Types].xml, the workbook part and its
rels, styles.xml (appended to), docProps/app.xml — and the one worksheet part is
added or replaced. Every other member is copied byte for byte (ziprewrite).
"""
from __future__ import annotations

import posixpath
import zipfile
from typing import BinaryIO

from lxml import etree

from addin.common.errors import PlanReportError
from addin.workbook.opc import rels_part, resolve_target
from addin.workbook.writeback import ziprewrite
from addin.workbook.writeback.results_sheet import SHEET_NAME, sheet_xml
from addin.workbook.writeback.styles import ensure_styles
from addin.workbook.writeback.xmlparts import (
    CT_STYLES, CT_WORKSHEET, NS_CT, NS_EP, NS_MAIN, NS_PKG_REL, NS_REL, NS_VT, REL_OFFICE_DOCUMENT, REL_STYLES,
    REL_WORKSHEET, parse, q, serialise,
)

CONTENT_TYPES = "[Content_Types].xml"
APP_XML = "docProps/app.xml"


def _relative(source_part: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source_part))


class _Package:
    """The package index of one workbook, read once, edited in memory."""

    def __init__(self, zf: zipfile.ZipFile, label: str):
        self.zf = zf
        self.names = set(zf.namelist())
        self.label = label
        root_rels = parse(self.read("_rels/.rels"))
        office = [r for r in root_rels if r.get("Type") == REL_OFFICE_DOCUMENT]
        if not office:
            raise PlanReportError(f"{label}: 不是 Excel 工作簿（缺少主文档关系）")
        self.workbook_part = resolve_target("", office[0].get("Target"))
        self.workbook_rels_part = rels_part(self.workbook_part)
        self.workbook = parse(self.read(self.workbook_part))
        self.rels = parse(self.read(self.workbook_rels_part))
        self.content_types = parse(self.read(CONTENT_TYPES))
        self.changed: dict[str, bytes] = {}
        self.added: list[str] = []
        self.index_dirty = False  # content types or workbook rels edited

    def read(self, name: str) -> bytes:
        try:
            return self.zf.read(name)
        except KeyError:
            raise PlanReportError(f"{self.label}: 工作簿缺少部件 {name}，无法写回") from None

    def put(self, name: str, data: bytes) -> None:
        if name not in self.names and name not in self.added:
            self.added.append(name)
        self.changed[name] = data

    def rel_by_id(self, rid: str):
        return next((r for r in self.rels if r.get("Id") == rid), None)

    def new_rel(self, rel_type: str, part: str) -> str:
        used = {r.get("Id") for r in self.rels}
        n = len(used) + 1
        while f"rId{n}" in used:
            n += 1
        etree.SubElement(self.rels, q(NS_PKG_REL, "Relationship"),
                         Id=f"rId{n}", Type=rel_type, Target=_relative(self.workbook_part, part))
        self.index_dirty = True
        return f"rId{n}"

    def override(self, part: str, content_type: str) -> None:
        name = "/" + part
        for el in self.content_types.findall(q(NS_CT, "Override")):
            if el.get("PartName") == name:
                if el.get("ContentType") != content_type:
                    el.set("ContentType", content_type)
                    self.index_dirty = True
                return
        etree.SubElement(self.content_types, q(NS_CT, "Override"), PartName=name, ContentType=content_type)
        self.index_dirty = True

    def free_sheet_part(self) -> str:
        taken = {n.lower() for n in self.names}
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in taken:
            n += 1
        return f"xl/worksheets/sheet{n}.xml"


def _styles_part(pkg: _Package) -> str:
    for rel in pkg.rels:
        if rel.get("Type") == REL_STYLES:
            return resolve_target(pkg.workbook_part, rel.get("Target"))
    part = posixpath.join(posixpath.dirname(pkg.workbook_part), "styles.xml")
    pkg.new_rel(REL_STYLES, part)
    pkg.override(part, CT_STYLES)
    return part


def _results_sheet_part(pkg: _Package) -> tuple[str, bool]:
    """(part name, existed): the existing 核算结果 part to replace, or a new one appended last."""
    sheets = pkg.workbook.find(q(NS_MAIN, "sheets"))
    if sheets is None:
        raise PlanReportError(f"{pkg.label}: 工作簿没有工作表列表，无法写回")
    for sheet in sheets.findall(q(NS_MAIN, "sheet")):
        if sheet.get("name") != SHEET_NAME:
            continue
        rel = pkg.rel_by_id(sheet.get(q(NS_REL, "id")))
        if rel is None or rel.get("Type") != REL_WORKSHEET or rel.get("TargetMode") == "External":
            raise PlanReportError(f"{pkg.label}: 已有名为“{SHEET_NAME}”的非普通工作表，请改名后重试")
        return resolve_target(pkg.workbook_part, rel.get("Target")), True
    part = pkg.free_sheet_part()
    rid = pkg.new_rel(REL_WORKSHEET, part)
    ids = [int(s.get("sheetId")) for s in sheets.findall(q(NS_MAIN, "sheet")) if (s.get("sheetId") or "").isdigit()]
    # Appended last: localSheetId of defined names (an index into this list) stay valid.
    el = etree.SubElement(sheets, q(NS_MAIN, "sheet"), name=SHEET_NAME, sheetId=str(max(ids, default=0) + 1))
    el.set(q(NS_REL, "id"), rid)
    pkg.override(part, CT_WORKSHEET)
    pkg.put(pkg.workbook_part, serialise(pkg.workbook))
    return part, False


def _add_title_of_part(pkg: _Package, existing_sheets: list[str]) -> None:
    """List the new sheet in docProps/app.xml beside the other worksheet titles.

    The heading is localised ("Worksheets", "工作表"), so the worksheet group is the one
    holding the workbook's sheet names. Files without that list are left alone."""
    if APP_XML not in pkg.names or not existing_sheets:
        return
    app = parse(pkg.zf.read(APP_XML))
    pairs = app.find(f"{q(NS_EP, 'HeadingPairs')}/{q(NS_VT, 'vector')}")
    titles = app.find(f"{q(NS_EP, 'TitlesOfParts')}/{q(NS_VT, 'vector')}")
    if pairs is None or titles is None:
        return
    variants = pairs.findall(q(NS_VT, "variant"))
    title_els = titles.findall(q(NS_VT, "lpstr"))
    if SHEET_NAME in [t.text for t in title_els]:
        return
    start = 0
    for name_var, count_var in zip(variants[0::2], variants[1::2]):
        count_el = count_var.find(q(NS_VT, "i4"))
        if count_el is None or not (count_el.text or "").strip().isdigit():
            return
        count = int(count_el.text)
        group = [t.text for t in title_els[start:start + count]]
        if existing_sheets[-1] in group:
            new = etree.Element(q(NS_VT, "lpstr"))
            new.text = SHEET_NAME
            title_els[start + count - 1].addnext(new)
            count_el.text = str(count + 1)
            titles.set("size", str(len(title_els) + 1))
            pkg.put(APP_XML, serialise(app))
            return
        start += count


def splice(src_path, dst: BinaryIO, result_json: dict, label: str) -> None:
    """Write ``src_path`` with `核算结果` added or replaced to the open binary file ``dst``."""
    try:
        zf = zipfile.ZipFile(src_path)
    except zipfile.BadZipFile:
        raise PlanReportError(f"{label}: 不是有效的 .xlsx/.xlsm 文件（压缩包损坏）") from None
    with zf:
        pkg = _Package(zf, label)
        existing = [s.get("name") for s in pkg.workbook.iter(q(NS_MAIN, "sheet"))]
        styles_part = _styles_part(pkg)
        styles_in = zf.read(styles_part) if styles_part in pkg.names else None
        styles_out, style_ids = ensure_styles(styles_in)
        if styles_out != styles_in:
            pkg.put(styles_part, styles_out)
        part, existed = _results_sheet_part(pkg)
        pkg.put(part, sheet_xml(result_json, style_ids))
        if not existed:
            _add_title_of_part(pkg, existing)
        if pkg.index_dirty:
            pkg.put(pkg.workbook_rels_part, serialise(pkg.rels))
            pkg.put(CONTENT_TYPES, serialise(pkg.content_types))
        # A results sheet we wrote has no rels; one that Excel re-saved may have, pointing
        # at parts that belonged to the sheet we are replacing.
        drop = {rels_part(part)} if existed else set()
    ziprewrite.rewrite(src_path, dst, pkg.changed, pkg.added, drop=drop)
