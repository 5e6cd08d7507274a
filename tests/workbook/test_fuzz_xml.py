"""Mutated XML parts of a valid workbook: `planreport check` answers 0/1/2 with a message, never crashes.

Runs the CLI in-process (addin.cli.main) and treats its catch-all "内部错误"
(an exception nobody turned into a PlanReportError) as a failure.
"""
from __future__ import annotations

import contextlib
import io
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make_cases  # noqa: E402

from addin.cli import main  # noqa: E402

GOOD = make_cases.wb_bytes()
with zipfile.ZipFile(io.BytesIO(GOOD)) as _z:
    PARTS = sorted(n for n in _z.namelist() if n.endswith((".xml", ".rels")))
    XML = {n: _z.read(n) for n in PARTS}
TAG = re.compile(rb"<[^<>]*>")


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    part = draw(st.sampled_from(PARTS))
    data = bytearray(XML[part])
    kind = draw(st.sampled_from(["flip", "truncate", "delete_tag", "duplicate_tag"]))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            pos = draw(st.integers(0, len(data) - 1))
            data[pos] = draw(st.integers(0, 255))
    elif kind == "truncate":
        del data[draw(st.integers(0, len(data) - 1)):]
    else:
        tags = list(TAG.finditer(bytes(data)))
        m = tags[draw(st.integers(0, len(tags) - 1))]
        data[m.start():m.end()] = b"" if kind == "delete_tag" else m.group(0) * 2
    return part, bytes(data)


def run_check(path: Path) -> tuple[int, str]:
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()  # --json writes to .buffer
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--json"])
    return code, err.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_part_gets_an_answer(change):
    part, payload = change
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.xlsx"
        path.write_bytes(make_cases.rewrite(GOOD, {part: payload}))
        code, err = run_check(path)
    event(f"exit {code}")
    assert code in (0, 1, 2), (part, code, err)
    assert "内部错误" not in err, (part, err)
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("planreport: "), err
