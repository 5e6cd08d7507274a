"""Is `planreport check --json` byte-identical between two trees? (speed work must not change output)

    python bench/json_identity.py inputs DIR           # build the inputs once (gen 1k/50k, sample, corpus, hostile)
    python bench/json_identity.py record DIR OUT.json  # run this interpreter's planreport over them, keep digests
    python bench/json_identity.py compare A.json B.json

`record` runs `python -m addin check FILE --json` with the source tree given by --tree (default: the tree this
script sits in) first on PYTHONPATH, and keeps per file the exit code, the stderr text and the SHA-256 of stdout.
Record before a change (a worktree of the old commit, or before editing) and after; compare must print no line.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_inputs(folder: Path) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from gen import make_big_workbook, make_variants

    from tests.corpus.build_all import build_all
    from tests.hostile.make_cases import build, build_sweep

    folder.mkdir(parents=True, exist_ok=True)
    for rows in (1000, 50000):
        make_big_workbook(folder / f"gen-{rows}.xlsx", rows)
    (folder / "sample.xlsx").write_bytes((ROOT / "workbooks" / "kundulun-2025.xlsx").read_bytes())
    build_all(folder / "corpus")
    build(folder / "hostile")
    build_sweep(folder / "sweep")
    make_variants(folder / "variants", 10)


def record(folder: Path, out: Path, tree: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")
    digests = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        proc = subprocess.run([sys.executable, "-m", "addin", "check", str(path), "--json"],
                              capture_output=True, env=env, cwd=tree)
        digests[str(path.relative_to(folder))] = {"exit": proc.returncode, "stderr": proc.stderr.decode("utf-8", "replace"),
                                                   "stdout": hashlib.sha256(proc.stdout).hexdigest(),
                                                   "bytes": len(proc.stdout)}
    out.write_text(json.dumps(digests, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(digests)} files recorded in {out}")


def compare(a: Path, b: Path) -> int:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    bad = 0
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            bad += 1
            print(f"DIFFERS {name}: {old.get(name)} -> {new.get(name)}")
    print(f"{len(old)} / {len(new)} files, {bad} differ")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["inputs"] and len(argv) == 2:
        build_inputs(Path(argv[1]))
        return 0
    if argv[:1] == ["record"] and len(argv) in (3, 5):
        tree = Path(argv[4]) if len(argv) == 5 and argv[3] == "--tree" else ROOT
        record(Path(argv[1]), Path(argv[2]), tree.resolve())
        return 0
    if argv[:1] == ["compare"] and len(argv) == 3:
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
