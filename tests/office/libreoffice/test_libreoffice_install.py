"""The .oxt as built (files, URLs, same bytes every build), what the wheel ships, and
`planreport libreoffice install | uninstall | diagnose` against the real unopkg/soffice."""
from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from addin import __version__
from addin.office.libreoffice import OXT_NAME
from addin.office.libreoffice.install import diagnose, installed_version
from addin.office.libreoffice.oxt import SOURCE, build_oxt, extension_files

ROOT = Path(__file__).resolve().parents[3]
MACRO = SOURCE / "Scripts" / "python" / "planreport_buttons.py"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="unopkg's refusal of root needs root")


def planreport(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, env=env, timeout=120)


def exported_functions() -> list[str]:
    tree = ast.parse(MACRO.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "g_exportedScripts":
            return [elt.id for elt in node.value.elts]
    raise AssertionError("g_exportedScripts missing")


def test_oxt_is_the_same_bytes_every_build_and_carries_every_source_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build_oxt(tmp_path / "a")  # a folder gets PlanReport.oxt inside it
    second = build_oxt(tmp_path / "b" / OXT_NAME)
    assert first.name == OXT_NAME and first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        names = set(zf.namelist())
        manifest = zf.read("META-INF/manifest.xml").decode("utf-8")
        description = zf.read("description.xml").decode("utf-8")
    assert names == {p.relative_to(SOURCE).as_posix() for p in extension_files()}
    assert f'<version value="{__version__}"/>' in description
    # Every configuration file is registered, and the script folder for the Python provider.
    for name in names:
        if name.endswith(".xcu"):
            assert f'manifest:full-path="{name}"' in manifest
    assert 'manifest:full-path="Scripts/" manifest:media-type="application/vnd.sun.star.framework-script"' in manifest


def test_every_button_url_names_this_oxt_and_an_exported_macro():
    addons = (SOURCE / "Addons.xcu").read_text(encoding="utf-8")
    urls = re.findall(r"<value>(vnd\.sun\.star\.script:[^<]+)</value>", addons)
    assert len(urls) == 8  # four buttons, in the menu and on the toolbar
    exported = exported_functions()
    for url in urls:
        match = re.fullmatch(r"vnd\.sun\.star\.script:([^|]+)\|Scripts\|python\|planreport_buttons\.py\$(\w+)"
                             r"\?language=Python&amp;location=user:uno_packages", url)
        assert match, url
        assert match.group(1) == OXT_NAME and match.group(2) in exported
    assert exported == ["generate_report", "check_data", "open_report_folder", "diagnose"]


def macro_constants() -> dict:
    tree = ast.parse(MACRO.read_text(encoding="utf-8"))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, (ast.Constant, ast.Tuple))
            and all(isinstance(v, ast.Constant) for v in getattr(node.value, "elts", ()))}


def test_the_macro_recognises_the_results_sheet_as_the_file_write_back_writes_it():
    """The macro runs in LibreOffice's Python and cannot import addin: its copies must agree."""
    from addin.workbook.writeback import results_sheet

    constants = macro_constants()
    assert constants["RESULTS_SHEET"] == results_sheet.SHEET_NAME
    assert constants["RESULTS_SHEET_ALT"] == results_sheet.ALT_SHEET_NAME
    assert list(constants["RESULTS_HEADER"]) == results_sheet.INDICATOR_HEADER
    assert constants["RESULTS_FOOTNOTE"] == results_sheet.FOOTNOTE
    assert constants["OWNER_MARK"] == results_sheet.OWN_NAME


def test_the_wheel_ships_the_extension_sources():
    """pyproject's package-data globs pick up exactly the files the .oxt is built from."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["addin.office.libreoffice"]
    package = SOURCE.parent
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    assert shipped == set(extension_files())


@as_root
def test_install_as_root_without_a_user_is_one_chinese_line():
    proc = planreport("libreoffice", "install")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "unopkg 不能以 root 身份" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.fixture
def shared_dir():
    """A folder another account can reach (pytest's own tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="planreport-lo-install-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@as_root
def test_install_and_uninstall_for_a_user_with_a_private_profile(shared_dir):
    profile = shared_dir / "profile"
    env = dict(os.environ, HOME=str(shared_dir / "home"))
    args = ["--user", "nobody", "--profile", str(profile)]
    installed = planreport("libreoffice", "install", *args, env=env)
    assert installed.returncode == 0, installed.stderr
    assert "已安装 LibreOffice 扩展 PlanReport.oxt" in installed.stdout
    # The settings file belongs in the account's home; nobody has none, and is told so.
    assert "用户 nobody 没有主目录，未写入设置文件" in installed.stdout
    assert not (shared_dir / "home").exists()
    assert installed_version(profile, "nobody") == __version__
    removed = planreport("libreoffice", "uninstall", *args, env=env)
    assert removed.returncode == 0 and "已卸载" in removed.stdout, removed.stderr
    assert installed_version(profile, "nobody") is None
    again = planreport("libreoffice", "uninstall", *args, env=env)
    assert again.returncode == 0 and "未安装" in again.stdout, again.stderr


def fake_office(folder: Path, version_line: str) -> Path:
    """A soffice that prints an old version and has no pythonscript.py beside it."""
    folder.mkdir()
    soffice = folder / "soffice"
    soffice.write_text(f"#!/bin/sh\necho '{version_line}'\n", encoding="utf-8")
    soffice.chmod(0o755)
    return soffice


def by_label(checks) -> dict:
    return {c.label: c for c in checks}


def test_diagnose_says_old_libreoffice_and_missing_script_provider(tmp_path):
    soffice = fake_office(tmp_path / "lo5", "LibreOffice 5.4.7.2 40(Build:2)")
    checks = by_label(diagnose(soffice=soffice, environ={"PATH": "/usr/bin:/bin"}, home=tmp_path))
    assert not checks["LibreOffice"].ok and "过旧" in checks["LibreOffice"].value
    assert not checks["Python 脚本支持"].ok
    assert "libreoffice-script-provider-python" in checks["Python 脚本支持"].value


def test_diagnose_says_missing_interpreter_and_finds_a_configured_one(tmp_path):
    missing = by_label(diagnose(environ={"PATH": "/usr/bin:/bin"}, home=tmp_path))
    assert not missing["按钮使用的 Python"].ok and "planreport libreoffice install" in missing["按钮使用的 Python"].value
    assert missing["LibreOffice"].ok and missing["Python 脚本支持"].ok  # the real, Debian-packaged ones
    found = by_label(diagnose(environ={"PATH": "/usr/bin:/bin", "PLANREPORT_PYTHON": sys.executable}, home=tmp_path))
    assert found["按钮使用的 Python"].ok and sys.executable in found["按钮使用的 Python"].value


def test_diagnose_command_exits_1_when_something_is_missing(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    proc = planreport("libreoffice", "diagnose", env=env)
    assert proc.returncode == 1, proc.stderr
    assert "✗ 按钮使用的 Python：未设置" in proc.stdout and "✓ LibreOffice" in proc.stdout
