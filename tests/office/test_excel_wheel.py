"""The wheel carries a ready PlanReport.xlam: a machine that never saw the repo can install it.

Builds the wheel with `pip wheel --no-deps` (pip's cache and index as configured) from a
copy of the sources, installs it with --no-deps into a fresh venv and runs the installed
`planreport` from a folder outside the repo. Finding the add-in and the dry run need
nothing but the package itself: the venv holds the wheel and nothing else — no repo,
no build extra (pycfb), not even the runtime dependencies.
"""
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
                                "报告")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if not _has_pip():
        pytest.skip("此解释器没有 pip")
    tmp = tmp_path_factory.mktemp("wheel")
    # A copy: an in-tree build/ left over from an older build would put stale modules into the wheel.
    source = shutil.copytree(ROOT, tmp / "src", ignore=IGNORE)
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "out"), str(source)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    (built,) = (tmp / "out").glob("planreport-*.whl")
    return built


def _has_pip() -> bool:
    return subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory):
    home = tmp_path_factory.mktemp("fresh")
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                          "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return python, home


def run_in(fresh_venv, *args, **kw):
    python, home = fresh_venv
    env = {"PATH": f"{python.parent}{os.pathsep}/usr/bin:/bin", "HOME": str(home / "user"),
           "USERPROFILE": str(home / "user"), "SYSTEMROOT": os.environ.get("SYSTEMROOT", "")}
    return subprocess.run([str(python), *args], capture_output=True, text=True, cwd=home, env=env, timeout=120, **kw)


def test_wheel_carries_the_addin_and_no_build_tool(wheel):
    import zipfile

    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert z.read("addin/office/PlanReport.xlam") == (ROOT / "addin/office/PlanReport.xlam").read_bytes()
        metadata = z.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Python: >=3.11" in metadata and "Requires-Dist: xlwings==0.37.8" in metadata
    assert not [line for line in metadata.splitlines() if line.startswith("Requires-Dist: cfbwrite")]


def test_installed_package_finds_its_addin_away_from_the_repo(fresh_venv):
    python, home = fresh_venv
    code = ("import addin, addin.office.excel_install as i; "
            "print(addin.__file__); print(i.packaged_addin()); import importlib.util as u; print(u.find_spec('pycfb'))")
    run = run_in(fresh_venv, "-c", code)
    assert run.returncode == 0, run.stderr
    module, packaged, pycfb = run.stdout.split("\n")[:3]
    venv_root = str(python.parent.parent)
    assert module.startswith(venv_root) and not module.startswith(str(ROOT))
    assert packaged.startswith(venv_root) and packaged.endswith("PlanReport.xlam")
    assert pycfb == "None"  # installing needs no compound-file writer: the add-in is built already


def test_installed_command_dry_run_reports_what_it_would_copy_and_write(fresh_venv):
    python, home = fresh_venv
    planreport = python.parent / ("planreport.exe" if os.name == "nt" else "planreport")
    run = subprocess.run([str(planreport), "excel", "install", "--dry-run"], capture_output=True, text=True, cwd=home,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(home / "user"), "USERPROFILE": str(home / "user")},
                         timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    copy = next(line for line in lines if line.startswith("将复制加载项"))
    assert str(python.parent.parent) in copy and "XLSTART" in copy and copy.endswith("PlanReport.xlam")
    write = next(line for line in lines if line.startswith("将写入设置"))
    assert "planreport.conf" in write and f"INTERPRETER_WIN = {python}" in write
    assert not (home / "user").exists()  # a dry run writes nothing


def test_installed_package_finds_its_own_templates(fresh_venv):
    """The installed copy's templates, found from the package itself (not the repo's templates/)."""
    python, home = fresh_venv
    run = run_in(fresh_venv, "-c", "from addin.render.templates import templates_dir; print(templates_dir())")
    assert run.returncode == 0, run.stderr
    found = Path(run.stdout.strip())
    assert str(found).startswith(str(python.parent.parent)) and not str(found).startswith(str(ROOT))
    assert {"phrases.j2", "summary.html.j2", "summary.docx"} <= {p.name for p in found.iterdir()}
