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
    (["refresh", "a.xlsx", "--wait", "abc"], ["--wait", "“abc”", "数字"]),
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


@pytest.mark.parametrize("flag, value, words", [
    ("--date", "2026-99-99", "不是有效的日期"),
    ("--date", "2026年2月30日", "不是有效的日期"),
    ("--wait", "-1", "不小于 0"),
    ("--wait", "nan", "不小于 0"),
])
def test_bad_date_and_wait_are_one_line(tmp_path, flag, value, words):
    proc = _run("refresh", "workbooks/kundulun-2025.xlsx", "--out", str(tmp_path / "out"), "--no-writeback", flag, value)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and words in lines[0], proc.stderr
    assert not (tmp_path / "out").exists()  # refused before anything was read or written


def test_free_text_date_is_kept(tmp_path):
    proc = _run("refresh", "workbooks/kundulun-2025.xlsx", "--out", str(tmp_path), "--no-writeback",
                "--format", "html", "--date", "二〇二六年一月")
    assert proc.returncode == 1, proc.stderr  # the sample's one rate error
    assert "二〇二六年一月" in (tmp_path / "kundulun-2025.html").read_text(encoding="utf-8")
