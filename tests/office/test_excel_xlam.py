"""The built add-in: reproducible, macro-enabled, ribbon wired to Subs that run addin.office.excel."""
import codecs
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from oletools.olevba import VBA_Parser

from addin.office import ovba, xlam

ROOT = Path(__file__).resolve().parents[2]
NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}
RUNPYTHON = re.compile(r'RunPython "import addin\.office\.excel; addin\.office\.excel\.(\w+)\(\)"')


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlam") / "PlanReport.xlam"
    return xlam.build_xlam(out)


def vba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def subs(code: str) -> dict[str, str]:
    """Sub name -> body, as VBA declares them."""
    found = re.finditer(r"^(?:Public |Private )?Sub (\w+)\((.*?)\)\s*$(.*?)^End Sub", code, re.M | re.S)
    return {m.group(1): (m.group(2), m.group(3)) for m in found}


def test_build_script_twice_gives_same_bytes(tmp_path):
    out = ROOT / "dist" / "PlanReport.xlam"
    digests = []
    for _ in range(2):
        subprocess.run([sys.executable, str(ROOT / "build.py")], check=True, cwd=tmp_path, capture_output=True)
        digests.append(out.read_bytes())
    assert digests[0] == digests[1]
    # and the library gives what the script gives
    assert xlam.build_xlam(tmp_path / "again.xlam").read_bytes() == digests[0]


def test_macro_enabled_addin_with_template_parts(built):
    with zipfile.ZipFile(built) as z, zipfile.ZipFile(xlam.template_path()) as t:
        assert z.namelist() == t.namelist()
        types = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
        rels = z.read("_rels/.rels").decode()
        assert 'Target="customUI/customUI.xml"' in rels and "ui/extensibility" in rels
        for name in z.namelist():
            if name not in (xlam.VBA_PART, xlam.CUSTOMUI_PART):
                assert z.read(name) == t.read(name), name
        assert {i.date_time for i in z.infolist()} == {xlam.ZIP_TIME}


def test_customui_well_formed_chinese_ribbon(built):
    with zipfile.ZipFile(built) as z:
        root = etree.fromstring(z.read(xlam.CUSTOMUI_PART))
    assert root.tag == "{%s}customUI" % NS["ui"]
    tab = root.find(".//ui:tab", NS)
    assert tab.get("label") == "计划执行报告"
    buttons = {b.get("label"): b for b in root.iterfind(".//ui:button", NS)}
    assert {"生成报告", "核对数据", "打开报告文件夹", "诊断"} <= set(buttons)
    for b in buttons.values():
        assert b.get("imageMso") and b.get("screentip") and b.get("supertip")


def test_every_onaction_is_a_sub_that_runs_addin_excel(built):
    import addin.office.excel as excel_side  # the Python functions the Subs name must exist

    with zipfile.ZipFile(built) as z:
        root = etree.fromstring(z.read(xlam.CUSTOMUI_PART))
    modules = vba_modules(built)
    called = set()
    for button in root.iterfind(".//ui:button", NS):
        module, sub = button.get("onAction").split(".")
        declared = subs(modules[module])
        assert sub in declared, f"{sub} not in {module}"
        params, body = declared[sub]
        assert params == "control As IRibbonControl"
        m = RUNPYTHON.search(body)
        if m:
            called.add(m.group(1))
            assert callable(getattr(excel_side, m.group(1)))
        else:
            assert "ImportPythonUDFs" in body  # the one button that is xlwings' own
    assert called == {"generate_report", "check_data", "open_report_folder", "diagnose"}


def test_rewritten_modules_are_source_only_and_settings_renamed(built):
    import olefile

    with zipfile.ZipFile(built) as z:
        ole = olefile.OleFileIO(z.read(xlam.VBA_PART))
    offsets = xlam.module_offsets(ovba.decompress(ole.openstream("VBA/dir").read()))
    assert offsets["RibbonMyAddin"] == 0 and offsets["xlwings"] == 0
    assert offsets["Dictionary"] > 0  # untouched modules keep their compiled part
    ribbon = ovba.decompress(ole.openstream("VBA/RibbonMyAddin").read())
    assert ribbon == xlam.bas_source(xlam.VBA_DIR / "RibbonMyAddin.bas")
    assert b"\r\n" in ribbon and b"\n" not in ribbon.replace(b"\r\n", b"")
    xlwings_code = vba_modules(built)["xlwings"]
    assert 'PROJECT_NAME As String = "planreport"' in xlwings_code


def test_vba_sources_ascii_and_messages_decode_to_chinese():
    text = (xlam.VBA_DIR / "RibbonMyAddin.bas").read_text(encoding="utf-8")
    assert text.isascii()
    messages = [codecs.decode(s, "unicode_escape") for s in re.findall(r'Zh\("([^"]*)"\)', text)]
    assert "计划执行报告" in messages
    assert any("planreport excel install" in m and "Python" in m for m in messages)


def test_non_ascii_bas_is_refused(tmp_path):
    bad = tmp_path / "X.bas"
    bad.write_text('Attribute VB_Name = "X"\nSub A()\n  MsgBox "报告"\nEnd Sub\n', encoding="utf-8")
    with pytest.raises(ValueError, match="X.bas"):
        xlam.bas_source(bad)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装，无法做打开 .xlam 的检查")
def test_libreoffice_opens_addin_and_keeps_modules(built, tmp_path):
    out = tmp_path / "out"
    profile = (tmp_path / f"lo_{os.getpid()}").as_uri()
    # Without the VBA filter on both sides LibreOffice either cannot load an .xlam
    # or silently writes an .xlsm without the VBA project.
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "xlsm:Calc MS Excel 2007 VBA XML",
         "--outdir", str(out), str(built)],
        check=True, capture_output=True, timeout=120,
    )
    converted = out / "PlanReport.xlsm"
    assert converted.exists()
    code = vba_modules(converted)["RibbonMyAddin"]
    assert {"GenerateReport", "CheckData", "OpenReportFolder", "Diagnose", "ImportFunctions"} <= set(subs(code))
    assert len(RUNPYTHON.findall(code)) == 4
