"""docxtpl with the per-process work done once: template file read, XML patched, Jinja compiled.

A DocxTemplate changes itself while rendering, so every report gets a new one, parsed from
bytes kept in memory; what is shared is only what depends on the template alone: its bytes
(keyed by path, mtime and size, so an edited template is read again), docxtpl's patched XML
and the compiled Jinja template (both keyed by their source text, so they cannot go stale).
"""
from __future__ import annotations

import io
import struct
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Callable

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


@lru_cache(maxsize=1)
def _classes():
    """Defined on first use so that importing this module does not import docxtpl."""
    import jinja2
    from docxtpl import DocxTemplate

    compiled = _Memo(64)  # body, header, footer and core-property strings of a few templates
    patched = _Memo(16)

    class CompilingEnvironment(jinja2.Environment):
        def from_string(self, source, globals=None, template_class=None):
            if globals or template_class or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            return compiled.get_or_make(source, super().from_string)

    class Template(DocxTemplate):
        def patch_xml(self, src_xml):
            return patched.get_or_make(src_xml, super().patch_xml)

    # autoescape: cell text such as "<script>" or "A&B" must reach Word as text, not XML.
    return Template, CompilingEnvironment(autoescape=True)


def load(path: Path):
    """A fresh DocxTemplate of the file at path, and the shared environment to render it with."""
    template_class, env = _classes()
    return template_class(io.BytesIO(template_bytes(path))), env


def save(tpl, out: Path) -> Path:
    """Write the rendered package once, its entry times fixed so equal content gives equal bytes."""
    buf = io.BytesIO()
    tpl.save(buf)
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
