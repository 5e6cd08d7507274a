"""SIGKILL the `planreport refresh` process itself at 50 random moments: the workbook always opens
and is the old one or the new one, never half-written."""
from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile

from writeback_support import make_workbook

KILLS = 50
MAX_KILLS = 150  # a loaded machine may need more tries before a kill lands after the swap


def _refresh(workbook, out):
    return [sys.executable, "-m", "addin", "refresh", str(workbook), "--format", "html", "--out", str(out)]


def test_kill_the_refresh_process(tmp_path):
    from openpyxl import load_workbook

    workbook = make_workbook(tmp_path / "达茂旗.xlsx")
    old = workbook.read_bytes()
    # The new state: what one complete refresh writes (on a copy, so the real file starts old).
    scratch = tmp_path / "scratch" / workbook.name
    scratch.parent.mkdir()
    shutil.copy2(workbook, scratch)
    started = time.perf_counter()
    subprocess.run(_refresh(scratch, tmp_path / "out0"), check=False, capture_output=True)
    duration = time.perf_counter() - started
    new = scratch.read_bytes()
    assert new != old
    states = {hashlib.sha256(old).hexdigest(): "old", hashlib.sha256(new).hexdigest(): "new"}

    rng = random.Random(20260128)
    seen = []
    for i in range(MAX_KILLS):
        if i >= KILLS and {"old", "new"} <= set(seen):
            break
        proc = subprocess.Popen(_refresh(workbook, tmp_path / f"out{i % 3}"), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5) * duration)  # the writing happens near the end
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = workbook.read_bytes()
        state = states.get(hashlib.sha256(content).hexdigest())
        assert state is not None, f"kill {i}: the workbook is neither the old nor the new one"
        seen.append(state)
        with zipfile.ZipFile(workbook) as zf:
            assert zf.testzip() is None
        load_workbook(workbook, read_only=True).close()
        if state == "new" and rng.random() < 0.5:
            workbook.write_bytes(old)  # start some later kills from the old state again
    assert "old" in seen and "new" in seen, seen  # kills landed before and after the replace
