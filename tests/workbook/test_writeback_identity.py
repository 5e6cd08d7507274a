"""A colleague (or Excel's autosave) saves the workbook while a refresh runs: their version stays.

The saves are made for real by a second process, the moment the refresh is provably
in the middle of its work (its temporary report folder or its temporary workbook exists).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from addin.common.errors import PlanReportError
from addin.workbook.files import identify, temp_prefix
from addin.workbook.writeback import write_results
from writeback_support import make_workbook, result_json_from

ROOT = Path(__file__).resolve().parents[2]

# Waits until a file whose name starts with argv[2] appears in folder argv[1], then saves
# argv[4] over workbook argv[3] the way argv[5] says: "replace" (Excel: new file, renamed
# over) or "in_place" (rewritten through the same inode).
SAVER = """
    import os, sys, time
    folder, prefix, workbook, theirs, how = sys.argv[1:6]
    deadline = time.monotonic() + 120
    print("watching", flush=True)
    while not any(n.startswith(prefix) for n in os.listdir(folder)):
        if time.monotonic() > deadline:
            sys.exit("never saw " + prefix)
        time.sleep(0.0005)
    data = open(theirs, "rb").read()
    if how == "replace":
        tmp = workbook + ".saving"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, workbook)
    else:
        with open(workbook, "r+b") as f:
            f.truncate(0)
            f.write(data)
    print("saved", flush=True)
"""


def _saver(folder: Path, prefix: str, workbook: Path, theirs: Path, how: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SAVER), str(folder), prefix, str(workbook),
                             str(theirs), how], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "watching"
    return proc


def _their_version(book: Path, folder: Path) -> Path:
    """The colleague's edit: a changed 完成情况 cell, saved by another program."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["附件1"]["E2"] = "5.6%"
    theirs = folder / "theirs.xlsx"
    wb.save(theirs)
    return theirs


@pytest.mark.parametrize("how", ["replace", "in_place"])
def test_save_while_the_reports_are_rendered(tmp_path, how):
    book = make_workbook(tmp_path / "达拉特旗.xlsx")
    theirs = _their_version(book, tmp_path)
    out = tmp_path / "报告"
    out.mkdir()
    saver = _saver(out, ".planreport-tmp-", book, theirs, how)
    proc = subprocess.run([sys.executable, "-m", "addin", "refresh", str(book), "--out", str(out), "--format",
                           "docx,html"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert saver.wait(60) == 0 and saver.stdout.read().strip() == "saved", saver.stderr.read()
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "已保留对方保存的版本" in lines[0], proc.stderr
    assert book.read_bytes() == theirs.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".planreport-tmp")]


def _big_result(book: Path, copies: int) -> dict:
    """Many indicator rows, so that building the new workbook takes a noticeable while."""
    data = result_json_from(book)
    data["indicators"] = data["indicators"] * copies
    return data


@pytest.mark.parametrize("how", ["replace", "in_place"])
def test_save_while_the_new_version_is_being_written(tmp_path, how):
    book = make_workbook(tmp_path / "准格尔旗.xlsx")
    theirs = _their_version(book, tmp_path)
    saver = _saver(tmp_path, temp_prefix(book), book, theirs, how)
    with pytest.raises(PlanReportError, match="已保留对方保存的版本") as err:
        write_results(book, _big_result(book, 600))
    assert saver.wait(60) == 0, saver.stderr.read()
    assert err.value.exit_code == 2
    assert book.read_bytes() == theirs.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".planreport-tmp")]


def test_same_size_and_time_but_other_content_is_caught(tmp_path):
    """inode, size and mtime_ns can all stay the same (an in-place edit, the time set back):
    the content hash still tells."""
    book = make_workbook(tmp_path / "伊金霍洛旗.xlsx")
    read = identify(book)
    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo("docProps/core.xml")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0x01  # one byte of one member's data
    with open(book, "r+b") as f:
        f.write(data)
    os.utime(book, ns=(read.mtime_ns, read.mtime_ns))
    st = book.stat()
    assert (st.st_ino, st.st_size, st.st_mtime_ns) == (read.inode, read.size, read.mtime_ns)
    changed = book.read_bytes()
    with pytest.raises(PlanReportError, match="已保留对方保存的版本"):
        write_results(book, result_json_from(make_workbook(tmp_path / "copy.xlsx")), expected=read)
    assert book.read_bytes() == changed


def test_unchanged_file_is_written(tmp_path):
    book = make_workbook(tmp_path / "鄂托克旗.xlsx")
    write_results(book, result_json_from(book), expected=identify(book))
    with zipfile.ZipFile(book) as zf:
        assert "核算结果" in zf.read("xl/workbook.xml").decode()
