"""The --out copy with Word comments, tables and headers, and drafts that are not drafts."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from conftest import WORKBOOK, changed
from make_draft import build

from addin.cli import main

EDITS = [("国家高新技术企业 21家", "国家高新技术企业 23家"), ("托位3645个", "托位3465个"),
         ("即办件比率 83.41%", "即办件比率 83.14%")]
# What each comment must sit on and name: the changed number, and its cell with the cell's value.
ANCHORS = {"23家": ("附件1!E20", "21家"), "3465个": ("附件1!E43", "3645个"), "83.14%": ("附件1!E25", "83.41%"),
           "6 亿元": ("附件1!E24", "6亿元"), "70%": ("附件1!E47", "70%")}


def _anchored_texts(document) -> dict[str, str]:
    """comment id -> the text between its commentRangeStart and commentRangeEnd."""
    from docx.oxml.ns import qn

    open_ids: dict[str, str] = {}
    done: dict[str, str] = {}
    for el in document.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids[el.get(qn("w:id"))] = ""
        elif el.tag == qn("w:commentRangeEnd"):
            cid = el.get(qn("w:id"))
            done[cid] = open_ids.pop(cid)
        elif el.tag == qn("w:t"):
            for cid in open_ids:
                open_ids[cid] += el.text or ""
    return done


def run_cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_out_copy_has_comments_on_the_changed_numbers(tmp_path, paragraphs, capsys):
    import docx

    draft = build(changed(paragraphs, EDITS), tmp_path / "draft.docx")
    out = tmp_path / "checked.docx"
    code, _, err = run_cli(["proofread", str(draft), "--workbook", str(WORKBOOK), "--out", str(out)], capsys)
    assert code == 1 and "5 条批注" in err
    checked = docx.Document(str(out))
    comments = {str(c.comment_id): c for c in checked.comments}
    anchored = _anchored_texts(checked)
    assert set(anchored) == set(comments)
    assert sorted(anchored.values()) == sorted(ANCHORS)
    for cid, text in anchored.items():
        cell, value = ANCHORS[text]
        assert f"{cell}" in comments[cid].text and f"为 {value}" in comments[cid].text
        assert comments[cid].author == "PlanReport"
    # The text of the draft is unchanged; only its runs were split.
    original = docx.Document(str(draft))
    assert [p.text for p in checked.paragraphs] == [p.text for p in original.paragraphs]
    # Every part comments do not touch is the original's, byte for byte.
    with zipfile.ZipFile(draft) as a, zipfile.ZipFile(out) as b:
        touched = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
        assert set(a.namelist()) - set(b.namelist()) == set()
        assert set(b.namelist()) - set(a.namelist()) <= {"word/comments.xml"}
        for name in set(a.namelist()) - touched:
            assert a.read(name) == b.read(name), name
        assert "comments+xml" in b.read("[Content_Types].xml").decode()


def test_out_never_overwrites(tmp_path, seed_draft, capsys):
    out = tmp_path / "mine.docx"
    out.write_bytes(b"the user's file")
    code, _, err = run_cli(["proofread", str(seed_draft), "--workbook", str(WORKBOOK), "--out", str(out)], capsys)
    assert code == 2 and "已存在" in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == b"the user's file"
    before = seed_draft.read_bytes()
    code, _, err = run_cli(["proofread", str(seed_draft), "--workbook", str(WORKBOOK), "--out", str(seed_draft),
                            "--force"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and seed_draft.read_bytes() == before
    code, _, err = run_cli(["proofread", str(seed_draft), "--workbook", str(WORKBOOK), "--out", str(out), "--force"],
                           capsys)
    assert code == 0 and zipfile.is_zipfile(out)


def test_tables_and_headers_are_read(tmp_path, capsys):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "地区生产总值增长5.9%"  # 附件1!E3 is 5.5%
    table = document.add_table(rows=2, cols=4)
    for c, text in enumerate(("指标", "目标", "完成情况", "完成率")):
        table.cell(0, c).text = text
    for c, text in enumerate(("新认定高新技术企业", "10家", "23家", "230%")):  # the workbook: 10家, 21家, 210%
        table.cell(1, c).text = text
    path = tmp_path / "tables.docx"
    document.save(str(path))
    code, out, _ = run_cli(["proofread", str(path), "--workbook", str(WORKBOOK), "--json"], capsys)
    data = json.loads(out)
    got = {(f["where"], f["cell"]) for f in data["findings"]}
    assert code == 1
    assert ("表1第2行第3列", "附件1!E20") in got
    assert any("页眉" in w and cell in ("附件1!E3", "基础数据!E4") for w, cell in got)
    target = next(c for c in data["claims"] if c["text"] == "10家")
    assert target["verdict"] == "agrees" and target["match"]["cell"] == "附件1!D20"


def _one_chinese_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "内部错误" not in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])


def _hostile(tmp_path, seed_draft):
    from msoffcrypto.format.ooxml import OOXMLFile

    cases = {}
    cases["text.docx"] = b"\xe8\xbf\x99\xe4\xb8\x8d\xe6\x98\xaf Word"
    cases["empty.docx"] = b""
    cases["truncated.docx"] = seed_draft.read_bytes()[:2000]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "not a document")
    cases["zip.docx"] = buffer.getvalue()
    cases["workbook.docx"] = WORKBOOK.read_bytes()
    encrypted = io.BytesIO()
    with seed_draft.open("rb") as fh:
        OOXMLFile(fh).encrypt("secret", encrypted)
    cases["encrypted.docx"] = encrypted.getvalue()
    paths = {}
    for name, data in cases.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


@pytest.mark.parametrize("name,words", [("text.docx", "不是 Word 文稿"), ("empty.docx", "不是 Word 文稿"),
                                        ("truncated.docx", "损坏"), ("zip.docx", "document.xml"),
                                        ("workbook.docx", "Excel 工作簿"), ("encrypted.docx", "已加密"),
                                        ("missing.docx", "找不到文稿")])
def test_hostile_drafts_are_one_line_and_exit_2(tmp_path, seed_draft, capsys, name, words):
    path = _hostile(tmp_path, seed_draft).get(name, tmp_path / name)
    code, out, err = run_cli(["proofread", str(path), "--workbook", str(WORKBOOK)], capsys)
    assert code == 2 and out == ""
    _one_chinese_line(err)
    assert words in err and str(path) in err


def test_a_missing_workbook_is_one_line(tmp_path, seed_draft, capsys):
    code, _, err = run_cli(["proofread", str(seed_draft), "--workbook", str(tmp_path / "无.xlsx")], capsys)
    assert code == 2
    _one_chinese_line(err)


def test_ten_thousand_paragraphs_give_a_normal_result(tmp_path, paragraphs, capsys):
    import docx

    document = docx.Document()
    body = paragraphs * (10_000 // len(paragraphs) + 1)
    for text in body[:10_000]:
        document.add_paragraph(text)
    path = tmp_path / "long.docx"
    document.save(str(path))
    code, out, _ = run_cli(["proofread", str(path), "--workbook", str(WORKBOOK), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["paragraphs"] == 10_000
    copies = 10_000 // len(paragraphs)
    assert sum(c["text"] == "21家" and c["match"]["cell"] == "附件1!E20" for c in data["claims"]) >= copies
    assert {f["code"] for f in data["findings"]} == {"bound_not_held"}


def test_a_table_only_document_gives_a_normal_result(tmp_path, capsys):
    import docx

    document = docx.Document()
    document._body._body.remove(document.paragraphs[0]._p) if document.paragraphs else None
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "铺设四类管网"
    table.cell(0, 1).text = "472公里"
    path = tmp_path / "table-only.docx"
    document.save(str(path))
    code, out, _ = run_cli(["proofread", str(path), "--workbook", str(WORKBOOK), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["findings"] == []
    assert [(c["text"], c["match"]["cell"], c["verdict"]) for c in data["claims"]] == [("472公里", "附件1!E29", "agrees")]


def test_config_aliases_teach_a_rephrased_name(tmp_path, paragraphs, capsys):
    # 附件1 第47项 各类文旅活动 (500余场) rephrased with no word in common but the generic 活动:
    # neither the word scores nor a shortened name find it; an alias does.
    draft = build(changed(paragraphs, [("文化惠民、体育赛事活动 500余场", "群众性文体活动 600余场")]), tmp_path / "d.docx")
    config = tmp_path / "planreport.toml"
    config.write_text('[planreport]\nabout_tolerance = 0.05\n\n[proofread]\naliases = {"群众性文体活动" = "各类文旅活动"}\n',
                      encoding="utf-8")
    code, out, _ = run_cli(["proofread", str(draft), "--workbook", str(WORKBOOK), "--json"], capsys)
    assert "附件1!E49" not in {f["cell"] for f in json.loads(out)["findings"]}  # unmatched without the alias
    code, out, _ = run_cli(["proofread", str(draft), "--workbook", str(WORKBOOK), "--json", "--config", str(config)], capsys)
    findings = [f for f in json.loads(out)["findings"] if f["cell"] == "附件1!E49"]
    assert code == 1 and [f["text"] for f in findings] == ["600余场"]
    only = tmp_path / "only.toml"
    only.write_text('[proofread]\naliases = {"群众性文体活动" = "各类文旅活动"}\n', encoding="utf-8")
    code, out, _ = run_cli(["proofread", str(draft), "--workbook", str(WORKBOOK), "--json", "--config", str(only)], capsys)
    assert code == 1 and "附件1!E49" in {f["cell"] for f in json.loads(out)["findings"]}
    bad = tmp_path / "bad.toml"
    bad.write_text('[proofread]\naliases = ["托位"]\n', encoding="utf-8")
    code, _, err = run_cli(["proofread", str(draft), "--workbook", str(WORKBOOK), "--config", str(bad)], capsys)
    assert code == 2
    _one_chinese_line(err)


def test_one_enormous_paragraph_gives_a_normal_result(tmp_path, capsys):
    import docx

    document = docx.Document()
    document.add_paragraph("新增托位" + "".join(f"{3645 + i % 2}个、托位" for i in range(4000)) + "1" * 50_000)
    path = tmp_path / "enormous.docx"
    document.save(str(path))
    code, out, _ = run_cli(["proofread", str(path), "--workbook", str(WORKBOOK), "--json"], capsys)
    data = json.loads(out)
    assert code == 1 and len(data["claims"]) == 4000
    # every other one says 3646个 against 附件1!E43's 3645个
    assert sorted({f["cell"] for f in data["findings"]}) == ["附件1!E43"] and len(data["findings"]) == 2000


def test_paragraph_numbers_are_python_docx_body_positions(tmp_path, capsys):
    import docx

    document = docx.Document()
    for text in ("一、概况", "", "全年新认定国家高新技术企业 23 家。", ""):
        document.add_paragraph(text)
    document.add_table(rows=1, cols=1).cell(0, 0).text = "托位3600个"
    document.add_paragraph("铺设四类管网 427 公里。")
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    code, out, _ = run_cli(["proofread", str(path), "--workbook", str(WORKBOOK), "--json"], capsys)
    found = {(f["paragraph"], f["where"], f["cell"]) for f in json.loads(out)["findings"]}
    positions = {p.text: i for i, p in enumerate(docx.Document(str(path)).paragraphs, 1)}
    assert found == {(positions["全年新认定国家高新技术企业 23 家。"], "第3段", "附件1!E20"),
                     (4, "表1第1行第1列（第4段后）", "附件1!E43"),
                     (positions["铺设四类管网 427 公里。"], "第5段", "附件1!E29")}
