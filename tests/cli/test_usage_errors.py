"""Usage errors are one Chinese line and exit 2, like every other error (not argparse's English usage)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("args, words", [
    (["check", "-x.xlsx"], ["缺少参数", "./-x.xlsx"]),
    (["check"], ["缺少参数 workbook"]),
    (["frob"], ["没有命令 'frob'", "check"]),
    (["refresh", "a.xlsx", "--wait", "abc"], ["--wait", "'abc'", "数字"]),
    (["check", "a.xlsx", "--bogus"], ["无法识别的参数 --bogus"]),
    (["refresh", "a.xlsx", "--out"], ["--out", "需要一个值"]),
    (["batch"], ["缺少参数"]),
])
def test_usage_error_is_one_chinese_line(args, words):
    proc = _run(*args)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert "usage:" not in proc.stderr and "error:" not in proc.stderr and CJK.search(lines[0])
    assert lines[0].startswith("planreport")
    for word in words:
        assert word in lines[0], lines[0]
    assert proc.stdout == ""


def test_help_still_prints_usage():
    proc = _run("check", "-h")
    assert proc.returncode == 0 and "workbook" in proc.stdout
