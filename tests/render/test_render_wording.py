"""One wording: each finding has one severity word and each status one word in every output —
核算结果, the terminal, Word and HTML — and a relative target always reads "与……同步"."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from addin.common.model import SEVERITY_WORDS, STATUS_WORDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def outputs(sample_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wording")
    book = tmp / "计划.xlsx"
    shutil.copy2(sample_path, book)
    env = dict(os.environ, COLUMNS="250")  # rich wraps at the terminal width; wide enough for one row a line
    run = lambda *a: subprocess.run([sys.executable, "-m", "addin", *map(str, a)], capture_output=True,  # noqa: E731
                                    text=True, cwd=ROOT, env=env, timeout=120)
    refreshed = run("refresh", book, "--out", tmp / "out", "--date", "2026-01-28")
    assert refreshed.returncode == 1, refreshed.stderr
    terminal = run("check", book).stdout
    doc = Document(str(tmp / "out" / "计划.docx"))
    word = "\n".join([p.text for p in doc.paragraphs]
                     + ["\t".join(c.text for c in row.cells) for t in doc.tables for row in t.rows])
    html = (tmp / "out" / "计划.html").read_text(encoding="utf-8")
    sheet = [r for r in openpyxl.load_workbook(book)["核算结果"].iter_rows(values_only=True)]
    return {"terminal": terminal, "word": word, "html": html, "sheet": sheet, "doc": doc}


@pytest.fixture(scope="module")
def findings(sample_json):
    return {f["cell"]: f["severity"] for f in sample_json["findings"]}


def test_one_severity_word_per_finding_everywhere(outputs, findings):
    assert set(findings.values()) == {"error", "warning", "info"}  # the sample has all three
    seen = {
        "核算结果": {r[2]: r[1] for r in outputs["sheet"] if r[2] in findings},
        "terminal": dict((c, w) for w, c in re.findall(r"^\[(\S+?)\] (\S+) ", outputs["terminal"], re.M)),
        "Word": dict((c, w) for w, c in re.findall(r"^【(\S+?)】([^（：\s]+)", outputs["word"], re.M)),
        "HTML": dict((c, w) for c, w in re.findall(r'<li data-cell="([^"]+)"><span class="severity">【(\S+?)】',
                                                    outputs["html"])),
    }
    expected = {cell: SEVERITY_WORDS[sev] for cell, sev in findings.items()}
    for where, words in seen.items():
        assert words == expected, where
    assert len(set(SEVERITY_WORDS.values())) == 3


def test_one_status_word_per_status_everywhere(outputs, sample_json):
    expected = {i["name"]: STATUS_WORDS[i["status"]] for i in sample_json["indicators"]}
    sheet = {r[2]: r[8] for r in outputs["sheet"] if r and r[0] == "附件1" and r[2] in expected}
    word = {row.cells[2].text: row.cells[6].text for row in outputs["doc"].tables[0].rows[1:]}
    html = {unescape(n): s for n, s in re.findall(
        r'<td class="name"[^>]*>([^<]+)</td>.*?<td class="status">([^<]+)</td>', outputs["html"], re.S)}
    terminal_words = set(re.findall(r"│ (已完成|未完成|无法核算|\S+?) +│\s*$", outputs["terminal"], re.M))
    assert sheet == expected and word == expected and html == expected
    assert terminal_words == set(STATUS_WORDS.values())
    assert expected["固定资产投资"] == "无法核算" and expected["地区生产总值"] == "未完成"


def test_never_the_other_word_for_not_computable(outputs):
    for where in ("terminal", "word", "html"):
        assert "无法计算" not in outputs[where], where
        assert "无法核算" in outputs[where], where
    assert not [r for r in outputs["sheet"] if any("无法计算" in str(v) for v in r if v)]


def test_relative_targets_read_with_yu_in_every_sentence(outputs):
    """附件2 writes "经济增长基本同步" without 与; section 四 must not glue it to the name."""
    html_text = unescape(re.sub(r"<[^>]+>", "", outputs["html"]))
    for where, text in (("word", outputs["word"]), ("html", html_text)):
        assert "城镇常住居民人均可支配收入与经济增长基本同步" in text, where
        assert "收入经济增长" not in text, where
        glued = [m.start() for m in re.finditer(r"经济增长(基本)?同步", text) if text[m.start() - 1] != "与"]
        assert glued == [], where
