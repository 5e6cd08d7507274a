"""`planreport excel install|uninstall|diagnose` on real files in a stand-in user profile."""
import subprocess
import sys
from pathlib import Path

import pytest

from addin.common.errors import PlanReportError
from addin.office import excel_install as inst
from addin.office.xlam import PACKAGED

XLSTART = Path("AppData/Roaming/Microsoft/Excel/XLSTART")
CONF = Path(".planreport/planreport.conf")
NO_ENV: dict = {}  # USERPROFILE/APPDATA unset: the profile is `home`


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    (home / CONF).parent.mkdir(parents=True)
    # the user's own setting, an old lower-case key, and a stale conda activation from an earlier install
    (home / CONF).write_text('"SHOW CONSOLE","True"\r\n"interpreter_win","old"\r\n"CONDA ENV","gone"\r\n',
                             encoding="utf-8")
    return home


def install(home, interpreter="/opt/py/python.exe", **kw):
    return inst.install(platform="win32", home=home, interpreter=interpreter, environ=NO_ENV, **kw)


def test_install_copies_the_packaged_addin_and_writes_settings(home):
    lines = install(home)
    copied = home / XLSTART / "PlanReport.xlam"
    assert copied.read_bytes() == PACKAGED.read_bytes()
    entries = inst.read_config(home / CONF)
    assert entries == {"SHOW CONSOLE": "True", "INTERPRETER_WIN": "/opt/py/python.exe",
                       "ADD_WORKBOOK_TO_PYTHONPATH": "False"}  # old key replaced, stale conda key gone
    assert any(str(copied) in line for line in lines) and lines[-1].startswith("请重新启动 Excel")


def test_dry_run_reports_and_changes_nothing(home):
    before = (home / CONF).read_bytes()
    lines = install(home, dry_run=True)
    assert not (home / XLSTART).exists() and (home / CONF).read_bytes() == before
    assert lines[0] == f"将复制加载项 {PACKAGED} 到 {home / XLSTART / 'PlanReport.xlam'}"
    assert "INTERPRETER_WIN = /opt/py/python.exe" in lines[1] and "删除 CONDA ENV" in lines[1]


def test_conda_interpreters_get_the_conda_settings(tmp_path, home):
    base = tmp_path / "Anaconda3"
    for folder in ("conda-meta", "condabin", "envs/stats/conda-meta"):
        (base / folder).mkdir(parents=True)
    install(home, interpreter=str(base / "envs" / "stats" / "python.exe"))
    entries = inst.read_config(home / CONF)
    assert entries["CONDA PATH"] == str(base) and entries["CONDA ENV"] == "stats"
    install(home, interpreter=str(base / "python.exe"))
    assert inst.read_config(home / CONF)["CONDA ENV"] == "base"
    elsewhere = tmp_path / "projects" / "env"
    (elsewhere / "conda-meta").mkdir(parents=True)
    settings = inst.conda_settings(str(elsewhere / "python.exe"), {"CONDA_EXE": str(base / "Scripts" / "conda.exe")})
    assert settings == {"CONDA PATH": str(base), "CONDA ENV": str(elsewhere)}


def test_uninstall_removes_the_addin_and_only_our_settings(home):
    install(home)
    lines = inst.uninstall(platform="win32", home=home, environ=NO_ENV, dry_run=True)
    assert (home / XLSTART / "PlanReport.xlam").is_file() and len(lines) == 2
    inst.uninstall(platform="win32", home=home, environ=NO_ENV)
    assert not (home / XLSTART / "PlanReport.xlam").exists()
    assert inst.read_config(home / CONF) == {"SHOW CONSOLE": "True"}
    (home / CONF).write_text('"INTERPRETER_WIN","x"\r\n', encoding="utf-8")
    lines = inst.uninstall(platform="win32", home=home, environ=NO_ENV)
    assert not (home / CONF).exists() and "文件随之删除" in lines[-1]


def test_mac_is_refused_plainly(tmp_path):
    with pytest.raises(PlanReportError, match="只支持 Windows"):
        inst.install(platform="darwin", home=tmp_path)
    assert not any(tmp_path.iterdir())


def test_config_value_with_quote_is_refused(tmp_path):
    with pytest.raises(PlanReportError, match="双引号"):
        inst.write_config(tmp_path / "x.conf", {"INTERPRETER_WIN": 'C:\\a"b'})


def venv_layout(root: Path, dll: str) -> str:
    """A Windows venv as pip leaves it: Scripts\\python.exe, xlwings' DLL in the venv's root."""
    (root / "Scripts").mkdir(parents=True)
    (root / "Scripts" / "python.exe").write_bytes(b"MZ")
    (root / dll).write_bytes(b"MZ")
    return str(root / "Scripts" / "python.exe")


def test_diagnose_checks_the_dll_beside_the_configured_interpreter(tmp_path, home):
    good = venv_layout(tmp_path / "good", "xlwings64-0.37.8.dll")
    old = venv_layout(tmp_path / "old", "xlwings64-0.36.0.dll")
    install(home, interpreter=good)
    checks = {c.label: c for c in inst.diagnose(platform="win32", home=home, interpreter=old, environ=NO_ENV)}
    dll = checks["xlwings DLL（Excel 调用 Python 所需）"]
    assert dll.ok and dll.value == str(tmp_path / "good" / "xlwings64-0.37.8.dll")
    assert checks["XLSTART 中的加载项"].ok and checks["设置中的 Python"].ok and checks["xlwings"].ok

    install(home, interpreter=old)
    dll = {c.label: c for c in inst.diagnose(platform="win32", home=home, interpreter=old, environ=NO_ENV)}[dll.label]
    assert not dll.ok
    assert "xlwings64-0.36.0.dll" in dll.value and "xlwings64-0.37.8.dll" in dll.value
    assert "pip install --force-reinstall xlwings==0.37.8" in dll.value


def test_diagnose_sees_an_outdated_addin_in_xlstart(home):
    install(home)
    (home / XLSTART / "PlanReport.xlam").write_bytes(b"an older build")
    check = {c.label: c for c in inst.diagnose(platform="win32", home=home, environ=NO_ENV)}["XLSTART 中的加载项"]
    assert not check.ok and "重新运行 planreport excel install" in check.value


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "addin", "excel", *args], capture_output=True, text=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="只在 Linux 上检查")
def test_install_on_linux_is_one_chinese_line_exit_2():
    for action in ("install", "uninstall"):
        run = run_cli(action)
        assert run.returncode == 2
        assert run.stderr.strip().count("\n") == 0 and "Linux 上没有 Excel" in run.stderr
        assert "Traceback" not in run.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="只在 Linux 上检查")
def test_dry_run_command_previews_windows(tmp_path):
    run = subprocess.run([sys.executable, "-m", "addin", "excel", "install", "--dry-run"], capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "USERPROFILE": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert str(PACKAGED) in run.stdout and str(tmp_path / XLSTART / "PlanReport.xlam") in run.stdout
    assert not any(tmp_path.iterdir())


def test_diagnose_command_prints_checks():
    run = run_cli("diagnose")
    assert run.returncode == 0
    assert "PlanReport 版本" in run.stdout and "xlwings：0.37.8（加载项按 0.37.8 构建）" in run.stdout
