"""Where Excel loads the add-in from, the settings file its VBA reads, and what can be checked.

Windows only: the buttons run Python through xlwings' RunPython, which on a Mac needs
xlwings' AppleScript installed into Excel's sandbox; PlanReport does not install it,
so it says so instead of copying an add-in whose every button would fail.

No xlwings import: `planreport excel diagnose` must work where Excel is absent.
The add-in's xlwings module has PROJECT_NAME "planreport" (see addin/office/xlam.py),
so its VBA reads %USERPROFILE%\\.planreport\\planreport.conf.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from addin import __version__
from addin.common.errors import PlanReportError

ADDIN_NAME = "PlanReport.xlam"
CONF_NAME = "planreport.conf"
INTERPRETER_KEY = "INTERPRETER_WIN"
# xlwings puts the workbook's folder on sys.path; for a workbook on OneDrive/SharePoint it
# first maps the URL to a local file and fails with an English error when it cannot.
# PlanReport is an installed package and needs no workbook folder on its path.
PYTHONPATH_KEY = "ADD_WORKBOOK_TO_PYTHONPATH"
CONDA_KEYS = ("CONDA PATH", "CONDA ENV")
# Keys earlier versions wrote and uninstall removes; anything else in the file is the user's.
OURS = (INTERPRETER_KEY, PYTHONPATH_KEY, *CONDA_KEYS, "UDF MODULES")
NO_EXCEL = "Linux 上没有 Excel：Excel 加载项只能在装有 Excel 的 Windows 电脑上安装、卸载（--dry-run 可预览）"
NO_MAC = ("“计划执行报告”加载项的按钮只支持 Windows 版 Excel（Mac 版 Excel 调用 Python 需要另装 xlwings 的 "
          "AppleScript，本项目未提供）。在 Mac 上请使用命令行：planreport refresh 工作簿.xlsx")
PREVIEW = "（本机不是 Windows：以下是在 Windows 上会执行的操作，路径按当前用户目录推算）"


@dataclass(frozen=True)
class Places:
    xlstart: Path
    config: Path


def system_of(platform: str = sys.platform) -> str:
    if platform.startswith("win"):
        return "windows"
    return "mac" if platform == "darwin" else "other"


def windows_places(home: Optional[Path] = None, environ: Mapping[str, str] = os.environ) -> Places:
    profile = Path(environ.get("USERPROFILE") or home or Path.home())
    appdata = Path(environ.get("APPDATA") or profile / "AppData" / "Roaming")
    return Places(appdata / "Microsoft" / "Excel" / "XLSTART", profile / ".planreport" / CONF_NAME)


def require_windows(platform: str, dry_run: bool) -> list[str]:
    """Nothing on a Mac or Linux, except a dry run's preview of what Windows would get."""
    system = system_of(platform)
    if system == "windows":
        return []
    if not dry_run:
        raise PlanReportError(NO_MAC if system == "mac" else NO_EXCEL)
    return [PREVIEW]


def packaged_addin() -> Optional[Path]:
    """The PlanReport.xlam inside the installed package (built with it, see build.py)."""
    from addin.office.xlam import PACKAGED

    return PACKAGED if PACKAGED.is_file() else None


def read_config(path: Path) -> dict[str, str]:
    """Entries of an xlwings settings file: lines of "KEY","value" (VBA Write #)."""
    entries: dict[str, str] = {}
    if not path.is_file():
        return entries
    for line in path.read_text(encoding=_config_encoding(), errors="replace").splitlines():
        key, sep, value = line.partition(",")
        if sep:
            entries[key.strip().strip('"')] = value.strip().strip('"')
    return entries


def _config_encoding() -> str:
    # VBA's Input # reads the file in the ANSI code page (GBK on Chinese Windows).
    return "mbcs" if sys.platform.startswith("win") else "utf-8"


def updated_config(entries: dict[str, str], updates: Mapping[str, Optional[str]]) -> dict[str, str]:
    """Entries with ``updates`` applied (None removes a key); keys match case-insensitively, as in VBA."""
    entries = dict(entries)
    lowered = {k.lower(): k for k in entries}
    for key, value in updates.items():
        entries.pop(lowered.get(key.lower(), key), None)
        if value is not None:
            entries[key] = value
    return entries


def write_config(path: Path, updates: Mapping[str, Optional[str]]) -> None:
    for value in updates.values():
        if value is not None and '"' in value:
            raise PlanReportError(f"{path}: 设置值不能含双引号：{value}")
    entries = updated_config(read_config(path), updates)
    if not entries:
        path.unlink(missing_ok=True)
        return
    text = "".join(f'"{k}","{v}"\r\n' for k, v in entries.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.write_bytes(text.encode(_config_encoding()))
    except UnicodeEncodeError:
        raise PlanReportError(f"{path}: Python 路径含本机代码页无法表示的字符，请把 Python 装到纯英文路径下") from None


def conda_settings(interpreter: str, environ: Mapping[str, str] = os.environ) -> dict[str, Optional[str]]:
    """CONDA PATH / CONDA ENV for an Anaconda interpreter, as `xlwings config create` writes them.

    xlwings then runs `conda activate` first, without which numpy and pandas cannot load
    their DLLs. An environment under <base>\\envs is named; one elsewhere is given by path
    (xlwings accepts either). Not conda: both keys removed, so no stale activation remains.
    """
    prefix = Path(interpreter).parent
    if not (prefix / "conda-meta").is_dir():
        return {key: None for key in CONDA_KEYS}
    if prefix.parent.name.lower() == "envs" and (prefix.parent.parent / "conda-meta").is_dir():
        return {"CONDA PATH": str(prefix.parent.parent), "CONDA ENV": prefix.name}
    if (prefix / "condabin").is_dir():
        return {"CONDA PATH": str(prefix), "CONDA ENV": "base"}
    exe = environ.get("CONDA_EXE")  # <base>\Scripts\conda.exe
    base = Path(exe).parent.parent if exe else prefix
    return {"CONDA PATH": str(base), "CONDA ENV": str(prefix)}


def install(addin: Optional[Path] = None, platform: str = sys.platform, home: Optional[Path] = None,
            interpreter: str = sys.executable, environ: Mapping[str, str] = os.environ,
            dry_run: bool = False) -> list[str]:
    """Copy the add-in to XLSTART and point its settings at this interpreter. Returns what was (or would be) done."""
    lines = require_windows(platform, dry_run)
    where = windows_places(home, environ)
    source = Path(addin) if addin else packaged_addin()
    if source is None:
        raise PlanReportError("安装包中缺少 PlanReport.xlam：请重新安装 planreport（pip install --force-reinstall planreport）")
    if not source.is_file():
        raise PlanReportError(f"找不到加载项文件 {source}")
    target = where.xlstart / ADDIN_NAME
    settings = {INTERPRETER_KEY: interpreter, PYTHONPATH_KEY: "False", **conda_settings(interpreter, environ)}
    existing = {k.upper() for k in read_config(where.config)}
    changes = [f"{k} = {v}" for k, v in settings.items() if v is not None]
    changes += [f"删除 {k}" for k, v in settings.items() if v is None and k.upper() in existing]
    verb = "将" if dry_run else "已"
    lines.append(f"{verb}复制加载项 {source} 到 {target}")
    lines.append(f"{verb}写入设置 {where.config}：" + "；".join(changes))
    if dry_run:
        return lines
    where.xlstart.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(source, target)
    except PermissionError:
        raise PlanReportError(f"{target}: 无法覆盖加载项，请先关闭 Excel 再安装") from None
    write_config(where.config, settings)
    return lines + ["请重新启动 Excel，功能区将出现“计划执行报告”选项卡。"]


def uninstall(platform: str = sys.platform, home: Optional[Path] = None, environ: Mapping[str, str] = os.environ,
              dry_run: bool = False) -> list[str]:
    """Remove the add-in from XLSTART and PlanReport's keys from the settings; the user's own keys stay."""
    lines = require_windows(platform, dry_run)
    where = windows_places(home, environ)
    target = where.xlstart / ADDIN_NAME
    verb = "将" if dry_run else "已"
    if target.is_file():
        lines.append(f"{verb}删除 {target}")
        if not dry_run:
            try:
                target.unlink()
            except PermissionError:
                raise PlanReportError(f"{target}: 加载项正被 Excel 使用，请先关闭 Excel 再卸载") from None
    else:
        lines.append(f"XLSTART 中没有加载项（{target}）")
    entries = read_config(where.config)
    ours = [k for k in entries if k.upper() in OURS]
    if ours:
        left = updated_config(entries, {k: None for k in ours})
        lines.append(f"{verb}从 {where.config} 删除 {'、'.join(ours)}" + ("" if left else "（文件随之删除）"))
        if not dry_run:
            write_config(where.config, {k: None for k in ours})
    return lines


@dataclass(frozen=True)
class Check:
    label: str
    value: str
    ok: bool


def installed_version(dist: str) -> Optional[str]:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def dll_check(interpreter: str, wanted: str) -> Check:
    """The xlwings DLL the add-in's VBA loads, where it looks: beside python.exe, then one folder up (a venv)."""
    label = "xlwings DLL（Excel 调用 Python 所需）"
    name = f"xlwings64-{wanted}.dll"
    folders = [Path(interpreter).parent, Path(interpreter).parent.parent]
    for folder in folders:
        if (folder / name).is_file():
            return Check(label, str(folder / name), True)
    others = sorted({p.name for folder in folders if folder.is_dir() for p in folder.glob("xlwings*-*.dll")})
    found = f"只找到 {'、'.join(others)}" if others else "未找到"
    return Check(label, f"{found}；加载项需要 {name}（在 {folders[0]} 或 {folders[1]}）："
                        f"请运行 pip install --force-reinstall xlwings=={wanted}", False)


def diagnose(platform: str = sys.platform, home: Optional[Path] = None, interpreter: str = sys.executable,
             environ: Mapping[str, str] = os.environ) -> list[Check]:
    from addin.office.xlam import dll_version

    system = system_of(platform)
    source = packaged_addin()
    wanted = dll_version(source) if source else None
    xlwings = installed_version("xlwings")
    checks = [
        Check("PlanReport 版本", __version__, True),
        Check("Python", f"{interpreter}（{sys.version.split()[0]}）", True),
        Check("xlwings", f"{xlwings}（加载项按 {wanted} 构建）" if xlwings else "未安装（pip install planreport 会装上）",
              xlwings is not None and xlwings == wanted),
        Check("安装包中的加载项", str(source) if source else "缺少 PlanReport.xlam（请重新安装 planreport）", source is not None),
    ]
    if system != "windows":
        checks.append(Check("Excel", NO_MAC if system == "mac" else NO_EXCEL, False))
        return checks
    checks.append(_module_check("pywin32（Excel 调用 Python 所需）", "win32com", "pywin32"))
    where = windows_places(home, environ)
    target = where.xlstart / ADDIN_NAME
    current = target.is_file() and source is not None and target.read_bytes() == source.read_bytes()
    state = "与安装包一致" if current else "与安装包不同：请关闭 Excel 后重新运行 planreport excel install"
    checks.append(Check("XLSTART 中的加载项", f"{target}（{state}）" if target.is_file() else f"未安装（{target}）", current))
    config = read_config(where.config)
    configured = config.get(INTERPRETER_KEY, "")
    checks.append(Check("设置文件", str(where.config) if where.config.is_file() else f"不存在（{where.config}）",
                        where.config.is_file()))
    checks.append(Check("设置中的 Python", configured or "未设置（运行 planreport excel install）",
                        bool(configured) and Path(configured).is_file()))
    if wanted:  # the DLL Excel will load: beside the configured interpreter, else this one
        checks.append(dll_check(configured if configured and Path(configured).is_file() else interpreter, wanted))
    return checks


def _module_check(label: str, module: str, dist: str) -> Check:
    found = importlib.util.find_spec(module) is not None
    return Check(label, "已安装" if found else f"未安装（pip install {dist}）", found)


def format_checks(checks: list[Check]) -> str:
    return "\n".join(f"{'✓' if c.ok else '✗'} {c.label}：{c.value}" for c in checks)
