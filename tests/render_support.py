"""Helpers for the report tests: real chromium runs and workbooks built with openpyxl."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
DATE = "2026-01-28"
# Chromium's own housekeeping shows up in its net log whatever page it shows.
BROWSER_HOSTS = ("google.com", "googleapis.com", "gstatic.com", "googleusercontent.com")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(page: Path, tmp: Path, *, size=(1200, 3000), netlog: Path | None = None) -> Path:
    """Screenshot a page in headless Chromium; returns the PNG path."""
    shot = tmp / (page.stem + ".png")
    cmd = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp / ('profile-' + page.stem)}", f"--screenshot={shot}",
           f"--window-size={size[0]},{size[1]}", "--hide-scrollbars"]
    if netlog is not None:
        cmd.append(f"--log-net-log={netlog}")
    subprocess.run(cmd + [page.as_uri()], capture_output=True, timeout=60, check=False)
    return shot


def page_requests(netlog: Path) -> set[str]:
    """URLs the page asked for, from Chromium's net log, without the browser's own traffic."""
    urls = set(re.findall(r'"url":"([^"]+)"', netlog.read_text(encoding="utf-8", errors="replace")))
    return {u for u in urls
            if urlparse(u).scheme not in ("file", "data", "chrome", "about")
            and not (urlparse(u).hostname or "").endswith(BROWSER_HOSTS)}


def hostile_workbook(sample: Path, out: Path) -> Path:
    """The sample with indicator names a careless renderer would execute or mangle."""
    import openpyxl

    wb = openpyxl.load_workbook(sample)
    ws = wb["附件1"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "地区生产总值":
                cell.value = "<script>alert(1)</script>地区生产总值"
            elif cell.value == "节能减排":
                cell.value = '=HYPERLINK("http://evil.example/","节能减排")'
                cell.data_type = "s"  # typed as text, as a statistician pasting it would get
            elif cell.value == "即办件比率":
                cell.value = "即办件比率 & <b>"
    wb.save(out)
    return out


def names_of(result: dict) -> list[str]:
    return [i["name"] for i in result["indicators"]]


def dump(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True)


def copy_templates(dest: Path) -> Path:
    """An editable copy of the shipped templates folder, as a statistician makes one."""
    shutil.copytree(TEMPLATES, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def rewrite_member(docx: Path, name: str, change) -> None:
    """``docx`` with its member ``name`` replaced by ``change(old bytes)``."""
    import zipfile

    with zipfile.ZipFile(docx) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    members[name] = change(members[name])
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)


def remove_chart(docx: Path, mark: str | None = "{{ chart }}") -> None:
    """The template's chart and its relationship removed (an older template), ``mark`` in its place."""
    from docx import Document

    template = Document(str(docx))
    (para,) = [p for p in template.paragraphs if p._p.xpath(".//c:chart")]
    rid = para._p.xpath(".//c:chart/@r:id")[0]
    for run in list(para.runs):
        run._r.getparent().remove(run._r)
    template.part.drop_rel(rid)
    if mark:
        para.add_run(mark)
    template.save(str(docx))
