"""kill -9 at random instants of a write-back loop: the workbook is always the old or the new one."""
from __future__ import annotations

import os
import random
import shutil
import signal
import time
import zipfile

import pytest

from addin.workbook.writeback import write_results
from writeback_support import make_workbook, result_json_from

KILLS = 60


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_at_random_moments(tmp_path):
    from openpyxl import load_workbook

    workbook = make_workbook(tmp_path / "乌拉特前旗.xlsx")
    first = result_json_from(workbook)
    second = result_json_from(workbook, unmet_below=150)  # a different sheet, so the states differ
    # The three states the file may legitimately be in, computed on a copy.
    scratch = tmp_path / "scratch" / workbook.name
    scratch.parent.mkdir()
    shutil.copy2(workbook, scratch)
    states = {workbook.read_bytes(): "original"}
    write_results(scratch, first, backup=False)
    states[scratch.read_bytes()] = "first"
    write_results(scratch, second, backup=False)
    states[scratch.read_bytes()] = "second"
    assert len(states) == 3

    # Kill moments spread over about two write-back cycles as this machine runs them now,
    # so a loaded CI box still lands kills in both the first and the second write.
    started = time.perf_counter()
    write_results(scratch, first, backup=True)
    write_results(scratch, second, backup=True)
    cycle = time.perf_counter() - started
    rng = random.Random(20250128)
    seen, mid_write = [], 0
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # child: write-backs in a loop until killed
            try:
                while True:
                    write_results(workbook, first)
                    write_results(workbook, second)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0, 2.5 * cycle))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        mid_write += any(p.name.startswith(".planreport-tmp") for p in tmp_path.iterdir())
        content = workbook.read_bytes()
        assert content in states, "workbook is neither the old nor the new version"
        seen.append(states[content])
        with zipfile.ZipFile(workbook) as zf:
            assert zf.testzip() is None
        load_workbook(workbook).close()
    assert len(set(seen)) >= 2, seen  # the kills did land at different moments
    assert mid_write, "no kill landed while a new version was being written"
    print(f"states {sorted(set(seen))}, {mid_write}/{KILLS} kills mid-write")

    # Temporaries of killed runs are cleared by the next run, which holds the lock.
    write_results(workbook, first)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".planreport-tmp")]
