"""Same reports before and after a change: every .docx and .html byte-compared between two trees.

    python tests/render/compare_trees.py OLD_TREE [--new NEW_TREE] [--variants 15] [--work DIR]

OLD_TREE is a checkout of the code before the change (``git archive REV | tar -x -C DIR``);
NEW_TREE defaults to this checkout. Each tree renders, in its own process, the same cases:
the sample (with and without --date, and --as-of for the progress section), bench/gen.py's
batch variants, result JSON edited into the chart's edge cases (one row, no rate, all met,
all unmet, a negative rate, XML-special names), and three template folders (as shipped,
a restyled chart, no chart so the default one is inserted). The reports are deterministic
(core-property and zip-entry dates come from the report date), so the files are compared
whole. Exit status 1 and a list of the files that differ when any does.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
NEW = HERE.parents[2]

# Run inside each tree: render every case into OUT with that tree's code.
RENDER = r"""
import datetime, json, shutil, sys
from pathlib import Path
cases, out = json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2])
from addin.app.refresh import refresh_workbook, write_reports
for case in cases:
    folder = out / case["name"]
    folder.mkdir(parents=True)
    options = {"templates": case.get("templates"), "date": case.get("date")}
    if "workbook" in case:
        book = folder / "in" / Path(case["workbook"]).name
        book.parent.mkdir()
        shutil.copy(case["workbook"], book)
        refresh_workbook(book, folder / "reports", writeback=False, **options,
                         as_of=datetime.date.fromisoformat(case["as_of"]) if case.get("as_of") else None)
        shutil.rmtree(book.parent)
    else:
        write_reports(json.loads(Path(case["json"]).read_text()), folder / "reports", "报告", ("docx", "html"),
                      **options)
"""


def _edge_results(sample: dict) -> dict[str, dict]:
    rows = sample["indicators"]

    def with_rows(new_rows):
        return {**sample, "indicators": new_rows}

    return {
        "one-row": with_rows(rows[:1]),
        "no-rate": with_rows([{**r, "computed_rate": None, "status": "not_computable"} for r in rows]),
        "all-met": with_rows([{**r, "status": "met"} for r in rows if r.get("computed_rate") is not None]),
        "all-unmet": with_rows([{**r, "status": "unmet"} for r in rows if r.get("computed_rate") is not None]),
        "negative": with_rows([{**rows[0], "computed_rate": -40.0, "status": "unmet"}] + rows[1:]),
        "special-names": with_rows([{**r, "name": f'{r["name"]} & <b>"{n}"</b>'} for n, r in enumerate(rows)]),
        "no-findings": {**sample, "findings": []},
    }


def _templates(work: Path) -> dict[str, Path]:
    """As shipped, the 已完成 bars recoloured in the chart part, and the chart removed."""
    from lxml import etree

    from render_support import copy_templates, remove_chart, rewrite_member

    out = {name: copy_templates(work / "templates" / name) for name in ("restyled", "no-chart")}

    def recolour(xml: bytes) -> bytes:
        space = etree.fromstring(xml)
        c, a = "{http://schemas.openxmlformats.org/drawingml/2006/chart}", "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        next(space.iter(f"{c}ser")).find(f"{c}spPr/{a}solidFill/{a}srgbClr").set("val", "00B050")
        return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)

    rewrite_member(out["restyled"] / "summary.docx", "word/charts/chart1.xml", recolour)
    remove_chart(out["no-chart"] / "summary.docx")
    return out


def make_cases(work: Path, variants: int) -> list[dict]:
    sys.path[:0] = [str(NEW), str(NEW / "bench"), str(NEW / "tests")]
    from gen import SAMPLE, make_variants

    from addin.app.pipeline import check_workbook

    cases = [{"name": "sample", "workbook": str(SAMPLE)},
             {"name": "sample-dated", "workbook": str(SAMPLE), "date": "2026-01-28"},
             {"name": "sample-as-of", "workbook": str(SAMPLE), "as_of": "2025-06-30", "date": "2025-07-15"}]
    make_variants(work / "variants", variants)
    cases += [{"name": f"variant-{p.stem}", "workbook": str(p)} for p in sorted((work / "variants").glob("*.xlsx"))]
    sample = check_workbook(SAMPLE).to_json()
    for name, result in _edge_results(sample).items():
        path = work / "json" / f"{name}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        cases.append({"name": f"json-{name}", "json": str(path), "date": "2026-01-28"})
    for name, folder in _templates(work).items():
        cases.append({"name": f"templates-{name}", "workbook": str(SAMPLE), "templates": str(folder),
                      "date": "2026-01-28"})
        cases.append({"name": f"templates-{name}-one-row", "json": str(work / "json" / "one-row.json"),
                      "templates": str(folder)})
    return cases


def render(tree: Path, cases_file: Path, out: Path) -> None:
    env = {**__import__("os").environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", RENDER, str(cases_file), str(out)], check=True, env=env, cwd=out.parent)


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path)
    parser.add_argument("--new", type=Path, default=NEW)
    parser.add_argument("--variants", type=int, default=15)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="compare-trees-"))
    if work.exists() and any(work.iterdir()):
        parser.error(f"{work} is not empty")
    cases = make_cases(work, args.variants)
    cases_file = work / "cases.json"
    cases_file.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    sides = {}
    for side, tree in (("old", args.old), ("new", args.new)):
        render(tree.resolve(), cases_file, work / side)
        sides[side] = digests(work / side)
    old, new = sides["old"], sides["new"]
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    reports = [k for k in new if k.endswith((".docx", ".html"))]
    print(f"{len(cases)} cases, {len(reports)} reports compared ({work})")
    for k in differ:
        print(f"  differs: {k}")
    print("identical" if not differ else f"{len(differ)} files differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
