"""Where Excel loads the add-in from, and the settings file its VBA reads.

No xlwings import: `planreport excel diagnose` must work where Excel is absent.
The add-in's xlwings module has PROJECT_NAME "planreport" (see addin/office/xlam.py),
so its VBA reads %USERPROFILE%\\.planreport\\planreport.conf on Windows and
~/Library/Containers/com.microsoft.Excel/Data/planreport.conf on a Mac.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from addin import __version__
from addin.common.errors import PlanReportError

ADDIN_NAME = "PlanReport.xlam"
CONF_NAME = "planreport.conf"
UDF_MODULES = "addin.office.udfs"
MAC_SANDBOX = Path("Library/Containers/com.microsoft.Excel/Data")
MAC_STARTUP = Path("Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel")
NO_EXCEL = "Linux 上没有 Excel：请在装有 Excel 的 Windows 或 Mac 电脑上运行 planreport excel install"


@dataclass(frozen=True)
class Places:
    system: str  # "windows" | "mac" | "other"
    xlstart: Optional[Path]
    config: Optional[Path]
    interpreter_key: Optional[str]


def system_of(platform: str = sys.platform) -> str:
    if platform.startswith("win"):
        return "windows"
    return "mac" if platform == "darwin" else "other"


def places(platform: str = sys.platform, home: Optional[Path] = None, environ=os.environ) -> Places:
    system = system_of(platform)
    home = Path(home) if home else Path.home()
    if system == "windows":
        profile = Path(environ.get("USERPROFILE") or home)
        appdata = Path(environ.get("APPDATA") or profile / "AppData" / "Roaming")
        return Places(system, appdata / "Microsoft" / "Excel" / "XLSTART",
                      profile / ".planreport" / CONF_NAME, "INTERPRETER_WIN")
    if system == "mac":
        return Places(system, home / MAC_STARTUP, home / MAC_SANDBOX / CONF_NAME, "INTERPRETER_MAC")
    return Places(system, None, None, None)


def built_addin() -> Optional[Path]:
    """dist/PlanReport.xlam of the checkout this package runs from, if built."""
    candidate = Path(__file__).resolve().parents[2] / "dist" / ADDIN_NAME
    return candidate if candidate.is_file() else None


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


def write_config(path: Path, updates: dict[str, str]) -> None:
    entries = read_config(path)
    lowered = {k.lower(): k for k in entries}
    for key, value in updates.items():
        if '"' in value:
            raise PlanReportError(f"{path}: 设置值不能含双引号：{value}")
        entries.pop(lowered.get(key.lower(), key), None)
        entries[key] = value
    text = "".join(f'"{k}","{v}"\r\n' for k, v in entries.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.write_bytes(text.encode(_config_encoding()))
    except UnicodeEncodeError:
        raise PlanReportError(f"{path}: Python 路径含本机代码页无法表示的字符，请把 Python 装到纯英文路径下") from None


def install(addin: Optional[Path] = None, platform: str = sys.platform, home: Optional[Path] = None,
            interpreter: str = sys.executable) -> list[str]:
    """Copy the add-in to XLSTART and point its settings at this interpreter. Returns what was done."""
    where = places(platform, home)
    if where.system == "other":
        raise PlanReportError(NO_EXCEL)
    source = Path(addin) if addin else built_addin()
    if source is None:
        from addin.office.xlam import build_xlam

        source = build_xlam(where.config.parent / ADDIN_NAME)
    if not source.is_file():
        raise PlanReportError(f"找不到加载项文件 {source}；请先运行 python build.py")
    where.xlstart.mkdir(parents=True, exist_ok=True)
    target = where.xlstart / ADDIN_NAME
    try:
        shutil.copyfile(source, target)
    except PermissionError:
        raise PlanReportError(f"{target}: 无法覆盖加载项，请先关闭 Excel 再安装") from None
    write_config(where.config, {where.interpreter_key: interpreter, "UDF MODULES": UDF_MODULES})
    return [f"已复制加载项到 {target}", f"已写入设置 {where.config}（Python：{interpreter}）",
            "请重新启动 Excel，功能区将出现“计划执行报告”选项卡。"]


@dataclass(frozen=True)
class Check:
    label: str
    value: str
    ok: bool


def diagnose(platform: str = sys.platform, home: Optional[Path] = None,
             interpreter: str = sys.executable) -> list[Check]:
    where = places(platform, home)
    checks = [
        Check("PlanReport 版本", __version__, True),
        Check("Python", f"{interpreter}（{sys.version.split()[0]}）", True),
        _module_check("xlwings", "xlwings"),
    ]
    if where.system == "windows":
        checks.append(_module_check("pywin32（Excel 调用 Python 所需）", "win32com"))
    source = built_addin()
    checks.append(Check("已构建的加载项", str(source) if source else "无（python build.py 生成 dist/PlanReport.xlam）",
                        source is not None))
    if where.system == "other":
        checks.append(Check("Excel", NO_EXCEL, False))
        return checks
    target = where.xlstart / ADDIN_NAME
    checks.append(Check("XLSTART 中的加载项", str(target) if target.is_file() else f"未安装（{target}）", target.is_file()))
    config = read_config(where.config)
    configured = config.get(where.interpreter_key, "")
    checks.append(Check("设置文件", str(where.config) if where.config.is_file() else f"不存在（{where.config}）",
                        where.config.is_file()))
    checks.append(Check("设置中的 Python", configured or "未设置（运行 planreport excel install）",
                        bool(configured) and Path(configured).is_file()))
    checks.append(Check("工作表函数模块", config.get("UDF MODULES", "未设置"), config.get("UDF MODULES") == UDF_MODULES))
    return checks


def _module_check(label: str, module: str) -> Check:
    found = importlib.util.find_spec(module) is not None
    return Check(label, "已安装" if found else "未安装（pip install " + module.replace("win32com", "pywin32") + "）", found)


def format_checks(checks: list[Check]) -> str:
    return "\n".join(f"{'✓' if c.ok else '✗'} {c.label}：{c.value}" for c in checks)
