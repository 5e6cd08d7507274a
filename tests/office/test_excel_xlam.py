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


def test_every_onaction_is_a_sub_that_checks_then_runs_addin_excel(built):
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
        assert m and body.strip().startswith("If Ready() Then RunPython"), body
        called.add(m.group(1))
        assert callable(getattr(excel_side, m.group(1)))
    assert called == {"generate_report", "check_data", "open_report_folder", "diagnose"}


def test_ready_checks_protected_view_then_no_workbook_then_python():
    """Error 91 comes from RunPython touching ActiveWorkbook: both checks must come first, in Chinese."""
    text = (xlam.VBA_DIR / "RibbonMyAddin.bas").read_text(encoding="utf-8")
    body = re.search(r"^Private Function Ready\(\) As Boolean$(.*?)^End Function", text, re.M | re.S).group(1)
    order = [body.index(s) for s in ("ActiveProtectedViewWindow", "ActiveWorkbook Is Nothing", "PythonReady()")]
    assert order == sorted(order)
    messages = [codecs.decode(s, "unicode_escape") for s in re.findall(r'Zh\("([^"]*)"\)', body)]
    assert any("受保护的视图" in m and "启用编辑" in m for m in messages)
    assert any("没有打开的工作簿" in m for m in messages)


def test_rewritten_modules_are_source_only_and_settings_renamed(built):
    import olefile

    with zipfile.ZipFile(built) as z:
        ole = olefile.OleFileIO(z.read(xlam.VBA_PART))
    offsets = xlam.module_offsets(ovba.decompress(ole.openstream("VBA/dir").read()))
    assert offsets["RibbonMyAddin"] == 0 and offsets["xlwings"] == 0
    assert offsets["Dictionary"] > 0  # untouched modules keep their compiled part
    ribbon = ovba.decompress(ole.openstream("VBA/RibbonMyAddin").read())
    assert ribbon.startswith(xlam.bas_source(xlam.VBA_DIR / "RibbonMyAddin.bas").rstrip(b"\r\n"))
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
    assert {"GenerateReport", "CheckData", "OpenReportFolder", "Diagnose"} <= set(subs(code))
    assert "Function PLAN_RATE(" in code
    assert len(RUNPYTHON.findall(code)) == 4


def test_packaged_addin_is_the_fresh_build(built):
    """The wheel carries addin/office/PlanReport.xlam: it must be what the sources build today.
    After changing vba/, customui.xml, udfs.py or xlwings, run `python build.py` and commit it."""
    assert xlam.PACKAGED.read_bytes() == built.read_bytes()


def test_compound_file_written_by_pycfb_is_clean(built):
    import olefile

    with zipfile.ZipFile(built) as z, zipfile.ZipFile(xlam.template_path()) as t:
        ours = olefile.OleFileIO(z.read(xlam.VBA_PART), raise_defects=olefile.DEFECT_POTENTIAL)
        theirs = olefile.OleFileIO(t.read(xlam.VBA_PART))
    assert ours.listdir(storages=True) == theirs.listdir(storages=True)
    for name in ("PROJECTwm", "VBA/_VBA_PROJECT", "VBA/Dictionary", "VBA/ThisWorkbook", "VBA/Sheet2"):
        assert ours.openstream(name).read() == theirs.openstream(name).read(), name
    # PROJECT differs from the template's in the project's name only.
    assert ours.openstream("PROJECT").read() == theirs.openstream("PROJECT").read().replace(
        b'\r\nName="MyAddin"\r\n', b'\r\nName="PlanReport"\r\n')


def test_the_vba_project_is_named_planreport_in_both_places(built):
    """The VBA editor shows "PlanReport (PlanReport.xlam)", not the template's MyAddin: the PROJECT
    stream's Name= and the dir stream's PROJECTNAME record agree, as olevba's own parser reads them."""
    from oletools.olevba import VBA_Project

    with zipfile.ZipFile(built) as z:
        parser = VBA_Parser("vbaProject.bin", data=z.read(xlam.VBA_PART))
    try:
        [(vba_root, project_path, dir_path)] = parser.find_vba_projects()
        project = VBA_Project(parser.ole_file, vba_root, project_path, dir_path, relaxed=False)
        assert project.projectname == "PlanReport"
        assert b'\r\nName="PlanReport"\r\n' in parser.ole_file.openstream(project_path).read()
        names = [Path(name).stem for _, _, name, _ in parser.extract_macros()]
    finally:
        parser.close()
    assert sorted(names) == ["Dictionary", "RibbonMyAddin", "Sheet2", "ThisWorkbook", "xlwings"]


def pinned_xlwings() -> str:
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return next(d.split("==")[1] for d in deps if d.startswith("xlwings"))


def test_olevba_decode_shows_the_functions_inside_the_addin_and_the_pinned_dll(built):
    import xlwings

    # `olevba --decode`, run as a module so it is found wherever pip put the oletools scripts
    run = subprocess.run([sys.executable, "-m", "oletools.olevba", "--decode", str(built)],
                         capture_output=True, text=True, check=True)
    sections = re.split(r"^VBA MACRO ", run.stdout, flags=re.M)
    ribbon = next(s for s in sections if s.startswith("RibbonMyAddin.bas"))
    for name, args in (("PLAN_RATE", "target, actual, Optional indicator"),
                       ("PLAN_STATUS", "target, actual, Optional indicator"), ("PLAN_PARSE", "target")):
        assert f"Function {name}({args})" in ribbon
        assert f'{name} = XLPy.CallUDF("addin.office.udfs", "{name}", Array(' in ribbon
    xlwings_module = next(s for s in sections if s.startswith("xlwings.bas"))
    dlls = set(re.findall(r'"xlwings(?:32|64)-([0-9.]+)\.dll"', xlwings_module))
    assert dlls == {pinned_xlwings()} == {xlwings.__version__} == {xlam.dll_version(built)}


STUB_WINDOWS = """
import io, sys, types
# xlwings.udfs imports pywin32 at the top; none of it runs in generate_vba_wrapper.
for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["pythoncom"].CoInitialize = lambda: None
sys.modules["win32com.client"].Dispatch = None
import xlwings.udfs as xu
from addin.office import udfs
module = types.ModuleType("addin.office.udfs")
for func in udfs.FUNCTIONS:
    setattr(module, func.__name__, xu.xlfunc(func))
class AddinBook:
    Name = "PlanReport.xlam"
out = io.StringIO()
xu.generate_vba_wrapper("addin.office.udfs", module, out, AddinBook())
sys.stdout.write(out.getvalue())
"""


def test_wrappers_are_what_xlwings_generates_for_an_addin():
    """xlwings' own generator, run on our functions with its Windows imports stubbed out."""
    from addin.office.udf_wrappers import wrapper
    from addin.office.udfs import FUNCTIONS

    theirs = subprocess.run([sys.executable, "-c", STUB_WINDOWS], capture_output=True, text=True, check=True).stdout
    ours = "".join(line + "\n" for func in sorted(FUNCTIONS, key=lambda f: f.__name__) for line in wrapper(func))
    assert ours == theirs
    assert "ActiveWorkbook, Application.Caller" in ours  # the add-in form, not ThisWorkbook
