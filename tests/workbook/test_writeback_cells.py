"""核算结果 cells hold at most Excel's 32,767 characters (UTF-16 code units), ending in "…"."""
from __future__ import annotations

import zipfile

from lxml import etree

from addin.workbook.opc import TRANSITIONAL
from addin.workbook.writeback import SHEET_NAME, write_results
from writeback_support import make_workbook, result_json_from

LIMIT = 32_767


def _texts(path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        part = max(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))  # the sheet appended last
        root = etree.fromstring(zf.read(part))
    return ["".join(t.itertext()) for t in root.iter(f"{{{TRANSITIONAL.main}}}is")]


def test_long_texts_are_cut_to_what_a_cell_holds(tmp_path):
    book = make_workbook(tmp_path / "阿拉善左旗.xlsx")
    data = result_json_from(book)
    long_name = "很长的指标名称" * 6000  # 42,000 characters
    astral = "𠀀" * 20000  # CJK Extension B: two UTF-16 units each, 40,000 units
    data["indicators"][0]["name"] = long_name
    data["indicators"][1]["name"] = astral
    data["findings"].append({"code": "unparsed_target", "severity": "error", "cell": "附件1!D2",
                             "message": f"附件1!D2: 无法识别目标「{long_name}」"})
    write_results(book, data)
    texts = _texts(book)
    cut = [t for t in texts if t.endswith("…")]
    assert len(cut) == 3
    for text in texts:
        assert len(text.encode("utf-16-le")) // 2 <= LIMIT
    assert any(t.startswith("很长的指标名称很长") and len(t) == LIMIT for t in cut)
    assert any(t.startswith("𠀀") and len(t.encode("utf-16-le")) // 2 in (LIMIT - 1, LIMIT) for t in cut)
    from openpyxl import load_workbook

    assert load_workbook(book)[SHEET_NAME]["C2"].value.endswith("…")


def test_short_texts_are_untouched(tmp_path):
    book = make_workbook(tmp_path / "额济纳旗.xlsx")
    data = result_json_from(book)
    data["indicators"][0]["name"] = "短" * LIMIT  # exactly the limit: kept whole
    write_results(book, data)
    assert "短" * LIMIT in _texts(book)


def test_characters_xml_cannot_carry_are_dropped(tmp_path):
    """A lone surrogate (from a damaged legacy .xls) or a control character must not break the part."""
    book = make_workbook(tmp_path / "阿拉善右旗.xlsx")
    data = result_json_from(book)
    data["indicators"][0]["name"] = "地区\ud800生产\x01总值"
    write_results(book, data)
    assert "地区生产总值" in _texts(book)
