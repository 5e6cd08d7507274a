"""`planreport excel install|diagnose`, and the worksheet functions, without Excel."""
import subprocess
import sys
from pathlib import Path

import pytest

from addin.office import excel_install as inst
from addin.common.errors import PlanReportError


@pytest.fixture
def addin_file(tmp_path):
    from addin.office.xlam import build_xlam

    return build_xlam(tmp_path / "built" / "PlanReport.xlam")


@pytest.mark.parametrize("platform, xlstart, conf, key", [
    ("win32", "AppData/Roaming/Microsoft/Excel/XLSTART", ".planreport/planreport.conf", "INTERPRETER_WIN"),
    ("darwin", str(inst.MAC_STARTUP), str(inst.MAC_SANDBOX / "planreport.conf"), "INTERPRETER_MAC"),
])
def test_install_copies_addin_and_writes_settings(tmp_path, addin_file, monkeypatch, platform, xlstart, conf, key):
    monkeypatch.delenv("USERPROFILE", raising=False)
    monkeypatch.delenv("APPDATA", raising=False)
    home = tmp_path / "home"
    config = home / conf
    config.parent.mkdir(parents=True)
    config.write_text('"SHOW CONSOLE","True"\r\n"interpreter_win","old"\r\n', encoding="utf-8")
    lines = inst.install(addin_file, platform=platform, home=home, interpreter="/opt/py/python")
    copied = home / xlstart / "PlanReport.xlam"
    assert copied.read_bytes() == addin_file.read_bytes()
    entries = inst.read_config(config)
    assert entries[key] == "/opt/py/python"
    assert entries["UDF MODULES"] == "addin.office.udfs"
    assert entries["SHOW CONSOLE"] == "True"  # the user's own settings survive
    if key == "INTERPRETER_WIN":
        assert "interpreter_win" not in entries  # keys are case-insensitive for the VBA reader
    assert any(str(copied) in line for line in lines)

    checks = {c.label: c for c in inst.diagnose(platform=platform, home=home, interpreter=sys.executable)}
    assert checks["XLSTART 中的加载项"].ok and checks["设置文件"].ok and checks["工作表函数模块"].ok
    assert not checks["设置中的 Python"].ok  # /opt/py/python does not exist here


def test_config_value_with_quote_is_refused(tmp_path):
    with pytest.raises(PlanReportError, match="双引号"):
        inst.write_config(tmp_path / "x.conf", {"INTERPRETER_WIN": 'C:\\a"b'})


def test_install_on_linux_is_one_chinese_line_exit_2():
    run = subprocess.run([sys.executable, "-m", "addin", "excel", "install"], capture_output=True, text=True)
    if not sys.platform.startswith("linux"):
        pytest.skip("只在 Linux 上检查")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "Linux 上没有 Excel" in run.stderr
    assert "Traceback" not in run.stderr


def test_diagnose_command_prints_checks():
    run = subprocess.run([sys.executable, "-m", "addin", "excel", "diagnose"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "PlanReport 版本" in run.stdout and "xlwings" in run.stdout


def test_worksheet_functions_agree_with_the_check():
    from addin.office.udfs import PLAN_PARSE, PLAN_RATE, PLAN_STATUS

    assert PLAN_RATE("8%左右", "5.5%", "地区生产总值") == pytest.approx(0.6875)
    assert PLAN_STATUS("8%左右", "5.5%") == "未完成"
    assert PLAN_RATE("3亿元", "6亿元") == pytest.approx(2.0)
    assert PLAN_STATUS("3亿元", 6.0) == "已完成" and PLAN_RATE("3亿元", 6.0) == pytest.approx(2.0)  # bare number: target's unit
    assert PLAN_RATE("", None) is None and PLAN_STATUS("", "") == "无法核算"
    assert "左右" in PLAN_PARSE("8%左右") and "8" in PLAN_PARSE("8%左右")
    assert "相对" in PLAN_PARSE("与经济增长同步")


def test_worksheet_functions_match_every_sample_row():
    sample = Path(__file__).resolve().parents[2] / "workbooks" / "kundulun-2025.xlsx"
    from addin.app.pipeline import check_workbook
    from addin.office.udfs import PLAN_RATE, STATUS_TEXT, PLAN_STATUS

    for ind in check_workbook(sample).to_json()["indicators"]:
        if ind["direction"] == "relative":
            continue  # needs the reference row, which a single cell formula does not see
        rate = PLAN_RATE(ind["target"], ind["actual"], ind["name"])
        expected = ind["computed_rate"]
        assert (rate is None) == (expected is None), ind["name"]
        if rate is not None:
            assert rate * 100 == pytest.approx(expected), ind["name"]
        assert PLAN_STATUS(ind["target"], ind["actual"], ind["name"]) == STATUS_TEXT[ind["status"]], ind["name"]
