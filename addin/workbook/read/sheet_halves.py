"""One big sheet's XML read in two processes, the cells coming out exactly as one reader makes them.

Reading is Python work per element (expat's callbacks build each Cell), about 40 % of a
50,000-indicator check, and a desk machine has a second CPU doing nothing meanwhile. So a sheet
above ``SPLIT_BYTES`` is cut at a ``<row r="…">`` near the middle. A forked child parses the whole
document with expat, unobserved up to the cut (C speed) and with a fresh reader's callbacks from
there, while this process reads up to the cut; the child hands its cells back through a pipe as
plain tuples (pickling Cell objects would cost more than reading them).

Nothing here may change what the reader gives, its messages included, so the child's cells are
used only when all of this holds, and otherwise the sheet is read again from the start in one
process (``read_in_two`` returns None), which is exactly the old reader:

- in the child, the first element after the cut starts at the cut and is a ``row`` (the bytes
  ``<row`` there are a tag, not text in a comment or a CDATA section), and the whole document
  parsed without any error, the reader's included;
- here, the reader got to the cut without an error and stands between cells there (no cell,
  value, text or phonetic run open: ``handlers_and_probe``). A fresh reader differs from it only
  in lists that nothing after that point reads, so the child's callbacks make what this
  process's would have made.

A broken sheet is therefore read twice (its message stays the same). Machines without ``fork``
(Windows), with one CPU, or a process running threads, read in one process (addin/common/forked.py).
"""
from __future__ import annotations

import zipfile
from typing import Optional

from addin.common import forked
from addin.common.model import Cell, SheetGrid
from addin.workbook.read.plain_sheet import read_plain
from addin.workbook.read.xlsx import _EMPTY_ROW, Package, _SheetBuilder, feed, new_parser

SPLIT_BYTES = 2 << 20  # below this the fork and the hand-over cost about what the second CPU saves
MAX_BYTES = 256 << 20  # the guard's per-member limit: the split holds the whole member in memory
PARENT_SHARE = 0.56  # of the sheet read here: the child also parses the first part unobserved, this process rebuilds its cells


def read_sheets(zf: zipfile.ZipFile) -> dict[str, SheetGrid]:
    """Every sheet of the package: each big one read by two processes where that pays, the others
    (and any the split gives up on) by ``Package.read_sheet``."""
    pkg = Package(zf)
    return {name: read_plain(pkg, name, member) or read_in_two(pkg, name, member) or pkg.read_sheet(name, member)
            for name, member in pkg.sheets}


def read_in_two(pkg: Package, name: str, member: str) -> Optional[SheetGrid]:
    """The sheet read by two processes, or None: not worth it, or anything unexpected (read it in one)."""
    if name in pkg.other_tabs:  # a chart sheet: no cells (read_sheet says so)
        return None
    try:
        size = pkg.zf.getinfo(member).file_size
    except KeyError:
        return None
    if not SPLIT_BYTES <= size <= MAX_BYTES or not forked.worth_forking():
        return None
    try:
        data = pkg.zf.read(member)
    except Exception:  # a damaged member: the one-process reader says what is wrong
        return None
    cut = data.find(b'<row r="', int(len(data) * PARENT_SHARE))
    if cut < 0:
        return None
    try:
        child = forked.Child(lambda: _read_from_cut(pkg, name, data, cut))
    except OSError:  # a process limit, or no memory for a second process: read in this one
        return None
    with child:
        try:
            return _parent(pkg, name, data, cut, child)
        except Exception:  # the parent's own part, or the child's answer: read it all again in one process
            return None


def _parent(pkg, name: str, data: bytes, cut: int, child: forked.Child) -> Optional[SheetGrid]:
    grid = SheetGrid(name=name)
    start, end, chars, between_cells = _SheetBuilder(grid, pkg).handlers_and_probe()
    feed(new_parser(start, end, chars), memoryview(data)[:cut])  # the rest is the child's, and its to check
    if not between_cells():
        return None
    at_cut, rows, merged = child.answer()
    if not at_cut:
        return None
    _take_rows(grid, rows)
    grid.merged.extend(merged)
    return grid


def _read_from_cut(pkg, name: str, data: bytes, cut: int) -> tuple:
    """(whether the cut is where a row element starts, the rows from there, the merges)."""
    grid = SheetGrid(name=name)
    parser = new_parser(None, None)
    view = memoryview(data)
    feed(parser, view[:cut])  # checked for well-formedness only: the parent reads these cells
    start, end, chars = _SheetBuilder(grid, pkg).handlers()
    at_cut: list[bool] = []

    def first_start(tag, attrs):
        at_cut.append(tag == "row" and parser.CurrentByteIndex == cut)
        parser.StartElementHandler = start
        start(tag, attrs)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = first_start, end, chars
    feed(parser, view[cut:])
    parser.Parse(b"", True)
    if at_cut != [True]:
        return False, None, None
    return True, _rows_of(grid), grid.merged


def _rows_of(grid: SheetGrid) -> list:
    """(row number, [cell fields or None per column]) of each row holding a cell."""
    out = []
    for r, line in enumerate(grid.rows, 1):
        if line:
            out.append((r, [(c.value, c.text, c.number_format, c.underline, c.error, c.formula, c.uncached)
                            if c is not None else None for c in line]))
    return out


def _take_rows(grid: SheetGrid, rows: list) -> None:
    """The child's rows placed after this process's own, as one reader would have placed them in turn."""
    sheet, lines = grid.name, grid.rows
    for r, fields in rows:
        made = [Cell(sheet, r, c, *f) if f is not None else None for c, f in enumerate(fields, 1)]
        if len(lines) < r:
            lines.extend([_EMPTY_ROW] * (r - len(lines)))
        if lines[r - 1] is _EMPTY_ROW:
            lines[r - 1] = made
            continue
        for c, cell in enumerate(made, 1):  # a row number both parts used: later cells win, as in one pass
            if cell is not None:
                _SheetBuilder._place(lines, r, c, cell)
