"""Caches inside the renderers: an edited template is still read, and two template folders never mix."""
from __future__ import annotations

import os
import shutil

from docx import Document

from addin.render.docx import render_docx
from addin.render.html import render_html
from render_support import DATE, TEMPLATES

PHRASE = "的预期目标，完成率"


def copy_templates(target):
    shutil.copytree(TEMPLATES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit(path, old: str, new: str) -> None:
    """Change a file and move its mtime on, as a save a few seconds later would."""
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))


def test_phrasebook_edited_between_two_renders_in_one_process(sample_json, tmp_path):
    folder = copy_templates(tmp_path / "t")
    before = render_html(sample_json, templates_dir=folder, date=DATE)
    assert "年度预期目标" not in before
    edit(folder / "phrases.j2", PHRASE, "的年度预期目标，完成率")
    after = render_html(sample_json, templates_dir=folder, date=DATE)
    assert "年度预期目标" in after


def test_two_template_folders_do_not_share_a_cache(sample_json, tmp_path):
    plain = copy_templates(tmp_path / "plain")
    edited = copy_templates(tmp_path / "edited")
    edit(edited / "phrases.j2", PHRASE, "的既定目标，完成率")
    for _ in range(2):  # the second round is served from the caches
        assert "既定目标" not in render_html(sample_json, templates_dir=plain, date=DATE)
        assert "既定目标" in render_html(sample_json, templates_dir=edited, date=DATE)
        word_plain = Document(str(render_docx(sample_json, tmp_path / "p.docx", templates_dir=plain, date=DATE)))
        word_edited = Document(str(render_docx(sample_json, tmp_path / "e.docx", templates_dir=edited, date=DATE)))
        assert not any("既定目标" in p.text for p in word_plain.paragraphs)
        assert any("既定目标" in p.text for p in word_edited.paragraphs)


def test_word_template_replaced_between_two_renders_in_one_process(sample_json, tmp_path):
    folder = copy_templates(tmp_path / "t")
    first = Document(str(render_docx(sample_json, tmp_path / "a.docx", templates_dir=folder, date=DATE)))
    assert first.paragraphs[0].text != "PlanReport 测试标题"
    template = Document(str(folder / "summary.docx"))
    template.paragraphs[0].insert_paragraph_before("PlanReport 测试标题")
    stat = (folder / "summary.docx").stat()
    template.save(str(folder / "summary.docx"))
    os.utime(folder / "summary.docx", (stat.st_atime, stat.st_mtime + 5))
    second = Document(str(render_docx(sample_json, tmp_path / "b.docx", templates_dir=folder, date=DATE)))
    assert second.paragraphs[0].text == "PlanReport 测试标题"


def test_repeated_renders_give_identical_bytes(sample_json, tmp_path):
    """A cached template must not carry state from one report into the next."""
    a = render_docx(sample_json, tmp_path / "a.docx", date=DATE).read_bytes()
    other = dict(sample_json, indicators=sample_json["indicators"][:5], findings=[])
    render_docx(other, tmp_path / "other.docx", date=DATE)
    b = render_docx(sample_json, tmp_path / "b.docx", date=DATE).read_bytes()
    assert a == b


def test_fresh_process_gives_the_same_bytes_as_a_warm_one(sample_json, tmp_path):
    import json
    import subprocess
    import sys
    import zipfile

    warm = render_docx(sample_json, tmp_path / "warm.docx", date=DATE)
    warm = render_docx(sample_json, tmp_path / "warm.docx", date=DATE)  # second render: all caches hit
    (tmp_path / "r.json").write_text(json.dumps(sample_json, ensure_ascii=False), encoding="utf-8")
    code = ("import json, sys; from addin.render.docx import render_docx; "
            "render_docx(json.load(open(sys.argv[1], encoding='utf-8')), sys.argv[2], date=sys.argv[3])")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "r.json"), str(tmp_path / "cold.docx"), DATE],
                   check=True, timeout=120)
    assert (tmp_path / "cold.docx").read_bytes() == warm.read_bytes()
    with zipfile.ZipFile(warm) as z:
        assert z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert {i.external_attr for i in z.infolist()} == {0o600 << 16}


def test_templates_folder_missing_files_is_one_clear_line(tmp_path, sample_path):
    import shutil
    import subprocess
    import sys

    from addin.render.templates import PHRASEBOOK, templates_dir

    partial = tmp_path / "我的模板"
    partial.mkdir()
    shutil.copy(templates_dir() / PHRASEBOOK, partial / PHRASEBOOK)
    proc = subprocess.run([sys.executable, "-m", "addin", "refresh", str(sample_path), "--templates", str(partial),
                           "--out", str(tmp_path / "out"), "--no-writeback"], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "summary.html.j2" in lines[0] and "summary.docx" in lines[0]
    assert "Traceback" not in proc.stderr
