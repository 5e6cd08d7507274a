"""The built PlanReport.oxt in a real headless LibreOffice: installed with unopkg into a fresh
profile, its toolbar buttons pressed by dispatching their own command URLs to the document's
frame, the open document (with unsaved edits) and the files beside it inspected afterwards."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import pytest
from lo_support import Office, assert_one_chinese_line

from addin import __version__
from addin.office.libreoffice.install import install
from addin.office.libreoffice.oxt import build_oxt

SAMPLE = Path(__file__).resolve().parents[3] / "workbooks" / "kundulun-2025.xlsx"
BUTTONS = ["生成报告", "核对数据", "打开报告文件夹", "诊断"]


@pytest.fixture(scope="module")
def office():
    root = Path(tempfile.mkdtemp(prefix="planreport-lo-test-"))
    root.chmod(0o755)  # the install runs as nobody when the tests run as root
    lo = Office(root)
    try:
        oxt = build_oxt(root / "dist")
        # The real install, the same function `planreport libreoffice install` runs; its
        # settings file goes into soffice's HOME, where the buttons look for the interpreter.
        lo.install_lines = install(oxt, profile=lo.profile, user=lo.install_user, home=lo.home)
        lo.start()
        yield lo
    finally:
        lo.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def workbook(office, request):
    """A copy of the sample in a folder of its own (报告/ is written beside it)."""
    folder = office.root / f"wb-{request.node.name}"
    folder.mkdir()
    path = folder / "昆都仑区2025.xlsx"
    shutil.copyfile(SAMPLE, path)
    return path


def results_rows(snapshot: dict) -> list[list]:
    assert snapshot["sheets"].count("核算结果") == 1, snapshot["sheets"]
    return snapshot["results"]


def finding_codes(rows: list[list]) -> list[str]:
    start = next(i for i, row in enumerate(rows) if row[:4] == ["代码", "级别", "单元格", "说明"])
    return [row[0] for row in rows[start + 1:] if row[0]]


def indicator_row(rows: list[list], name: str) -> list:
    return next(row for row in rows if row[2] == name)


EDIT_F24 = {"op": "set_value", "sheet": "附件1", "cell": "F24", "value": 2.0}


def press_after_edit(office, workbook, title: str) -> tuple[dict, dict]:
    """Open the workbook, type 200% into 附件1!F24 (unsaved), press the button, look, close."""
    _, _, pressed, snap, _ = office.run({"op": "open", "path": str(workbook)}, EDIT_F24,
                                        {"op": "button", "title": title}, {"op": "snapshot"}, {"op": "close"})
    return pressed, snap


def test_install_puts_the_menu_toolbar_and_chinese_tooltips_in_calc(office):
    assert office.install_lines[0].startswith("已安装 LibreOffice 扩展 PlanReport.oxt")
    assert f'"INTERPRETER_LINUX","{sys.executable}"' in office.conf.read_text(encoding="utf-8")
    menu, tooltip = office.run({"op": "menu"}, {"op": "tooltip", "title": "生成报告"})
    assert menu["title"] == "计划执行报告"
    assert [title for title, _url in menu["items"]] == BUTTONS
    assert all("PlanReport.oxt|Scripts|python|" in url for _title, url in menu["items"])
    assert tooltip["Label"] == "生成报告"
    assert "Word" in tooltip["TooltipLabel"] and "核算结果" in tooltip["TooltipLabel"]


def test_report_button_uses_the_unsaved_edit_and_leaves_the_file_alone(office, workbook):
    original = workbook.read_bytes()
    office.new_messages()
    # 附件1!F24 reports 136% for 技术合同成交额 (target 3亿元, achieved 6亿元: 200%); the live
    # document says 200%, the file on disk still 136%.
    pressed, snap = press_after_edit(office, workbook, "生成报告")
    assert pressed["url"].endswith("$generate_report?language=Python&location=user:uno_packages")
    rows = results_rows(snap)
    assert rows[0][:9] == ["工作表", "序号", "指标", "目标", "完成情况", "核算完成率", "填报完成率", "差异", "状态"]
    contract = indicator_row(rows, "技术合同成交额")
    assert contract[5] == pytest.approx(2.0) and contract[6] == pytest.approx(2.0)
    assert "rate_mismatch" not in finding_codes(rows)
    assert snap["names"]["PlanReport_Results"] == "$核算结果.$A$1:$I$1"  # marked as PlanReport's own: its header row
    # Hidden where LibreOffice can hide a named range; 7.4 cannot (docs/libreoffice.md).
    assert snap["name_flags"]["PlanReport_Results"] == snap["hidden_flag"]
    assert snap["modified"]  # imported into the document, which the user has not saved

    reports = workbook.parent / "报告"
    assert sorted(p.name for p in reports.iterdir()) == ["昆都仑区2025.docx", "昆都仑区2025.html"]
    text = "\n".join(p.text for p in docx.Document(str(reports / "昆都仑区2025.docx")).paragraphs)
    assert "技术合同成交额" in text or "完成率" in text
    assert "技术合同成交额" in (reports / "昆都仑区2025.html").read_text(encoding="utf-8")
    assert workbook.read_bytes() == original

    [message] = office.new_messages()
    assert message["ok"], message
    assert "已完成 44 项，未完成 2 项，无法核算 2 项" in message["message"]
    assert "错误 0 条" in message["message"]
    assert "已生成：" + str(reports / "昆都仑区2025.docx") in message["message"]


def test_check_button_writes_no_report_and_replaces_only_its_own_sheet(office, workbook):
    original = workbook.read_bytes()
    office.new_messages()
    _, _, before, _, _, after, _ = office.run(
        {"op": "open", "path": str(workbook)},
        {"op": "button", "title": "核对数据"},
        {"op": "snapshot"},
        EDIT_F24,
        {"op": "button", "title": "核对数据"},
        {"op": "snapshot"},
        {"op": "close"},
    )
    # Unedited, the sample's 136% is a rate mismatch; after the live edit it is gone, and the
    # second press replaced PlanReport's sheet in place instead of adding 核算结果_2.
    assert "rate_mismatch" in finding_codes(results_rows(before))
    assert "rate_mismatch" not in finding_codes(results_rows(after))
    assert after["sheets"] == before["sheets"] == ["附件1", "附件2", "基础数据", "核算结果"]
    assert not (workbook.parent / "报告").exists()
    assert workbook.read_bytes() == original
    first, second = office.new_messages()
    assert first["ok"] and "错误 1 条" in first["message"] and "附件1!F24" in first["message"]
    assert second["ok"] and "错误 0 条" in second["message"] and "已生成" not in second["message"]


HEADER = ["工作表", "序号", "指标", "目标", "完成情况", "核算完成率", "填报完成率", "差异", "状态"]


@pytest.mark.parametrize("rows", [
    [["我自己的核算笔记"]],
    # PlanReport's header typed by the user, but neither the mark nor PlanReport's footnote.
    [HEADER, ["附件1", "1", "地区生产总值", "8%左右", "5.5%"]],
], ids=["notes", "same-header"])
def test_a_users_own_results_sheet_is_never_replaced(office, workbook, rows):
    office.new_messages()
    _, _, _, snap, _ = office.run(
        {"op": "open", "path": str(workbook)},
        {"op": "add_sheet", "name": "核算结果", "rows": rows},
        {"op": "button", "title": "生成报告"},
        {"op": "snapshot"},
        {"op": "close"},
    )
    width = max(len(r) for r in rows)
    assert snap["results"] == [r + [""] * (width - len(r)) for r in rows]
    assert "PlanReport_Results" not in snap["names"]
    assert not (workbook.parent / "报告").exists()
    [message] = office.new_messages()
    assert not message["ok"]
    assert_one_chinese_line(message)
    # The file write-back's own refusal, naming the user's workbook (not the macro's private copy).
    assert message["message"].startswith(f"{workbook}: 已有名为“核算结果”的工作表，但不是 PlanReport 生成的")
    assert "results_sheet_fallback" in message["message"]


def test_with_the_fallback_setting_results_go_beside_the_users_sheet(office, workbook):
    (workbook.parent / "planreport.toml").write_text("results_sheet_fallback = true\n", encoding="utf-8")
    office.new_messages()
    _, _, _, snap, _ = office.run(
        {"op": "open", "path": str(workbook)},
        {"op": "add_sheet", "name": "核算结果", "rows": [["我自己的核算笔记"]]},
        {"op": "button", "title": "生成报告"},
        {"op": "snapshot"},
        {"op": "close"},
    )
    assert snap["sheets"] == ["附件1", "附件2", "基础数据", "核算结果", "核算结果（PlanReport）"]
    assert snap["results"] == [["我自己的核算笔记"]]  # the user's sheet as it was
    alt = snap["alt_results"]
    assert alt[0][:9] == HEADER and "rate_mismatch" in finding_codes(alt)  # the sample's 附件1!F24
    assert snap["names"]["PlanReport_Results"] == "$'核算结果（PlanReport）'.$A$1:$I$1"
    assert (workbook.parent / "报告" / "昆都仑区2025.docx").is_file()
    [message] = office.new_messages()
    assert message["ok"], message
    assert "已更新“核算结果（PlanReport）”工作表" in message["message"]


def test_without_a_chinese_font_the_message_says_so(office, workbook):
    """The core as it runs on a machine with no CJK font: fontconfig listing none, planreport[fonts] out of sight."""
    from addin.render import fonts

    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig (fc-list) not installed")
    root = office.root / "no-fonts"
    shadow = root / "shadow" / fonts.FONT_PACKAGE
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("", encoding="utf-8")
    conf = root / "no-fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{root / "fc-cache"}</cachedir></fontconfig>\n',
                    encoding="utf-8")
    python = root / "python-without-fonts"
    python.write_text(f'#!/bin/sh\nFONTCONFIG_FILE="{conf}" PYTHONPATH="{shadow.parent}" exec "{sys.executable}" "$@"\n',
                      encoding="utf-8")
    python.chmod(0o755)
    root.chmod(0o755)
    office.new_messages()
    with office.conf_as(f'"INTERPRETER_LINUX","{python}"\r\n'):
        office.run({"op": "open", "path": str(workbook)}, {"op": "button", "title": "生成报告"}, {"op": "close"})
    [message] = office.new_messages()
    assert message["ok"], message
    assert message["message"].splitlines()[-1] == fonts.MISSING
    assert (workbook.parent / "报告" / "昆都仑区2025.docx").is_file()  # Word and HTML are still made


def test_the_sheet_the_file_write_back_left_is_replaced_in_place(office, workbook):
    """A workbook refreshed from the command line and opened in Calc: its 核算结果 is PlanReport's."""
    written = subprocess.run([sys.executable, "-m", "addin", "refresh", str(workbook), "--format", "html",
                              "--out", str(office.root / "cli-reports")], capture_output=True, text=True, timeout=120)
    assert written.returncode in (0, 1), written.stderr
    office.new_messages()
    _, snap = press_after_edit(office, workbook, "核对数据")
    [message] = office.new_messages()
    assert message["ok"], message
    assert snap["sheets"] == ["附件1", "附件2", "基础数据", "核算结果"]
    assert "rate_mismatch" not in finding_codes(results_rows(snap))


def test_no_interpreter_configured_is_one_chinese_line(office, workbook):
    office.new_messages()
    with office.conf_as(None):  # no PLANREPORT_PYTHON, no settings file, no planreport on soffice's PATH
        office.run({"op": "open", "path": str(workbook)}, {"op": "button", "title": "生成报告"}, {"op": "close"})
    [message] = office.new_messages()
    assert not message["ok"]
    assert_one_chinese_line(message)
    assert "找不到 PlanReport" in message["message"] and "planreport libreoffice install" in message["message"]


@pytest.mark.parametrize("factory, button, expected", [
    ("swriter", "生成报告", "不是 Calc 工作簿"),
    ("scalc", "生成报告", "请先保存工作簿"),
])
def test_a_document_that_is_not_a_workbook_is_one_chinese_line(office, factory, button, expected):
    office.new_messages()
    office.run({"op": "open", "factory": factory}, {"op": "button", "title": button}, {"op": "close"})
    [message] = office.new_messages()
    assert not message["ok"]
    assert_one_chinese_line(message)
    assert expected in message["message"]


def test_checking_an_empty_sheet_is_planreports_own_chinese_line(office):
    office.new_messages()
    office.run({"op": "open", "factory": "scalc"}, {"op": "button", "title": "核对数据"}, {"op": "close"})
    [message] = office.new_messages()
    assert not message["ok"]
    assert_one_chinese_line(message)
    assert "没有找到指标表" in message["message"]
    assert "planreport-lo-" not in message["message"]  # names the document, not the private copy


def test_a_hanging_core_is_stopped_at_the_timeout(office, workbook):
    """A PlanReport that never answers: the button gives up after LIBREOFFICE_TIMEOUT seconds."""
    pid_file = office.root / "hanging.pid"
    hanging = office.root / "hanging-python"
    hanging.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 120\n", encoding="utf-8")
    hanging.chmod(0o755)
    office.new_messages()
    with office.conf_as(f'"INTERPRETER_LINUX","{hanging}"\r\n"LIBREOFFICE_TIMEOUT","2"\r\n'):
        _, pressed, _ = office.run({"op": "open", "path": str(workbook)}, {"op": "button", "title": "核对数据"},
                                   {"op": "close"})
    assert 2 <= pressed["seconds"] < 10
    [message] = office.new_messages()
    assert not message["ok"]
    assert_one_chinese_line(message)
    assert "核算超过 2 秒仍未完成，已停止" in message["message"]
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # the hanging process was ended, not left behind


def test_open_folder_and_diagnose(office, workbook):
    office.new_messages()
    office.run({"op": "open", "path": str(workbook)}, {"op": "button", "title": "打开报告文件夹"},
               {"op": "button", "title": "生成报告"}, {"op": "button", "title": "打开报告文件夹"},
               {"op": "button", "title": "诊断"}, {"op": "close"})
    no_folder, _report, folder, diagnosis = office.new_messages()
    assert not no_folder["ok"] and "请先点“生成报告”" in no_folder["message"]
    assert folder["ok"] and folder["message"] == "报告文件夹：" + str(workbook.parent / "报告")
    assert diagnosis["ok"]
    assert "LibreOffice：LibreOffice" in diagnosis["message"]
    assert f"{sys.executable} -m addin" in diagnosis["message"] and f"✓ planreport {__version__}" in diagnosis["message"]
