"""docxtpl with the per-process work done once: template file read, XML patched, Jinja compiled.

A DocxTemplate changes itself while rendering, so every report gets a new one, parsed from
bytes kept in memory; what is shared is only what depends on the template alone: its bytes
(keyed by path, mtime and size, so an edited template is read again), docxtpl's patched XML
and the compiled Jinja template (both keyed by their source text, so they cannot go stale;
the compiled code is also kept on disk, jinja_cache).

Most of a template is never touched by a render: styles (350 KB in summary.docx), numbering,
settings, theme, fonts. Those parts are loaded lazily (parsed only if something reads them)
and written back as the template's own compressed bytes, so each report neither parses nor
recompresses them.

A template docx_direct covers (the shipped one, and one restyled in Word) is not loaded into
python-docx per report at all; the docxtpl steps both paths take (render_part, body_tree,
the Word environment) are functions here that need no docxtpl import.
"""
from __future__ import annotations

import io
import struct
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

ZIP_DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1  # 2000-01-01
ZIP_DOS_TIME = 0
FILE_ATTRS = 0o600 << 16


class _Memo(OrderedDict):
    """A small LRU map from source text to what was built from it."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or_make(self, key: str, make: Callable[[str], object]):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make(key)
        if len(self) > self.size:
            self.popitem(last=False)
        return value


@lru_cache(maxsize=8)
def _bytes(path: str, mtime_ns: int, size: int) -> bytes:
    return Path(path).read_bytes()


def template_bytes(path: Path) -> bytes:
    stat = path.stat()
    return _bytes(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


# Parts a render reads at most: parsed on first use, else copied from the template as they are.
LAZY_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")


@lru_cache(maxsize=1)
def _lazy_classes() -> dict:
    """content type -> a subclass of python-docx's part class that parses its XML on first use."""
    from docx.opc.part import PartFactory
    from docx.oxml.parser import parse_xml

    made = {}
    for content_type in LAZY_TYPES:
        base = PartFactory.part_type_for.get(content_type)
        if base is None:
            continue

        class Lazy(base):
            raw: Optional[bytes] = None
            _tree = None

            @classmethod
            def load(cls, partname, content_type, blob, package):
                part = cls(partname, content_type, None, package)
                part.raw = blob
                return part

            @property
            def _element(self):
                if self._tree is None and self.raw is not None:
                    self._tree, self.raw = parse_xml(self.raw), None
                return self._tree

            @_element.setter
            def _element(self, value):
                self._tree = value

            @property
            def blob(self):
                return self.raw if self.raw is not None else super().blob

            @property
            def untouched(self) -> bool:
                return self.raw is not None

        Lazy.__name__ = Lazy.__qualname__ = "Lazy" + base.__name__
        made[content_type] = Lazy
    return made


@lru_cache(maxsize=4)
def _stored(data: bytes) -> bytes:
    """The template re-zipped without compression: python-docx reads every member at load, and
    inflating 800 KB of styles for each report is wasted (the output copies the compressed ones)."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, member in _members(data).items():
            z.writestr(name, member)
    return buf.getvalue()


def open_document(data: bytes):
    """python-docx's Document of the template bytes, its rarely read parts left unparsed."""
    from docx import Document
    from docx.opc.part import PartFactory

    lazy = _lazy_classes()
    saved = {ct: PartFactory.part_type_for[ct] for ct in lazy}
    PartFactory.part_type_for.update(lazy)  # only while this package loads
    try:
        return Document(io.BytesIO(_stored(data)))
    finally:
        PartFactory.part_type_for.update(saved)


def template_members(data: bytes) -> dict[str, bytes]:
    """The template's members, uncompressed (kept per template bytes: do not change them)."""
    return _members(data)


@lru_cache(maxsize=4)
def _members(data: bytes) -> dict[str, bytes]:
    """The template's members, uncompressed, to tell which parts a render left as they were."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist() if not info.is_dir()}


def template_classes():
    """(the DocxTemplate subclass, the shared Jinja environment for Word templates)."""
    return _classes()


_with_paragraph_breaks = _Memo(16)


@lru_cache(maxsize=1)
def word_environment():
    """The Jinja environment Word templates render with (without importing docxtpl): compiled
    templates are kept per source text, here and on disk (jinja_cache)."""
    from addin.render.jinja_cache import environment_class

    compiled = _Memo(64)  # body, header, footer and core-property strings of a few templates

    class CompilingEnvironment(environment_class()):
        def from_string(self, source, globals=None, template_class=None):
            if globals or template_class or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            return compiled.get_or_make(source, super().from_string)

    # autoescape: cell text such as "<script>" or "A&B" must reach Word as text, not XML.
    return CompilingEnvironment(autoescape=True)


def render_part(src_xml: str, context: dict, env) -> str:
    """docxtpl's render_xml_part up to its resolve_listing, with its two regex passes over every
    paragraph tag done as plain replacements (the same text: each pattern is "<w:p" plus " " or
    ">"), the first once per template source."""
    import re

    from jinja2.exceptions import TemplateError

    src_xml = _with_paragraph_breaks.get_or_make(
        src_xml, lambda x: x.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>"))
    try:
        dst_xml = env.from_string(src_xml).render(context)
    except TemplateError as exc:
        if getattr(exc, "lineno", None) is not None:
            line_number = max(exc.lineno - 4, 0)
            exc.docx_context = map(lambda x: re.sub(r"<[^>]+>", "", x),
                                   src_xml.splitlines()[line_number:line_number + 7])
        raise exc
    dst_xml = dst_xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    return dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


def needs_listing(xml: str) -> bool:
    """Only tabs, line and page breaks in text need docxtpl's resolve_listing, a regex pass over
    the whole document; the phrasebook and the cells (cleaned by phrasing.clean) bring none."""
    return any(ch in xml for ch in "\t\a\n\f")


def body_tree(xml: str):
    """docxtpl's fix_tables parse of the rendered body, when its table fix changes nothing: docxtpl
    rescales a table's grid only when a row has more cells than grid columns or all rows have
    fewer (its per-cell reduce costs ~3 ms a report). None when a table needs it."""
    from lxml import etree

    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    return tree if _grids_fit(tree) else None


@lru_cache(maxsize=1)
def _classes():
    """Defined on first use so that importing this module does not import docxtpl."""
    from docxtpl import DocxTemplate

    patched = _Memo(16)

    class Template(DocxTemplate):
        def patch_xml(self, src_xml):
            return patched.get_or_make(src_xml, super().patch_xml)

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            self.current_rendering_part = part
            return self.resolve_listing(render_part(src_xml, context, jinja_env or word_environment()))

        def resolve_listing(self, xml):
            return super().resolve_listing(xml) if needs_listing(xml) else xml

        def fix_tables(self, xml):
            tree = body_tree(xml)
            return tree if tree is not None else super().fix_tables(xml)

    return Template, word_environment()


def _grids_fit(tree) -> bool:
    """True when docxtpl's fix_tables would change no table of ``tree`` (see Template.fix_tables)."""
    ns = "{" + tree.nsmap.get("w", "") + "}"
    if ns == "{}":
        return False
    tbl, grid, col, tr, tc = (ns + t for t in ("tbl", "tblGrid", "gridCol", "tr", "tc"))
    for t in tree.iter(tbl):
        tbl_grid = t.find(grid)
        if tbl_grid is None or next(t.iter(ns + "gridSpan"), None) is not None:
            return False
        columns = len(tbl_grid.findall(col))
        widest = max((len(r.findall(tc)) for r in t.iter(tr)), default=0)
        if widest != columns:  # more cells: columns added; fewer in every row: columns removed
            return False
    return True


def load(path: Path):
    """A fresh DocxTemplate of the file at path, and the shared environment to render it with."""
    template_class, env = _classes()
    data = template_bytes(path)
    tpl = template_class(io.BytesIO(data))
    tpl.docx = open_document(data)  # docxtpl renders the document it finds loaded
    tpl.template_data = data
    return tpl, env


def written_members(package) -> tuple[dict[str, bytes], set[str]]:
    """What python-docx would write for ``package``: {member: bytes} for every part it holds in
    memory (parts left lazy and untouched are not listed: the template's bytes stay), and the
    names of all members it writes."""
    from docx.opc.pkgwriter import _ContentTypesItem

    out: dict[str, bytes] = {}
    parts = list(package.iter_parts())
    out["[Content_Types].xml"] = _ContentTypesItem.from_parts(parts).blob
    out["_rels/.rels"] = package.rels.xml
    for part in parts:
        name = part.partname.membername
        if not getattr(part, "untouched", False):
            out[name] = part.blob
        if len(part.rels):
            out[part.partname.rels_uri.membername] = part.rels.xml
    written = {p.partname.membername for p in parts} | {p.partname.rels_uri.membername for p in parts if len(p.rels)}
    written |= {"[Content_Types].xml", "_rels/.rels"}
    return out, written


def save(tpl, out: Path) -> Path:
    """Write the rendered package once: changed parts anew, the rest as the template's own bytes,
    every entry dated alike so equal content gives equal bytes."""
    members, written = written_members(tpl.docx.part.package)
    return save_members(tpl.template_data, members, written, out)


def save_members(template: bytes, members: dict[str, bytes], written: set[str], out: Path) -> Path:
    """The template with ``members`` that differ from its own replaced (or added, in their order),
    and the members not in ``written`` dropped."""
    from addin.workbook.writeback.ziprewrite import rewrite

    before = _members(template)
    replace = {name: data for name, data in members.items() if before.get(name) != data}
    new = [name for name in replace if name not in before]
    buf = io.BytesIO()
    rewrite(io.BytesIO(template), buf, replace, new, set(before) - written)
    out.write_bytes(fixed_times(buf.getbuffer()))
    return out


def save_document(document, out: Path) -> Path:
    """A python-docx Document (the template builder's) written with fixed entry times."""
    buf = io.BytesIO()
    document.save(buf)
    out.write_bytes(fixed_times(buf.getbuffer()))
    return out


def fixed_times(data) -> bytes:
    """The same zip with every entry dated 2000-01-01 00:00 and mode 0600.

    Only the date, time and attribute fields change, so nothing is decompressed or
    compressed again (python-docx stamps each entry with the current time).
    """
    buf = bytearray(data)
    end = buf.rfind(b"PK\x05\x06")
    if end < 0:
        raise ValueError("not a zip archive")
    count, _, central = struct.unpack_from("<HII", buf, end + 10)
    at = central
    for _ in range(count):
        if buf[at:at + 4] != b"PK\x01\x02":
            raise ValueError("damaged zip central directory")
        struct.pack_into("<HH", buf, at + 12, ZIP_DOS_TIME, ZIP_DOS_DATE)
        struct.pack_into("<I", buf, at + 38, FILE_ATTRS)
        local = struct.unpack_from("<I", buf, at + 42)[0]
        struct.pack_into("<HH", buf, local + 10, ZIP_DOS_TIME, ZIP_DOS_DATE)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, at + 28)
        at += 46 + name_len + extra_len + comment_len
    return bytes(buf)
