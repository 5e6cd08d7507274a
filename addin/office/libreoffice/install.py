"""Install, remove and diagnose the LibreOffice extension for the current user.

unopkg refuses to run as root for a user profile; an administrator (or CI, which is root)
names the account with ``user=``, and the command runs as that account through runuser.
``profile`` is a LibreOffice user installation folder (-env:UserInstallation), for a
private profile beside the normal one.
"""
from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from addin import __version__
from addin.common.errors import PlanReportError
from addin.office.excel_install import CONF_NAME, Check, read_config, write_config
from addin.office.libreoffice import EXTENSION_ID, OXT_NAME

INTERPRETER_KEY = "INTERPRETER_LINUX"
MINIMUM_VERSION = (6, 0)
UNOPKG_TIMEOUT = 180.0
PROGRAM_DIRS = ("/usr/lib/libreoffice/program", "/opt/libreoffice/program", "/usr/lib64/libreoffice/program")
NO_PROVIDER = ("缺少 LibreOffice 的 Python 脚本支持：Debian/UOS/麒麟请运行 "
               "sudo apt install libreoffice-script-provider-python")
ROOT_REFUSED = ("unopkg 不能以 root 身份为用户安装扩展：请以使用 LibreOffice 的普通用户身份运行本命令，"
                "或由 root 加 --user 用户名 为该用户安装")


def config_path(home: Optional[Path] = None) -> Path:
    """~/.planreport/planreport.conf, the file the Excel add-in reads on Windows too."""
    return (Path(home) if home else Path.home()) / ".planreport" / CONF_NAME


def find_office_program(name: str, environ=os.environ) -> Optional[Path]:
    """unopkg or soffice: on PATH (without a virtualenv's bin), else in the usual program folders."""
    found = shutil.which(name, path=office_env(environ).get("PATH"))
    if found:
        return Path(found)
    for folder in PROGRAM_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def office_env(environ=os.environ) -> dict[str, str]:
    """The environment to start LibreOffice with: LibreOffice's own Python breaks when a
    virtualenv/conda/pyenv python3 is first on PATH or PYTHONHOME/PYTHONPATH point elsewhere."""
    env = {k: v for k, v in environ.items() if k not in ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "CONDA_PREFIX")}
    env["PATH"] = os.pathsep.join(p for p in environ.get("PATH", "").split(os.pathsep) if p and not _python_env_bin(p))
    return env


def _python_env_bin(folder: str) -> bool:
    parent = Path(folder).parent
    return (parent / "pyvenv.cfg").is_file() or (parent / "conda-meta").is_dir() or ".pyenv" in Path(folder).parts


def built_oxt() -> Optional[Path]:
    """dist/PlanReport.oxt of the checkout this package runs from, if built."""
    candidate = Path(__file__).resolve().parents[3] / "dist" / OXT_NAME
    return candidate if candidate.is_file() else None


def _unopkg_command(action: list[str], profile: Optional[Path], user: Optional[str]) -> tuple[list[str], dict]:
    unopkg = find_office_program("unopkg")
    if unopkg is None:
        raise PlanReportError("找不到 unopkg：请先安装 LibreOffice（Debian/UOS：sudo apt install libreoffice-calc）")
    if os.geteuid() == 0 and not user:
        raise PlanReportError(ROOT_REFUSED)
    command = [str(unopkg), *action]
    if profile:
        command.append("-env:UserInstallation=" + Path(profile).resolve().as_uri())
    env = office_env()
    if user and os.geteuid() == 0:
        if profile and not Path(profile).exists():
            Path(profile).mkdir(parents=True)  # root made it: hand it to the account unopkg runs as
            _give_to(Path(profile), user)
        command = ["runuser", "-u", user, "--", *command]
    return command, env


def _run_unopkg(command: list[str], env: dict, home: Optional[Path]) -> subprocess.CompletedProcess:
    if home is not None:
        env = dict(env, HOME=str(home))
    try:
        return subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=UNOPKG_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise PlanReportError(f"unopkg 在 {UNOPKG_TIMEOUT:g} 秒内没有完成：请先关闭 LibreOffice 再试") from None
    except OSError as exc:
        raise PlanReportError(f"无法运行 {command[0]}：{exc.strerror or exc}") from None


def _unopkg_said(proc: subprocess.CompletedProcess) -> str:
    text = (proc.stderr or b"").decode("utf-8", "replace") + (proc.stdout or b"").decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # unopkg ends with "ERROR: unopkg failed."; the reason is the line before it.
    useful = [line for line in lines if "unopkg failed" not in line]
    said = (useful or lines or [f"退出码 {proc.returncode}"])[-1]
    return said + ("（请先关闭 LibreOffice 再试）" if "lock file" in said else "")


def installed_version(profile=None, user: Optional[str] = None) -> Optional[str]:
    """The extension's version as unopkg lists it for that profile, or None when not installed."""
    command, env = _unopkg_command(["list", EXTENSION_ID], profile, user)
    with _scratch_home(user, _account_home(user) if user else None) as scratch:
        proc = _run_unopkg(command, env, scratch)
    match = re.search(r"Version:\s*(\S+)", proc.stdout.decode("utf-8", "replace"))
    if proc.returncode == 0 and match:
        return match.group(1)
    said = _unopkg_said(proc)
    if "no such extension" in said.lower():
        return None
    raise PlanReportError(f"unopkg 无法列出已安装的扩展：{said}")  # e.g. LibreOffice is running on that profile


def install(oxt=None, profile=None, user: Optional[str] = None, interpreter: str = sys.executable,
            home: Optional[Path] = None) -> list[str]:
    """unopkg add the extension and write INTERPRETER_LINUX; returns what was done, in Chinese."""
    command_home = _account_home(user) if user else None
    with tempfile.TemporaryDirectory(prefix="planreport-oxt-") as work:
        source = Path(oxt) if oxt else None
        if source is not None and not source.is_file():
            raise PlanReportError(f"{source}: 扩展文件不存在")
        if source is None or user:
            # Built from the installed package (or copied) into a folder the installing account can read.
            os.chmod(work, 0o755)
            target = Path(work) / OXT_NAME
            if source is None:
                from addin.office.libreoffice.oxt import build_oxt

                source = build_oxt(target)
            else:
                shutil.copyfile(source, target)
                source = target
            os.chmod(source, 0o644)
        if source.name != OXT_NAME:
            raise PlanReportError(f"{source}: 扩展文件必须名为 {OXT_NAME}（按钮的宏地址按这个名字查找）")
        command, env = _unopkg_command(["add", "--force", "--suppress-license", str(source)], profile, user)
        with _scratch_home(user, command_home) as scratch:
            proc = _run_unopkg(command, env, scratch)
    if proc.returncode != 0:
        raise PlanReportError(f"unopkg 未能安装扩展：{_unopkg_said(proc)}")
    if installed_version(profile, user) is None:
        raise PlanReportError("unopkg 报告成功，但扩展没有出现在已安装列表中：请关闭 LibreOffice 后重试")
    done = [f"已安装 LibreOffice 扩展 {OXT_NAME}（{EXTENSION_ID} {__version__}）" + (f"，用户 {user}" if user else "")]
    conf_home = home or command_home or (None if user else Path.home())
    if conf_home is not None:
        conf = config_path(conf_home)
        write_config(conf, {INTERPRETER_KEY: interpreter})
        if user and os.geteuid() == 0:
            _give_to(conf.parent, user)
        done.append(f"已写入设置 {conf}（Python：{interpreter}）")
    else:
        done.append(f"用户 {user} 没有主目录，未写入设置文件：按钮将使用环境变量 PLANREPORT_PYTHON 或 PATH 中的 planreport")
    done.append("请重新启动 LibreOffice Calc：菜单栏出现“计划执行报告”，工具栏有 生成报告、核对数据、打开报告文件夹、诊断。")
    return done


def uninstall(profile=None, user: Optional[str] = None) -> list[str]:
    command, env = _unopkg_command(["remove", EXTENSION_ID], profile, user)
    with _scratch_home(user, _account_home(user) if user else None) as scratch:
        proc = _run_unopkg(command, env, scratch)
    if proc.returncode != 0:
        said = _unopkg_said(proc)
        if "no such extension" in said.lower():
            return [f"扩展 {EXTENSION_ID} 未安装，无需卸载"]
        raise PlanReportError(f"unopkg 未能卸载扩展：{said}")
    return [f"已卸载 LibreOffice 扩展 {EXTENSION_ID}；重新启动 LibreOffice 后按钮消失"]


def _account_home(user: str) -> Optional[Path]:
    try:
        home = Path(pwd.getpwnam(user).pw_dir)
    except KeyError:
        raise PlanReportError(f"没有名为 {user} 的用户") from None
    return home if home.is_dir() else None


class _scratch_home:
    """HOME for unopkg run as another account: its own home if it has one, else a temporary
    folder it can write (nobody's home, /nonexistent, cannot hold LibreOffice's lock files)."""

    def __init__(self, user: Optional[str], home: Optional[Path]):
        self.user, self.home, self.temp = user, home, None

    def __enter__(self) -> Optional[Path]:
        if not self.user or os.geteuid() != 0 or self.home is not None:
            return self.home
        self.temp = tempfile.mkdtemp(prefix="planreport-home-")
        _give_to(Path(self.temp), self.user)
        return Path(self.temp)

    def __exit__(self, *exc) -> None:
        if self.temp:
            shutil.rmtree(self.temp, ignore_errors=True)


def _give_to(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for folder, _dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)


# ---------------------------------------------------------------- diagnose

def office_version(soffice: Path) -> Optional[tuple[int, ...]]:
    """(7, 4, 7, 2) from `soffice --version` ("LibreOffice 7.4.7.2 40(Build:2)")."""
    try:
        proc = subprocess.run([str(soffice), "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                              env=office_env(), timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?", proc.stdout.decode("utf-8", "replace"))
    return tuple(int(g) for g in match.groups() if g is not None) if match else None


def script_provider(soffice: Path) -> Optional[Path]:
    """LibreOffice's Python script provider (pythonscript.py) beside the real soffice binary."""
    program = Path(os.path.realpath(soffice)).parent
    candidate = program / "pythonscript.py"
    return candidate if candidate.is_file() else None


def interpreter_source(environ=os.environ, home: Optional[Path] = None) -> tuple[Optional[str], str]:
    """The interpreter the buttons will use and where it comes from, in the macro's order."""
    if environ.get("PLANREPORT_PYTHON", "").strip():
        return environ["PLANREPORT_PYTHON"].strip(), "环境变量 PLANREPORT_PYTHON"
    conf = config_path(home)
    configured = read_config(conf).get(INTERPRETER_KEY, "")
    if configured:
        return configured, str(conf)
    script = shutil.which("planreport", path=office_env(environ).get("PATH"))
    if script:
        return script, "PATH 中的 planreport"
    return None, ""


def _installed_check() -> Check:
    if os.geteuid() == 0:
        return Check("已安装的扩展", "root 无法查看（unopkg 不能以 root 身份运行）：请以使用 LibreOffice 的用户运行诊断", True)
    try:
        version = installed_version()
    except PlanReportError as exc:
        return Check("已安装的扩展", str(exc), False)
    if version is None:
        return Check("已安装的扩展", "未安装（运行 planreport libreoffice install）", False)
    if version != __version__:
        return Check("已安装的扩展", f"{version}，与 PlanReport {__version__} 不一致：请重新运行 planreport libreoffice install", False)
    return Check("已安装的扩展", f"{EXTENSION_ID} {version}", True)


def diagnose(soffice: Optional[Path] = None, environ=os.environ, home: Optional[Path] = None) -> list[Check]:
    checks = [Check("PlanReport 版本", __version__, True), Check("Python", f"{sys.executable}（{sys.version.split()[0]}）", True)]
    soffice = Path(soffice) if soffice else find_office_program("soffice", environ)
    if soffice is None:
        checks.append(Check("LibreOffice", "未安装（Debian/UOS：sudo apt install libreoffice-calc）", False))
    else:
        version = office_version(soffice)
        shown = ".".join(map(str, version)) if version else "无法读取版本"
        new_enough = version is not None and version[:2] >= MINIMUM_VERSION
        if version is not None and not new_enough:
            shown += f"（过旧：需要 {'.'.join(map(str, MINIMUM_VERSION))} 或更新的 LibreOffice）"
        checks.append(Check("LibreOffice", f"{soffice}，{shown}", new_enough))
        provider = script_provider(soffice)
        checks.append(Check("Python 脚本支持", str(provider) if provider else NO_PROVIDER, provider is not None))
    checks.append(Check("unopkg", str(find_office_program("unopkg", environ) or "未找到"),
                        find_office_program("unopkg", environ) is not None))
    python, source = interpreter_source(environ, home)
    if python is None:
        checks.append(Check("按钮使用的 Python", "未设置：运行 planreport libreoffice install，或设置环境变量 PLANREPORT_PYTHON", False))
    else:
        usable = Path(python).is_file() and os.access(python, os.X_OK)
        checks.append(Check("按钮使用的 Python", f"{python}（来自 {source}）" + ("" if usable else "：文件不存在或不可执行"), usable))
    checks.append(_installed_check())
    built = built_oxt()
    checks.append(Check("已构建的扩展", str(built) if built else "无（安装时从已安装的程序包现场构建）", True))
    return checks
