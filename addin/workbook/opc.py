"""Part names in an OPC (zip) package, shared by the guard, the reader and write-back.

A relationship Target is a URI reference: absolute ('/xl/styles.xml') from the
package root, otherwise relative to the folder of the part whose .rels holds it,
with '.' and '..' segments removed either way (RFC 3986, as OPC resolves them).
"""
from __future__ import annotations

import posixpath


def rels_part(part: str) -> str:
    """'xl/workbook.xml' -> 'xl/_rels/workbook.xml.rels'; '' (the package) -> '_rels/.rels'."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """The zip member a relationship of ``source_part`` points at."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))
