"""Batch throughput on workbooks that differ in their indicator names.

Real batches mix districts whose names partly differ; here every copy renames its 48
indicators ("第7组地区生产总值", "地区生产总值（第8组）"), so no worker cache sees the same
text twice. bench/run.py measures the same batch against openpyxl; this prints --jobs 1 and 2.

    python bench/varied_batch.py [--copies 100] [--repeats 2]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import make_variants  # noqa: E402
from run import interleaved, planreport_cmd  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="planreport-varied-") as tmp:
        tmp = Path(tmp)
        make_variants(tmp / "made", args.copies)
        folder, out = tmp / "in", tmp / "out"

        def fill() -> None:  # the write-back changes the workbooks, so each run starts from the made ones
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(tmp / "made", folder)

        cases = {f"batch --jobs {j}": (lambda j=j: [*planreport_cmd(), "batch", str(folder), "--out", str(out),
                                                    "--jobs", str(j)], (0, 1), fill) for j in (1, 2)}
        measured = interleaved(cases, args.repeats, warmup=False)
    print(json.dumps({label: {"wall_s": round(m.wall, 3), "cpu_s": round(m.cpu, 3),
                              "workbooks_per_s": round(args.copies / m.wall, 1)} for label, m in measured.items()},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
