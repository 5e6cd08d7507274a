"""Write a copy of the draft with a Word comment anchored on each flagged claim.

python-docx (>= 1.2) writes the comments; a comment spans whole runs, so the runs around a
claim are split at its first and last character. Only the parts comments touch are taken from
python-docx's output (document.xml, comments.xml, their relationships and content types); every
other part of the draft is copied from the original as it was. The copy is written beside its
destination and renamed into place; never over the draft, nor over an existing file unless forced.
"""
from __future__ import annotations

import copy
import io
import os
import tempfile
import zipfile
from pathlib import Path

from addin.proofread.draft import open_document, paragraph_runs, walk
from addin.proofread.model import ProofreadResult
from addin.proofread.source import PlanReportError

AUTHOR, INITIALS = "PlanReport", "PR"
# The parts adding comments changes; all others are copied byte for byte.
_COMMENT_PARTS = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
_COMMENTABLE = ("正文", "表格")  # Word keeps no comments in headers and footers


def write_commented(draft: Path, result: ProofreadResult, out: Path, *, force: bool = False) -> int:
    if out.exists() and out.resolve() == draft.resolve():
        raise PlanReportError(f"{out}: --out 不能是文稿本身")
    if out.exists() and not force:
        raise PlanReportError(f"{out}: 文件已存在，不覆盖；请换一个 --out 文件名（或加 --force）")
    if not out.parent.is_dir():
        raise PlanReportError(f"{out.parent}: 文件夹不存在")
    document = open_document(draft)
    flagged: dict[int, list] = {}
    for finding in result.findings:
        if finding.severity in ("error", "warning") and finding.end > finding.start:
            flagged.setdefault(finding.order, []).append(finding)
    written = 0
    for order, (where, _, paragraph, _) in enumerate(walk(document)):
        if order not in flagged or where not in _COMMENTABLE:
            continue
        for finding in sorted(flagged[order], key=lambda f: f.start):
            runs = _runs_for(paragraph, finding.start, finding.end)
            if runs:
                document.add_comment(runs, text=finding.message, author=AUTHOR, initials=INITIALS)
                written += 1
    buffer = io.BytesIO()
    document.save(buffer)
    _splice(draft, buffer.getvalue(), out)
    return written


def _runs_for(paragraph, start: int, end: int) -> list:
    """The runs covering exactly [start, end) of the paragraph's text, split where needed."""
    _split_at(paragraph, start)
    _split_at(paragraph, end)
    picked, offset = [], 0
    for run in paragraph_runs(paragraph):
        length = len(run.text)
        if offset >= start and offset + length <= end and length:
            picked.append(run)
        offset += length
    return picked


def _split_at(paragraph, at: int) -> None:
    offset = 0
    for run in paragraph_runs(paragraph):
        text = run.text
        if offset < at < offset + len(text):
            if not _plain_text_run(run):
                return  # a run holding a tab, break or field: anchor on the whole run instead
            tail = copy.deepcopy(run._r)
            run._r.addnext(tail)
            run.text = text[: at - offset]
            type(run)(tail, run._parent).text = text[at - offset:]
            return
        offset += len(text)


def _plain_text_run(run) -> bool:
    from docx.oxml.ns import qn

    return all(child.tag in (qn("w:rPr"), qn("w:t")) for child in run._r)


def _splice(draft: Path, saved: bytes, out: Path) -> None:
    with zipfile.ZipFile(draft) as original, zipfile.ZipFile(io.BytesIO(saved)) as rewritten:
        new_names = set(rewritten.namelist())
        fd, tmp = tempfile.mkstemp(prefix=".planreport-", suffix=".docx", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as target:
                seen = set()
                for info in original.infolist():
                    seen.add(info.filename)
                    if info.filename in _COMMENT_PARTS and info.filename in new_names:
                        target.writestr(_info_like(info), rewritten.read(info.filename))
                    else:
                        target.writestr(_info_like(info), original.read(info.filename))
                for name in rewritten.namelist():
                    if name not in seen and name in _COMMENT_PARTS:
                        target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), rewritten.read(name),
                                        zipfile.ZIP_DEFLATED)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy_ = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy_.compress_type = info.compress_type
    copy_.external_attr = info.external_attr
    return copy_
