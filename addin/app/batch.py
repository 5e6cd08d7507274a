"""Refresh many workbooks at once: parallel processes, going on past broken files.

One row per workbook in a BatchSummary, an ``index.html`` in the output folder linking
every report, and an exit code: 0 all fine, 1 some workbook has error findings,
2 some workbook could not be processed (named on stderr by the command).
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Optional

from addin.app.options import Options
from addin.common.errors import PlanReportError

INDEX_NAME = "index.html"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SUMMARY_COLUMNS = ["文件", "指标数", "已完成", "未完成", "核对问题", "结果"]


@dataclass
class BatchRow:
    file: str
    ok: bool = False
    indicators: int = 0
    met: int = 0
    unmet: int = 0
    not_computable: int = 0
    findings: int = 0
    errors: int = 0  # findings of severity "error"
    message: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def result(self) -> str:
        if not self.ok:
            return f"失败：{self.message}"
        return f"有 {self.errors} 个错误" if self.errors else "成功"

    def cells(self) -> list:
        return [Path(self.file).name, self.indicators, self.met, self.unmet, self.findings, self.result]


@dataclass
class BatchSummary:
    rows: list[BatchRow]
    out_dir: Path
    index_html: Optional[Path] = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # said once for the whole run (no CJK font ...)

    @property
    def failed(self) -> list[BatchRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def exit_code(self) -> int:
        if self.failed:
            return 2
        return 1 if any(r.errors for r in self.rows) else 0

    def totals(self) -> list:
        ok = [r for r in self.rows if r.ok]
        return ["合计", sum(r.indicators for r in ok), sum(r.met for r in ok), sum(r.unmet for r in ok),
                sum(r.findings for r in ok), f"{len(ok)}/{len(self.rows)} 成功"]

    def to_json(self) -> dict:
        return {"out_dir": str(self.out_dir), "index_html": str(self.index_html) if self.index_html else None,
                "seconds": round(self.seconds, 3), "exit_code": self.exit_code, "warnings": self.warnings,
                "workbooks": [asdict(r) | {"result": r.result} for r in self.rows]}


def find_workbooks(spec: str) -> list[Path]:
    """A folder (its workbooks, not recursive) or a glob (``**`` allowed). Office owner
    files, temporaries and our own backups are never picked up."""
    import glob

    base = Path(spec)
    if base.is_dir():
        candidates: Iterable[Path] = (p for p in base.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES)
    else:
        candidates = (Path(p) for p in glob.glob(spec, recursive=True))
    found = []
    for p in candidates:
        if not p.is_file() or p.name.startswith(("~$", ".~", ".")) or ".planreport" in p.parts:
            continue
        found.append(p)
    return sorted(found)


def _job_out_dirs(inputs: list[Path], out_dir: Path) -> list[Path]:
    """Reports go straight into out_dir, except for workbooks sharing a name (from
    different folders), which get a numbered subfolder each so nothing is overwritten."""
    stems: dict[str, int] = {}
    for p in inputs:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    return [out_dir / f"{i + 1:03d}-{p.stem}" if stems[p.stem] > 1 else out_dir for i, p in enumerate(inputs)]


def refresh_one(path: str, out_dir: str, options: Options) -> BatchRow:
    """Runs in a worker process; returns a plain row whatever happens to the workbook."""
    started = time.perf_counter()
    row = BatchRow(file=path)
    try:
        from addin.app.refresh import refresh_workbook

        Path(out_dir).mkdir(parents=True, exist_ok=True)
        done = refresh_workbook(Path(path), out_dir=Path(out_dir), options=options)
        statuses = [i.status for i in done.result.indicators]
        row.ok = True
        row.indicators = len(statuses)
        row.met, row.unmet = statuses.count("met"), statuses.count("unmet")
        row.not_computable = statuses.count("not_computable")
        row.findings = len(done.result.findings)
        row.errors = sum(f.severity == "error" for f in done.result.findings)
        row.outputs = [str(p) for p in done.outputs]
    except PlanReportError as exc:
        row.message = str(exc)
    except Exception as exc:  # one broken workbook must not stop the other 2,849
        row.message = f"内部错误 {type(exc).__name__}: {exc}"
    row.seconds = time.perf_counter() - started
    return row


def _import_pipeline() -> None:
    """What refresh_one imports lazily outside the renderers (warm_up imports those), imported
    before the fork: once for the batch instead of once per worker, its pages shared."""
    import addin.app.refresh  # noqa: F401  (pipeline, check, read ...)
    import addin.workbook.guard  # noqa: F401
    import addin.workbook.read  # noqa: F401
    import addin.workbook.writeback.package  # noqa: F401
    import addin.workbook.writeback.safe  # noqa: F401
    import addin.workbook.read.findings  # noqa: F401
    import addin.core.reading_map  # noqa: F401
    import encodings.cp437  # noqa: F401  (zipfile decodes member names with it)


class _Reporter:
    """Progress for people (rich bar on a terminal) and for logs (one plain line per file)."""

    def __init__(self, total: int, progress: Optional[bool], log: Optional[Path]):
        self.tty = sys.stderr.isatty()
        self.show = self.tty if progress is None else progress
        self.log = open(log, "a", encoding="utf-8") if log else None
        self.bar = None
        if self.show and self.tty:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("核算"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                TextColumn("{task.description}"), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        self.line(f"开始批量核算 {total} 个工作簿")

    def line(self, text: str) -> None:
        stamped = f"{datetime.now().isoformat(timespec='seconds')} {text}"
        if self.log:
            self.log.write(stamped + "\n")
            self.log.flush()
        if self.show and not self.bar:
            print(stamped, file=sys.stderr, flush=True)

    def done(self, row: BatchRow) -> None:
        if self.bar:
            self.bar.update(self.task, advance=1, description=Path(row.file).name)
        self.line(f"{row.file}\t{row.result}\t{row.seconds:.2f}s")

    def close(self, summary: BatchSummary) -> None:
        if self.bar:
            self.bar.stop()
        self.line(f"结束：{len(summary.rows)} 个工作簿，{len(summary.failed)} 个失败，用时 {summary.seconds:.1f}s")
        if self.log:
            self.log.close()


def run_batch(inputs: list[Path], out_dir, jobs: int = 1, formats: Optional[tuple[str, ...]] = None,
              writeback: Optional[bool] = None, progress: Optional[bool] = None, log=None,
              options: Optional[Options] = None) -> BatchSummary:
    """Refresh every workbook in ``inputs`` with up to ``jobs`` processes, each with the same
    ``options`` as ``refresh`` takes (``formats``/``writeback`` override them). A workbook's own
    planreport.toml is read beside it unless ``options`` carry settings or a config file.

    ``progress``: None = a bar on a terminal and nothing otherwise; True/False forces it
    (plain lines on stderr without a terminal). ``log``: file that gets one line per workbook."""
    from addin.render.fonts import font_warning, require_cjk_font

    options = (options or Options()).with_(formats=tuple(formats) if formats else None, writeback=writeback)
    if "pdf" in options.formats:
        require_cjk_font(options.force_fonts)  # once, before 2,850 workbooks each fail the same way
    warnings = [w for w in (font_warning(),) if w]
    started = time.perf_counter()
    from addin.workbook.files import ensure_folder

    out_dir = ensure_folder(out_dir)  # a file there, or no permission: one line, before any worker starts
    inputs = [Path(p) for p in inputs]
    args = [(str(p), str(d), options) for p, d in zip(inputs, _job_out_dirs(inputs, out_dir))]
    reporter = _Reporter(len(inputs), progress, Path(log) if log else None)
    for warning in warnings:
        reporter.line(f"注意：{warning}")
    rows: list[Optional[BatchRow]] = [None] * len(args)
    try:
        if jobs <= 1 or len(args) <= 1:
            for i, a in enumerate(args):
                rows[i] = refresh_one(*a)
                reporter.done(rows[i])
        else:
            from addin.render.warm import warm_up

            warm_up(options.formats, options.templates)  # forked workers inherit the imports and compiled templates
            _import_pipeline()
            import gc

            gc.freeze()  # the warm heap is never garbage: workers' collections skip it (and leave its pages shared)
            with ProcessPoolExecutor(max_workers=min(jobs, len(args)), initializer=_in_worker) as pool:
                futures = {pool.submit(refresh_one, *a): i for i, a in enumerate(args)}
                for fut in as_completed(futures):
                    rows[futures[fut]] = fut.result()
                    reporter.done(rows[futures[fut]])
    finally:
        summary = BatchSummary(rows=[r for r in rows if r is not None], out_dir=out_dir, warnings=warnings)
        summary.seconds = time.perf_counter() - started
        reporter.close(summary)
    summary.index_html = write_index(summary)
    return summary


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>计划执行情况核算 · 批量结果</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.3em .6em}th{background:#eee}
p.warning{border:2px solid #a8322d;background:#fde8e8;padding:.5em .8em;font-weight:bold}td.n{text-align:right}tr.fail td{background:#fde8e8}tr.err td{background:#fff6da}tfoot td{font-weight:bold}
</style></head><body>
<h1>计划执行情况核算 · 批量结果</h1>
<p>{{ generated }} 生成，共 {{ rows|length }} 个工作簿，失败 {{ failed }} 个。</p>
{% for w in warnings %}<p class="warning" role="alert">注意：{{ w }}</p>
{% endfor %}
<table><thead><tr>{% for h in columns %}<th>{{ h }}</th>{% endfor %}<th>报告</th></tr></thead><tbody>
{% for r, links in rows %}<tr class="{{ 'fail' if not r.ok else ('err' if r.errors else 'ok') }}">
{% for v in r.cells() %}<td{% if v is number %} class="n"{% endif %}>{{ v }}</td>{% endfor %}
<td>{% for o in links %}<a href="{{ o.href }}">{{ o.label }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</td></tr>
{% endfor %}</tbody><tfoot><tr>{% for v in totals %}<td>{{ v }}</td>{% endfor %}<td></td></tr></tfoot></table>
</body></html>
"""


def _in_worker() -> None:
    """A pool worker does all its work in its own process: the pool already keeps every CPU busy."""
    from addin.common import forked

    forked.enabled = False


def write_index(summary: BatchSummary) -> Path:
    from urllib.parse import quote

    import jinja2

    from addin.render.jinja_cache import environment_class

    # Compiled once per machine, not once per batch (≈ 40 ms, after every worker has finished).
    env = environment_class()(autoescape=True, undefined=jinja2.StrictUndefined)
    rows = []
    for r in summary.rows:
        links = []
        for out in r.outputs:
            rel = os.path.relpath(out, summary.out_dir).replace(os.sep, "/")
            links.append({"href": quote(rel), "label": Path(out).suffix.lstrip(".").upper() or Path(out).name})
        rows.append((r, links))  # the cells are BatchRow.cells(), as in the terminal table
    html = env.from_string(INDEX_TEMPLATE).render(
        rows=rows, warnings=summary.warnings, columns=SUMMARY_COLUMNS, totals=summary.totals(), failed=len(summary.failed),
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"))
    path = summary.out_dir / INDEX_NAME
    path.write_text(html, encoding="utf-8")
    return path
