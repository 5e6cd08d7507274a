"""The package layer of a workbook (OPC, ECMA-376 part 2), shared by the guard, the reader and write-back.

One place knows where the workbook part is (the package relationship of type
officeDocument, not always ``xl/workbook.xml``), how relationship targets resolve,
which content types and relationships the package declares, and whether the
workbook is Transitional or Strict Open XML (Excel's "Strict Open XML" save uses
other namespaces and relationship types; the package parts themselves — content
types, package relationships — are the same in both).

Parts are parsed with lxml, never resolving entities or fetching anything; the
guard has refused DTDs before any part gets here.

A relationship Target is a URI reference: absolute ('/xl/styles.xml') from the
package root, otherwise relative to the folder of the part whose .rels holds it,
with '.' and '..' segments removed either way (RFC 3986, as OPC resolves them).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from lxml import etree

from addin.common.errors import PlanReportError

CONTENT_TYPES = "[Content_Types].xml"
APP_XML = "docProps/app.xml"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_XML = "http://www.w3.org/XML/1998/namespace"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
# Package-level (both flavours): an XML-DSig signature over the parts (Office "数字签名").
REL_SIGNATURE_ORIGIN = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin"
SIGNATURE_FOLDER = "_xmlsignatures/"
VBA_SIGNATURE_PREFIX = "vbaprojectsignature"  # xl/vbaProjectSignature.bin, ...Agile.bin, ...V3.bin


@dataclass(frozen=True)
class Flavour:
    """Namespaces of one conformance class of SpreadsheetML."""

    name: str  # "transitional" | "strict"
    main: str  # spreadsheetml elements
    rel: str  # r:id attributes; also the base of the relationship types
    extended: str  # docProps/app.xml
    vt: str  # docProps variant types

    def rel_type(self, kind: str) -> str:
        """'worksheet' -> the relationship type URI of this flavour."""
        return f"{self.rel}/{kind}"


TRANSITIONAL = Flavour(
    "transitional",
    main="http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    extended="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
)
STRICT = Flavour(
    "strict",
    main="http://purl.oclc.org/ooxml/spreadsheetml/main",
    rel="http://purl.oclc.org/ooxml/officeDocument/relationships",
    extended="http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
    vt="http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
)
FLAVOURS = (TRANSITIONAL, STRICT)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


class PackageError(PlanReportError):
    """A package part is missing or is not well-formed XML."""


def rels_part(part: str) -> str:
    """'xl/workbook.xml' -> 'xl/_rels/workbook.xml.rels'; '' (the package) -> '_rels/.rels'."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """The zip member a relationship of ``source_part`` points at."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative_target(source_part: str, part: str) -> str:
    """The Target a relationship of ``source_part`` writes for ``part``."""
    return posixpath.relpath(part, posixpath.dirname(source_part))


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def parse_xml(data: bytes, part: str = "") -> etree._Element:
    """A part's root element; PackageError naming the part when it is empty or not XML."""
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise PackageError(f"部件 {part or '?'} 不是有效的 XML（{str(exc).splitlines()[0] if str(exc) else '空'}）") from None
    if root is None:
        raise PackageError(f"部件 {part or '?'} 是空的")
    return root


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def kind_of(rel_type: str) -> str:
    """The last segment of a relationship type ('…/relationships/worksheet' -> 'worksheet'),
    when the type belongs to either flavour; '' for foreign types (Microsoft extensions)."""
    base, _, kind = (rel_type or "").rpartition("/")
    return kind if base in (f.rel for f in FLAVOURS) else ""


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # as written
    external: bool

    @property
    def kind(self) -> str:
        return kind_of(self.type)

    def part(self, source_part: str) -> str:
        return self.target if self.external else resolve_target(source_part, self.target)


def relationships(root: Optional[etree._Element]) -> list[Relationship]:
    if root is None:
        return []
    return [Relationship(el.get("Id") or "", el.get("Type") or "", el.get("Target") or "",
                         el.get("TargetMode") == "External")
            for el in root if local(el) == "Relationship"]


@dataclass(frozen=True)
class SheetEntry:
    """One <sheet> of the workbook part: its tab name and the part its relationship names."""

    name: str
    sheet_id: str
    rid: str
    part: str  # '' when the relationship is missing or external
    kind: str  # 'worksheet', 'chartsheet', ... ('' when unknown)


class PackageIndex:
    """The index of a workbook package: package rels, workbook part, its rels, content types.

    Built from ``read(name) -> bytes | None`` (None: no such member), so the guard can
    feed it bounded, vetted bytes and the reader and write-back a ZipFile.
    The trees are lxml elements; write-back edits them in place and serialises them.
    """

    def __init__(self, read: Callable[[str], Optional[bytes]], names: Iterable[str]):
        self._read = read
        self.names = set(names)
        self.root_rels = self._tolerant_rels(read(rels_part("")))
        office = next((r for r in self.root_rels if r.kind == "officeDocument" and not r.external), None)
        if office is not None:
            self.workbook_part = office.part("")
        elif "xl/workbook.xml" in self.names:
            self.workbook_part = "xl/workbook.xml"  # package rels missing: where every writer puts it
        else:
            raise PackageError("找不到工作簿主体（缺少 officeDocument 关系和 xl/workbook.xml）")
        data = read(self.workbook_part)
        if data is None:
            raise PackageError(f"缺少工作簿主体部件 {self.workbook_part}")
        self.workbook = parse_xml(data, self.workbook_part)
        self.flavour = STRICT if etree.QName(self.workbook).namespace == STRICT.main else TRANSITIONAL
        self.workbook_rels_part = rels_part(self.workbook_part)
        rels_data = read(self.workbook_rels_part)
        self.rels_tree = (parse_xml(rels_data, self.workbook_rels_part) if rels_data
                          else etree.Element(q(NS_PKG_REL, "Relationships")))
        self._content_types: Optional[etree._Element] = None

    @staticmethod
    def _tolerant_rels(data: Optional[bytes]) -> list[Relationship]:
        """The package rels only say where the workbook part is, and every writer puts it at
        xl/workbook.xml: a broken _rels/.rels falls back to that, as Excel's repair does."""
        try:
            return relationships(parse_xml(data, rels_part(""))) if data else []
        except PackageError:
            return []

    @classmethod
    def from_zip(cls, zf) -> "PackageIndex":
        names = zf.namelist()
        present = set(names)
        return cls(lambda name: zf.read(name) if name in present else None, names)

    @property
    def workbook_rels(self) -> list[Relationship]:
        return relationships(self.rels_tree)

    @property
    def content_types(self) -> etree._Element:
        """[Content_Types].xml, parsed on first use (the reader never needs it)."""
        if self._content_types is None:
            data = self._read(CONTENT_TYPES)
            if data is None:
                raise PackageError(f"缺少部件 {CONTENT_TYPES}")
            self._content_types = parse_xml(data, CONTENT_TYPES)
        return self._content_types

    def override_type(self, part: str) -> Optional[str]:
        for el in self.content_types:
            if local(el) == "Override" and el.get("PartName") == "/" + part:
                return el.get("ContentType")
        return None

    def rel_by_id(self, rid: Optional[str]) -> Optional[Relationship]:
        return next((r for r in self.workbook_rels if r.id == rid), None)

    def workbook_target(self, kind: str) -> Optional[str]:
        """The part of the workbook's first relationship of ``kind`` ('styles', 'sharedStrings')."""
        rel = next((r for r in self.workbook_rels if r.kind == kind and not r.external), None)
        return rel.part(self.workbook_part) if rel else None

    def sheets(self) -> list[SheetEntry]:
        out = []
        rid_attr = q(self.flavour.rel, "id")
        container = self.workbook.find(q(self.flavour.main, "sheets"))
        for el in container if container is not None else []:
            if local(el) != "sheet":
                continue
            rid = el.get(rid_attr) or next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
            rel = self.rel_by_id(rid)
            part = rel.part(self.workbook_part) if rel is not None and not rel.external else ""
            out.append(SheetEntry(el.get("name") or "", el.get("sheetId") or "", rid, part, rel.kind if rel else ""))
        return out

    def signatures(self) -> list[str]:
        """Parts that sign the package or its VBA project: write-back would invalidate them."""
        found = [n for n in sorted(self.names) if n.startswith(SIGNATURE_FOLDER) and not n.endswith("/")]
        found += [n for n in sorted(self.names) if posixpath.basename(n).lower().startswith(VBA_SIGNATURE_PREFIX)]
        if not found and any(r.type == REL_SIGNATURE_ORIGIN for r in self.root_rels):
            found.append(SIGNATURE_FOLDER)
        return found
