"""batch takes every option refresh takes (issue: --config, --templates and --date reached
refresh only): each one is seen in the reports batch writes."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"


def test_batch_applies_config_templates_and_date(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("甲区", "乙区"):
        shutil.copy(SAMPLE, src / f"{name}.xlsx")
    cfg = tmp_path / "市里.toml"
    cfg.write_text('[report]\nissuer = "某市发展和改革委员会"\n', encoding="utf-8")
    templates = tmp_path / "模板"
    shutil.copytree(ROOT / "templates", templates)
    html = templates / "summary.html.j2"
    html.write_text(html.read_text(encoding="utf-8").replace("<body", "<!-- 本市模板 --><body", 1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "addin", "batch", str(src), "--out", str(tmp_path / "out"), "--jobs", "2",
         "--format", "html", "--no-writeback", "--config", str(cfg), "--templates", str(templates),
         "--date", "2026-01-28"],
        capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # the sample's one rate error, in both workbooks
    for name in ("甲区", "乙区"):
        page = (tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8")
        assert "本市模板" in page and "某市发展和改革委员会" in page and "2026年1月28日" in page
    assert sorted(p.name for p in src.iterdir()) == ["乙区.xlsx", "甲区.xlsx"]  # no write-back, no backups


def test_batch_bad_format_is_one_chinese_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "addin", "batch", str(tmp_path), "--out", str(tmp_path / "o"),
                          "--format", "odt"], capture_output=True, text=True)
    assert run.returncode == 2 and "无法识别的输出格式" in run.stderr and "Traceback" not in run.stderr
