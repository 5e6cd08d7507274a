"""Build a .docx draft from the seed report's own narrative (section 一).

    python tests/proofread/make_draft.py [SEED.txt] [OUT.docx]

The seed (../shared/seed/000_e31afd09c5b97943.txt) is used when it is there; otherwise
seed_section1.txt, a verbatim copy of its section 一 (the tests check the copy against the
seed when both exist), so the tests run without the seed. The seed is the text of a PDF: paragraphs are separated by blank lines, and a page break
cuts a paragraph in two ("成功激发了文化娱" / "乐、旅游"). A block that does not end a
sentence is joined to the next. Each paragraph is written as several runs (every 13
characters) so the proofreader has to join runs, and comments have to split them.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_e31afd09c5b97943.txt"
COPY = Path(__file__).with_name("seed_section1.txt")
COPY_TWO = Path(__file__).with_name("seed_section2.txt")  # section 二 (the 2026 plan), verbatim too
RUN_LENGTH = 13
_ENDS = ("。", "！", "？", "：", "；", "”", "）")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def section_one(seed_text: str) -> list[str]:
    """Paragraphs of section 一 (from its heading to the heading of 二), joined across page breaks."""
    return _section(seed_text, "一、", "二、")


def section_two(seed_text: str) -> list[str]:
    """Paragraphs of section 二 (the 2026 plan: its targets, then the work), up to the appendices."""
    return _section(seed_text, "二、", "附件：")


def _section(seed_text: str, first: str, stop: str) -> list[str]:
    lines = seed_text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(first))
    end = next((i for i, l in enumerate(lines) if i > start and l.startswith(stop)), len(lines))
    blocks = [l.strip() for l in lines[start:end] if l.strip()]
    paragraphs: list[str] = []
    joining = False
    for block in blocks:
        if joining and paragraphs:
            paragraphs[-1] += block
        else:
            paragraphs.append(block)
        joining = not _HEADING.match(block) and not block.startswith("- ") and not block.endswith(_ENDS)
    return paragraphs


def build(paragraphs: list[str], out: Path, *, run_length: int = RUN_LENGTH) -> Path:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    for text in paragraphs:
        heading = bool(_HEADING.match(text))
        p = document.add_paragraph()
        for i in range(0, len(text), run_length):
            run = p.add_run(text[i:i + run_length])
            run.bold = heading
            run.font.name = "仿宋"
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    document.save(str(out))
    return out


def seed_paragraphs(seed: Path | None = None) -> list[str]:
    seed = seed or (SEED if SEED.is_file() else COPY)
    return section_one(seed.read_text(encoding="utf-8"))


def seed_narrative() -> list[str]:
    """Sections 一 and 二: the execution report and the plan whose targets are 附件2's."""
    if SEED.is_file():
        text = SEED.read_text(encoding="utf-8")
        return section_one(text) + section_two(text)
    return section_one(COPY.read_text(encoding="utf-8")) + section_two(COPY_TWO.read_text(encoding="utf-8"))


if __name__ == "__main__":
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("seed-draft.docx")
    print(build(seed_paragraphs(seed), out))
