"""Guard limits are settings: planreport.toml beside the workbook (or --config) raises or lowers
them, the pipeline hands them to the guard, and each refusal names the key that lifts it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402


@pytest.fixture(scope="module")
def good() -> bytes:
    return make_cases.wb_bytes()


def _check(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", "check", str(path), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def _refused(proc: subprocess.CompletedProcess, key: str) -> None:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert f"planreport.toml 中调高 {key}" in lines[0], lines[0]


@pytest.mark.parametrize("key, value", [("max_file_bytes", 1000), ("max_cells", 50), ("max_sheet_area", 100),
                                        ("max_total_area", 200), ("max_xml_tags", 500)])
def test_a_lowered_limit_refuses_and_names_its_key(tmp_path, good, key, value):
    book = tmp_path / "昆都仑区.xlsx"
    book.write_bytes(good)
    assert _check(book).returncode == 0
    (tmp_path / "planreport.toml").write_text(f"{key} = {value}\n", encoding="utf-8")
    _refused(_check(book), key)


def test_a_raised_limit_lets_a_big_workbook_through(tmp_path, good):
    """3,000 parts are refused by default (max_members 2000) and read once the limit is raised."""
    many = tmp_path / "many" / "多部件.xlsx"
    many.parent.mkdir()
    many.write_bytes(make_cases.rewrite(good, {}, {f"xl/media/p{i}.bin": b"" for i in range(3000)}))
    _refused(_check(many), "max_members")
    config = tmp_path / "大工作簿.toml"
    config.write_text("[planreport]\nmax_members = 5000\n", encoding="utf-8")
    assert _check(many, "--config", str(config)).returncode == 0


def test_limit_values_are_checked(tmp_path, good):
    book = tmp_path / "昆都仑区.xlsx"
    book.write_bytes(good)
    for text, words in (('max_cells = "很多"', "应为正整数"), ("max_cells = 0", "应为正整数"),
                        ("max_ratio = -1", "应为正数"), ("results_sheet_fallback = 1", "true 或 false")):
        (tmp_path / "planreport.toml").write_text(text + "\n", encoding="utf-8")
        proc = _check(book)
        assert proc.returncode == 2 and words in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, text


def test_understated_member_count_meets_the_same_limit_as_its_honest_twin(tmp_path, good):
    """The end record claims the base package's count; the directory holds 3,000 more."""
    import zipfile
    import io

    with zipfile.ZipFile(io.BytesIO(good)) as z:
        honest = len(z.infolist())
    liar = make_cases.understated_zip(good, tmp_path / "liar.xlsx", 3000, honest)
    twin = make_cases.understated_zip(good, tmp_path / "twin.xlsx", 3000, honest + 3000)
    _refused(_check(twin), "max_members")
    _refused(_check(liar), "max_members")
