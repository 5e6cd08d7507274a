"""PlanReport's speed next to what the same machine needs just to read the file.

    python bench/run.py            # table; medians of 5 (several minutes)
    python bench/run.py --quick    # medians of 3, fewer big workbooks' repeats
    python bench/run.py --json     # one JSON object on stdout
    python bench/run.py --table-from saved.json   # the table of an earlier --json run

Every figure is a whole process (interpreter start included, the same for ours
and for the openpyxl/calamine baselines, which run as ``python -c``), timed by
wall clock, with its CPU time and peak RSS from wait4(). The members of each
comparison are run interleaved (A B A B ...) so that load from other programs
on the machine falls on both sides of a ratio alike. Goals are checked on wall
time; the CPU-time ratio is printed beside it because it is steadier on a busy
machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"
PY = sys.executable

OPENPYXL_LOAD = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"
OPENPYXL_SAVE = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
# The batch's baselines: openpyxl load+save of every workbook, either in one process in turn
# (sys.argv[3] = 1, the baseline issue 17 names) or, stricter, with the batch's own parallelism:
# openpyxl imported once in the parent, then a pool of sys.argv[3] forked workers
# (ProcessPoolExecutor, as `batch --jobs N` uses) loading and saving one workbook per task.
OPENPYXL_SAVE_ALL = """
import sys, pathlib, openpyxl
from concurrent.futures import ProcessPoolExecutor
def save(p, out=pathlib.Path(sys.argv[2])):
    openpyxl.load_workbook(p).save(out / p.name)
if __name__ == "__main__":
    pathlib.Path(sys.argv[2]).mkdir(exist_ok=True)
    books = sorted(pathlib.Path(sys.argv[1]).glob("*.xlsx"))
    if sys.argv[3] == "1":  # in turn, in this one process: no pool to start
        list(map(save, books))
    else:
        with ProcessPoolExecutor(max_workers=int(sys.argv[3])) as pool:
            list(pool.map(save, books))
"""
JOBS = 2  # batch --jobs and the baseline's workers alike
CALAMINE_READ = ("import sys, python_calamine as c; wb = c.CalamineWorkbook.from_path(sys.argv[1]);"
                 " [wb.get_sheet_by_name(s).to_python() for s in wb.sheet_names]")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


@dataclass
class Measure:
    label: str
    runs: list[Run] = field(default_factory=list)
    note: Optional[str] = None  # "not available: ..." instead of figures

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def wall_min(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def wall_max(self) -> float:
        return max(r.wall for r in self.runs)

    def to_json(self) -> dict:
        if not self.runs:
            return {"label": self.label, "note": self.note}
        return {"label": self.label, "wall_s": round(self.wall, 4), "cpu_s": round(self.cpu, 4),
                "wall_min_s": round(self.wall_min, 4), "wall_max_s": round(self.wall_max, 4),
                "peak_mb": round(self.peak_mb, 1), "n": len(self.runs),
                "walls": [round(r.wall, 4) for r in self.runs], "note": self.note}


def planreport_cmd() -> list[str]:
    """The console script when installed (what users run), else ``python -m addin``."""
    script = shutil.which("planreport")
    return [script] if script else [PY, "-m", "addin"]


def run_once(cmd: Sequence[str], ok: Sequence[int] = (0,), cwd: Optional[Path] = None) -> Run:
    """One process: wall time, user+sys CPU and peak RSS of it and the children it waited for."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}: {stderr.decode(errors='replace')[-500:]}")
    # Linux reports ru_maxrss in KiB, including waited-for children (batch workers).
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def interleaved(cases: dict[str, tuple[Callable[[], Sequence[str]], Sequence[int], Optional[Callable[[], None]]]],
                repeats: int, warmup: bool = True) -> dict[str, Measure]:
    """Run each case once per round, rounds ``repeats`` times; ``prepare`` runs untimed before each."""
    out = {name: Measure(name) for name in cases}
    for round_ in range(repeats + (1 if warmup else 0)):
        for name, (make_cmd, ok, prepare) in cases.items():
            if prepare:
                prepare()
            run = run_once(make_cmd(), ok)
            if round_ or not warmup:  # the first round only fills the page cache
                out[name].runs.append(run)
    return out


def _proc_field(path: str, key: str) -> Optional[str]:
    """The value of the first ``key: value`` line of a /proc file, where there is one."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), None)


def machine() -> dict:
    mem = _proc_field("/proc/meminfo", "MemTotal")  # "24684212 kB"
    return {"nproc": os.cpu_count(), "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor(),
            "ram_gb": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None,
            "python": platform.python_version(), "os": platform.platform(), "loadavg_start": list(os.getloadavg())}


def batch_available(pr: list[str]) -> Optional[str]:
    probe = subprocess.run([*pr, "batch", "--help"], capture_output=True, text=True)
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["batch --help failed"])[-1]


class Bench:
    def __init__(self, repeats: int, copies: int, sizes: Sequence[int], big_repeats: int, tmp: Path):
        self.repeats, self.copies, self.sizes, self.big_repeats, self.tmp = repeats, copies, sizes, big_repeats, tmp
        self.pr = planreport_cmd()
        self.m: dict[str, Measure] = {}
        self.extra: dict = {"planreport": " ".join(self.pr)}

    def log(self, text: str) -> None:
        print(f"  … {text}", file=sys.stderr, flush=True)

    def sample(self) -> None:
        self.log("sample: check / refresh / openpyxl / calamine")
        pr, tmp = self.pr, self.tmp
        work = tmp / "sample"
        work.mkdir()
        copy = work / SAMPLE.name

        def fresh_copy() -> None:
            shutil.copy2(SAMPLE, copy)
            for extra in work.glob(f"*{SAMPLE.stem}*"):
                if extra != copy and extra.is_file():
                    extra.unlink()  # backups the write-back leaves beside the workbook

        cases = {
            "check": (lambda: [*pr, "check", str(SAMPLE), "--json"], (0, 1), None),
            "openpyxl load": (lambda: [PY, "-c", OPENPYXL_LOAD, str(SAMPLE)], (0,), None),
            "calamine read": (lambda: [PY, "-c", CALAMINE_READ, str(SAMPLE)], (0,), None),
            "refresh --no-writeback": (lambda: [*pr, "refresh", str(SAMPLE), "--no-writeback", "--out", str(tmp / "out1")],
                                       (0, 1), None),
            "refresh (write-back)": (lambda: [*pr, "refresh", str(copy), "--out", str(tmp / "out2")], (0, 1), fresh_copy),
            "openpyxl load+save": (lambda: [PY, "-c", OPENPYXL_SAVE, str(SAMPLE), str(tmp / "saved.xlsx")], (0,), None),
        }
        self.m.update(interleaved(cases, self.repeats))

    def startup(self) -> None:
        self.log("start-up: planreport --version vs python -c pass")
        cases = {"python -c pass": (lambda: [PY, "-c", "pass"], (0,), None),
                 "planreport --version": (lambda: [*self.pr, "--version"], (0,), None)}
        self.m.update(interleaved(cases, max(self.repeats, 5) * 2))

    def batch(self) -> None:
        """100 different sample-size workbooks (every indicator renamed per copy), --jobs 2,
        docx + html + write-back, against openpyxl load+save of the same files in 2 forked workers."""
        label = "batch --jobs 2"
        why = batch_available(self.pr)
        if why:
            self.m[label] = Measure(label, note=f"not available: {why}")
            return
        sys.path.insert(0, str(ROOT / "bench"))
        from gen import make_variants

        self.log(f"batch: {self.copies} different workbooks, --jobs {JOBS}, vs openpyxl load+save of each, {JOBS} workers")
        made, folder, out = self.tmp / "batch-made", self.tmp / "batch-in", self.tmp / "batch-out"
        make_variants(made, self.copies)

        def fill() -> None:  # the write-back changes the workbooks: every run starts from the made ones
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(made, folder)

        cases = {label: (lambda: [*self.pr, "batch", str(folder), "--out", str(out), "--jobs", str(JOBS)], (0, 1), fill),
                 "openpyxl load+save ×N, 2 jobs": (lambda: [PY, "-c", OPENPYXL_SAVE_ALL, str(made), str(self.tmp / "saved-all"),
                                                            str(JOBS)], (0,), None),
                 # The baseline: one process, one CPU.
                 "openpyxl load+save ×N, 1 job": (lambda: [PY, "-c", OPENPYXL_SAVE_ALL, str(made), str(self.tmp / "saved-all"),
                                                           "1"], (0,), None)}
        self.m.update(interleaved(cases, self.big_repeats))

    def scaling(self) -> None:
        sys.path.insert(0, str(ROOT / "bench"))
        from gen import make_big_workbook

        for rows in self.sizes:
            self.log(f"generated workbook: {rows} indicators")
            path = make_big_workbook(self.tmp / f"gen-{rows}.xlsx", rows)
            self.extra[f"gen {rows} MB"] = round(path.stat().st_size / 1e6, 2)
            cases = {f"check {rows}": (lambda p=path: [*self.pr, "check", str(p), "--json"], (0, 1), None),
                     f"openpyxl load {rows}": (lambda p=path: [PY, "-c", OPENPYXL_LOAD, str(p)], (0,), None),
                     f"calamine read {rows}": (lambda p=path: [PY, "-c", CALAMINE_READ, str(p)], (0,), None)}
            self.m.update(interleaved(cases, self.repeats if rows <= 10_000 else self.big_repeats))


def ratio(a: Optional[Measure], b: Optional[Measure], attr: str = "wall") -> Optional[float]:
    if a is None or b is None or not a.runs or not b.runs:
        return None
    return getattr(a, attr) / getattr(b, attr)


def pair_ratios(a: Optional[Measure], b: Optional[Measure]) -> Optional[tuple[float, float, float]]:
    """min / median / max of the wall ratio of the runs made side by side (same round)."""
    if a is None or b is None or not a.runs or not b.runs:
        return None
    pairs = [x.wall / y.wall for x, y in zip(a.runs, b.runs)]
    return min(pairs), statistics.median(pairs), max(pairs)


def goals(m: dict[str, Measure], sizes: Sequence[int], copies: int) -> list[dict]:
    out = []

    def goal(name: str, value: Optional[float], limit: str, holds: Optional[bool], detail: str = "") -> None:
        out.append({"goal": name, "value": None if value is None else round(value, 3), "target": limit,
                    "holds": holds, "detail": detail})

    def ratio_goal(name: str, ours: str, base: str, limit: float) -> None:
        r, rc = ratio(m.get(ours), m.get(base)), ratio(m.get(ours), m.get(base), "cpu")
        spread = pair_ratios(m.get(ours), m.get(base))
        detail = "" if spread is None else "pairs min/median/max {:.2f}/{:.2f}/{:.2f}×".format(*spread)
        goal(name, r, f"≤ {limit}×", None if r is None else r <= limit,
             detail + ("" if rc is None else f"; cpu ratio {rc:.2f}×"))

    ratio_goal("check ÷ openpyxl load (sample)", "check", "openpyxl load", 1.5)
    for rows in sizes:
        ratio_goal(f"check ÷ openpyxl load ({rows})", f"check {rows}", f"openpyxl load {rows}", 1.5)
    ratio_goal("refresh ÷ openpyxl load+save (sample)", "refresh (write-back)", "openpyxl load+save", 1.5)
    if "planreport --version" in m:
        over = m["planreport --version"].wall - m["python -c pass"].wall
        goal("--version − python -c pass (s)", over, "≤ 0.3 s", over <= 0.3)
    b2 = m.get("batch --jobs 2")
    if b2 is not None and b2.runs:
        rate = copies / b2.wall
        goal("batch --jobs 2 (workbooks/s)", rate, "≥ 40/s", rate >= 40,
             f"min/median/max {copies / b2.wall_max:.1f}/{rate:.1f}/{copies / b2.wall_min:.1f}")
        # The baseline: one process doing openpyxl load+save of the same files in turn.
        ratio_goal(f"batch --jobs 2 ÷ openpyxl ×{copies} (1 process)", "batch --jobs 2", "openpyxl load+save ×N, 1 job",
                   0.7)
        # Stricter, our own: the baseline given the batch's two CPUs as well (2 forked workers).
        ratio_goal(f"batch --jobs 2 ÷ openpyxl ×{copies}, 2 jobs", "batch --jobs 2", "openpyxl load+save ×N, 2 jobs", 1.0)
    else:
        goal("batch --jobs 2 (workbooks/s)", None, "≥ 40/s", None, b2.note if b2 else "not measured")
    biggest = max(sizes) if sizes else None
    if biggest and f"check {biggest}" in m:
        big = m[f"check {biggest}"]
        goal(f"check {biggest} wall (s)", big.wall, "≤ 5 s" if biggest >= 50_000 else "—",
             big.wall <= 5 if biggest >= 50_000 else None)
        goal(f"check {biggest} peak RSS (MB)", big.peak_mb, "≤ 200 MB" if biggest >= 50_000 else "—",
             big.peak_mb <= 200 if biggest >= 50_000 else None)
        ratio_goal(f"check ÷ calamine read ({biggest})", f"check {biggest}", f"calamine read {biggest}", 8.0)
    if len(sizes) >= 3 and all(f"check {n}" in m for n in sizes):
        # Cost per added indicator between the two larger sizes against between the two smaller:
        # 1.0 is linear, above 1 grows faster than linear. Start-up cost cancels out.
        s = sorted(sizes)
        t = [m[f"check {n}"].cpu for n in s]
        low = (t[1] - t[0]) / (s[1] - s[0])
        high = (t[2] - t[1]) / (s[2] - s[1])
        growth = high / low if low > 0 else None
        goal("growth: marginal cost large ÷ small", growth, "≤ 1.25 (linear)", None if growth is None else growth <= 1.25,
             f"{low * 1e6:.0f} µs/indicator ({s[0]}→{s[1]}), {high * 1e6:.0f} µs/indicator ({s[1]}→{s[2]}), cpu time")
    return out


def print_table(report: dict) -> None:
    mach = report["machine"]
    print(f"PlanReport benchmark — {mach['cpu']}, {mach['nproc']} CPUs, {mach['ram_gb']} GB RAM, Python {mach['python']}")
    print(f"load average at start {mach['loadavg_start'][0]:.2f}, at end {report['loadavg_end'][0]:.2f}; "
          f"medians of {report['repeats']} (big workbooks and batch: {report['big_repeats']}); {report['extra']['planreport']}")
    print()
    print(f"{'measurement':32s} {'wall s':>8s} {'min':>8s} {'max':>8s} {'cpu s':>8s} {'peak MB':>8s}  note")
    for row in report["measurements"]:
        if row.get("wall_s") is None:
            print(f"{row['label']:32s} {'—':>8s} {'—':>8s} {'—':>8s} {'—':>8s} {'—':>8s}  {row['note']}")
            continue
        note = row["note"] or ""
        low, high = row.get("wall_min_s", row["wall_s"]), row.get("wall_max_s", row["wall_s"])
        print(f"{row['label']:32s} {row['wall_s']:8.3f} {low:8.3f} {high:8.3f} {row['cpu_s']:8.3f} "
              f"{row['peak_mb']:8.0f}  {note}")
    print()
    print(f"{'goal':42s} {'value':>9s}  {'target':10s} holds")
    for g in report["goals"]:
        value = "—" if g["value"] is None else f"{g['value']:.2f}"
        holds = {True: "yes", False: "NO", None: "n/a"}[g["holds"]]
        print(f"{g['goal']:42s} {value:>9s}  {g['target']:10s} {holds:4s} {g['detail']}")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--quick", action="store_true", help="medians of 3, big workbooks and batch once")
    ap.add_argument("--repeats", type=int, help="runs per measurement (default 5; --quick 3)")
    ap.add_argument("--copies", type=int, default=100, help="different sample-size workbooks for the batch (default 100)")
    ap.add_argument("--sizes", default="1000,10000,50000", help="generated workbook sizes (indicators)")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: sample,startup,batch,scaling")
    ap.add_argument("--table-from", metavar="FILE", help="print the table of a report saved with --json, measure nothing")
    args = ap.parse_args(argv)
    if args.table_from:
        print_table(json.loads(Path(args.table_from).read_text(encoding="utf-8")))
        return 0
    repeats = args.repeats or (3 if args.quick else 5)
    big_repeats = 1 if args.quick else repeats
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    mach = machine()
    with tempfile.TemporaryDirectory(prefix="planreport-bench-") as tmp:
        bench = Bench(repeats, args.copies, sizes, big_repeats, Path(tmp))
        for part in ("sample", "startup", "batch", "scaling"):
            if part not in skip:
                getattr(bench, part)()
        m = bench.m
        report = {
            "machine": mach, "loadavg_end": list(os.getloadavg()), "repeats": repeats, "big_repeats": big_repeats,
            "copies": args.copies, "sizes": sizes, "extra": bench.extra,
            "measurements": [x.to_json() for x in m.values()],
            "goals": goals(m, sizes, args.copies),
        }
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
