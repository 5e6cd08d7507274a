"""Splice the `核算结果` worksheet part into an .xlsx/.xlsm package (Transitional or Strict).

Only the package index is edited — [Content_Types].xml, the workbook part and its
rels, styles.xml (appended to), docProps/app.xml — and the one worksheet part is
added or replaced. Every other member is copied byte for byte (ziprewrite).

A sheet named 核算结果 is replaced only when PlanReport wrote it: the workbook-level
defined name OWN_NAME points at it and its header row is PlanReport's (see
``_is_own``). Anything else is the user's and is never overwritten.
"""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from typing import BinaryIO, Callable, Iterable, Optional

from lxml import etree

from addin.common.errors import PlanReportError
from addin.workbook.opc import (
    APP_XML, CONTENT_TYPES, CT_STYLES, CT_WORKSHEET, NS_CT, NS_PKG_REL, PackageError, PackageIndex, SheetEntry,
    local, parse_xml, q, rels_part, relative_target, serialise,
)
from addin.workbook.writeback import ziprewrite
from addin.workbook.writeback.results_sheet import (
    ALT_SHEET_NAME, INDICATOR_HEADER, OWN_NAME, SHEET_NAME, is_own_sheet, marked_sheet, own_name_formula, sheet_xml,
)
from addin.workbook.writeback.styles import ensure_styles

SIGNED = ("工作簿带有数字签名（{parts}），写回“核算结果”会使签名失效，未写回（报告已生成）；"
          "如确需写回，请在 planreport.toml 中设 writeback_signed = true，写回后请重新签名")
TAKEN = ("已有名为“{name}”的工作表，但不是 PlanReport 生成的，未覆盖；请把它改名，"
         "或在 planreport.toml 中设 results_sheet_fallback = true，改写到“{alt}”工作表")
BOTH_TAKEN = "“{name}”和“{alt}”都是用户自己的工作表，未覆盖；请把其中一张改名后重试"
# Parts after which <definedNames> may stand in CT_Workbook (ECMA-376 part 1, 18.2.27).
_BEFORE_DEFINED_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                         "functionGroups", "externalReferences")


class _Package:
    """The package index of one workbook, read once, edited in memory."""

    def __init__(self, zf: zipfile.ZipFile, label: str):
        self.zf = zf
        self.label = label
        self.index = PackageIndex.from_zip(zf)
        self.names = self.index.names
        self.ns = self.index.flavour
        self.workbook_part = self.index.workbook_part
        self.workbook = self.index.workbook
        self.rels = self.index.rels_tree
        self.changed: dict[str, bytes] = {}
        self.added: list[str] = []
        self.index_dirty = False  # content types or workbook rels edited
        self.workbook_dirty = False

    def put(self, name: str, data: bytes) -> None:
        if name not in self.names and name not in self.added:
            self.added.append(name)
        self.changed[name] = data

    def new_rel(self, kind: str, part: str) -> str:
        used = {el.get("Id") for el in self.rels}
        n = len(used) + 1
        while f"rId{n}" in used:
            n += 1
        etree.SubElement(self.rels, q(NS_PKG_REL, "Relationship"),
                         Id=f"rId{n}", Type=self.ns.rel_type(kind), Target=relative_target(self.workbook_part, part))
        self.index_dirty = True
        return f"rId{n}"

    def override(self, part: str, content_type: str) -> None:
        name = "/" + part
        types = self.index.content_types
        for el in types:
            if local(el) == "Override" and el.get("PartName") == name:
                if el.get("ContentType") != content_type:
                    el.set("ContentType", content_type)
                    self.index_dirty = True
                return
        etree.SubElement(types, q(NS_CT, "Override"), PartName=name, ContentType=content_type)
        self.index_dirty = True

    def free_sheet_part(self) -> str:
        taken = {n.lower() for n in self.names} | {n.lower() for n in self.added}
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in taken:
            n += 1
        return f"xl/worksheets/sheet{n}.xml"

    def main(self, tag: str) -> str:
        return q(self.ns.main, tag)


def _styles_part(pkg: _Package) -> str:
    part = pkg.index.workbook_target("styles")
    if part is not None:
        return part
    part = posixpath.join(posixpath.dirname(pkg.workbook_part), "styles.xml")
    pkg.new_rel("styles", part)
    pkg.override(part, CT_STYLES)
    return part


# ---------------------------------------------------------------- whose sheet is it

def _own_name(pkg: _Package) -> Optional[etree._Element]:
    names = pkg.workbook.find(pkg.main("definedNames"))
    for el in names if names is not None else []:
        if local(el) == "definedName" and el.get("name") == OWN_NAME and el.get("localSheetId") is None:
            return el
    return None


def _marked_sheet(pkg: _Package) -> Optional[str]:
    """The sheet OWN_NAME points at ('#REF!' once that sheet was deleted: None)."""
    el = _own_name(pkg)
    return None if el is None else marked_sheet(el.text)


def _first_cells(pkg: _Package, entry: SheetEntry) -> tuple[list, list]:
    """Row 1 and column A of a sheet, as the reader sees them (shared or inline strings alike)."""
    from addin.workbook.read.xlsx import Package as Reader

    try:
        grid = Reader(pkg.zf).read_sheet(entry.name, entry.part)
    except Exception:  # a sheet the reader cannot read is not one PlanReport wrote
        return [], []
    row1 = [grid.cell(1, c).value if grid.cell(1, c) else None for c in range(1, len(INDICATOR_HEADER) + 1)]
    col_a = [row[0].value for row in grid.rows if row and row[0] is not None]
    return row1, col_a


def _is_own(pkg: _Package, entry: SheetEntry, marked: Optional[str], any_mark: bool) -> bool:
    if entry.kind != "worksheet" or not entry.part or entry.part not in pkg.names:
        return False
    if sum(e.part == entry.part for e in pkg.index.sheets()) > 1:
        return False  # a part another sheet shows too: replacing it would change that sheet
    row1, col_a = _first_cells(pkg, entry)
    return is_own_sheet(entry.name, row1, col_a, marked, any_mark)


def choose_target(sheets: Iterable[str], is_own: Callable[[str], bool], fallback: bool,
                  label: str) -> tuple[str, Optional[str]]:
    """Where 核算结果 goes among ``sheets``: (its name, the existing sheet of that name to replace,
    or None to add one). A sheet of that name that ``is_own`` does not claim is the user's: with
    ``fallback`` the next name is tried, else the one-line refusal. The file write-back and the
    Excel add-in both decide here, so they refuse the same sheets in the same words."""
    # Excel compares sheet names case-insensitively: 核算结果（planreport） is the same name.
    existing = {n.casefold(): n for n in sheets}
    for name in (SHEET_NAME, ALT_SHEET_NAME) if fallback else (SHEET_NAME,):
        found = existing.get(name.casefold())
        if found is None:
            return name, None
        if is_own(found):
            return found, found
    refusal = BOTH_TAKEN if fallback else TAKEN
    raise PlanReportError(f"{label}: " + refusal.format(name=SHEET_NAME, alt=ALT_SHEET_NAME))


def _target_sheet(pkg: _Package, fallback: bool) -> tuple[str, Optional[SheetEntry]]:
    """(name, existing entry to replace | None to add a new sheet)."""
    entries = {e.name: e for e in pkg.index.sheets()}
    marked = _marked_sheet(pkg)
    any_mark = _own_name(pkg) is not None
    name, found = choose_target(entries, lambda n: _is_own(pkg, entries[n], marked, any_mark), fallback, pkg.label)
    return name, (entries[found] if found is not None else None)


def _mark(pkg: _Package, sheet: str) -> None:
    """Point OWN_NAME at ``sheet``'s header row; leave workbook.xml alone when it already does."""
    el = _own_name(pkg)
    if el is not None and _marked_sheet(pkg) == sheet:
        return
    if el is None:
        names = pkg.workbook.find(pkg.main("definedNames"))
        if names is None:
            names = etree.Element(pkg.main("definedNames"))
            anchor = None
            for child in pkg.workbook:
                if local(child) in _BEFORE_DEFINED_NAMES:
                    anchor = child
            if anchor is None:
                pkg.workbook.insert(0, names)
            else:
                anchor.addnext(names)
        # Hidden: the statistician's Name Manager stays theirs; the mark is PlanReport's business.
        el = etree.SubElement(names, pkg.main("definedName"), name=OWN_NAME, hidden="1")
    el.text = own_name_formula(sheet)
    pkg.workbook_dirty = True


def _results_sheet_part(pkg: _Package, fallback: bool) -> tuple[str, bool]:
    """(part name, existed): the existing own sheet's part to replace, or a new one appended last."""
    sheets = pkg.workbook.find(pkg.main("sheets"))
    if sheets is None:
        raise PlanReportError(f"{pkg.label}: 工作簿没有工作表列表，无法写回")
    name, entry = _target_sheet(pkg, fallback)
    _mark(pkg, name)
    if entry is not None:
        return entry.part, True
    part = pkg.free_sheet_part()
    rid = pkg.new_rel("worksheet", part)
    ids = [int(s.get("sheetId")) for s in sheets if local(s) == "sheet" and (s.get("sheetId") or "").isdigit()]
    # Appended last: localSheetId of defined names (an index into this list) stay valid.
    el = etree.SubElement(sheets, pkg.main("sheet"), name=name, sheetId=str(max(ids, default=0) + 1))
    el.set(q(pkg.ns.rel, "id"), rid)
    pkg.override(part, CT_WORKSHEET)
    pkg.workbook_dirty = True
    return part, False


def _add_title_of_part(pkg: _Package, existing_sheets: list[str], sheet: str) -> None:
    """List the new sheet in docProps/app.xml beside the other worksheet titles.

    The heading is localised ("Worksheets", "工作表"), so the worksheet group is the one
    holding the workbook's sheet names. app.xml only describes the file (no application
    reads sheets from it), so one that is missing, empty, malformed or of an unexpected
    shape is left exactly as it is."""
    if APP_XML not in pkg.names or not existing_sheets:
        return
    try:
        app = parse_xml(pkg.zf.read(APP_XML), APP_XML)
    except PackageError:
        return
    children = {local(el): el for el in app}
    pairs = next((el for el in children.get("HeadingPairs", []) if local(el) == "vector"), None)
    titles = next((el for el in children.get("TitlesOfParts", []) if local(el) == "vector"), None)
    if pairs is None or titles is None:
        return
    vt = etree.QName(titles).namespace
    variants = [el for el in pairs if local(el) == "variant"]
    title_els = [el for el in titles if local(el) == "lpstr"]
    if sheet in [t.text for t in title_els]:
        return
    start = 0
    for name_var, count_var in zip(variants[0::2], variants[1::2]):
        count_el = next((el for el in count_var if local(el) == "i4"), None)
        if count_el is None or not (count_el.text or "").strip().isdigit():
            return
        count = int(count_el.text)
        group = [t.text for t in title_els[start:start + count]]
        if count and existing_sheets[-1] in group and start + count <= len(title_els):
            new = etree.Element(q(vt, "lpstr") if vt else "lpstr")
            new.text = sheet
            title_els[start + count - 1].addnext(new)
            count_el.text = str(count + 1)
            titles.set("size", str(len(title_els) + 1))
            pkg.put(APP_XML, serialise(app))
            return
        start += count


def splice(src_path, dst: BinaryIO, result_json: dict, label: str, *, fallback: bool = False,
           signed_ok: bool = False) -> None:
    """Write ``src_path`` with `核算结果` added or replaced to the open binary file ``dst``."""
    try:
        _splice(src_path, dst, result_json, label, fallback, signed_ok)
    except PackageError as exc:
        raise PlanReportError(f"{label}: {exc}，无法写回核算结果；请在 Excel 中打开并另存后重试") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PlanReportError(f"{label}: 不是有效的 .xlsx/.xlsm 文件（压缩包损坏：{exc}）") from None


def _splice(src_path, dst: BinaryIO, result_json: dict, label: str, fallback: bool, signed_ok: bool) -> None:
    with zipfile.ZipFile(src_path) as zf:
        pkg = _Package(zf, label)
        signatures = pkg.index.signatures()
        if signatures and not signed_ok:
            shown = "、".join(signatures[:2]) + ("等" if len(signatures) > 2 else "")
            raise PlanReportError(f"{label}: " + SIGNED.format(parts=shown))
        existing = [s.name for s in pkg.index.sheets()]
        styles_part = _styles_part(pkg)
        styles_in = zf.read(styles_part) if styles_part in pkg.names else None
        styles_out, style_ids = ensure_styles(styles_in, pkg.ns.main)
        if styles_out != styles_in:
            pkg.put(styles_part, styles_out)
        part, existed = _results_sheet_part(pkg, fallback)
        pkg.put(part, sheet_xml(result_json, style_ids, pkg.ns.main))
        if not existed:
            _add_title_of_part(pkg, existing, [s.name for s in pkg.index.sheets()][-1])
        if pkg.workbook_dirty:
            pkg.put(pkg.workbook_part, serialise(pkg.workbook))
        if pkg.index_dirty:
            pkg.put(pkg.index.workbook_rels_part, serialise(pkg.rels))
            pkg.put(CONTENT_TYPES, serialise(pkg.index.content_types))
        # A results sheet we wrote has no rels; one that Excel re-saved may have, pointing
        # at parts that belonged to the sheet we are replacing.
        drop = {rels_part(part)} if existed else set()
    ziprewrite.rewrite(src_path, dst, pkg.changed, pkg.added, drop=drop)
