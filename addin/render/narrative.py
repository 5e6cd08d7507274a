"""The result JSON turned into what the phrasebook talks about: counts, groups, unmet, findings.

Shared by the HTML and Word renderers so both say the same thing.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional, Union

from addin.common.model import SEVERITY_WORDS
from addin.common.rounding import percent, plain
from addin.render.growth_section import growth_items
from addin.render.phrasing import clean, target_phrase

CHINESE_NUMERALS = "一二三四五六七八九十"
GROWTH_WORDS = ("增长", "下降", "降低", "提高", "上涨", "减少", "增加")
RATE_OF_CHANGE_WORDS = ("增速", "增幅", "涨幅", "增长率", "降幅")  # a name that is itself a rate of change
_NAME_SAYS_CHANGE = GROWTH_WORDS + RATE_OF_CHANGE_WORDS
DateLike = Union[str, _dt.date, None]


def chinese_ordinal(index: int) -> str:
    """1 -> 一, 12 -> 十二 (enough for section numbers)."""
    if index <= 10:
        return CHINESE_NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def with_unit(text: str, unit: Optional[str]) -> str:
    """A bare number gets the unit column's unit; text that names its unit is left as typed."""
    if unit and unit not in ("%", "％") and re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        return text + unit
    if unit in ("%", "％") and re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        return text + "%"
    return text


def display_date(value: DateLike) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", str(value).strip())
    if m:
        return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日"
    return clean(value)


def _year(meta: dict) -> Optional[int]:
    for key in ("year", "plan_year"):
        if isinstance(meta.get(key), int):
            return meta[key]
        if isinstance(meta.get(key), str) and meta[key].isdigit():
            return int(meta[key])
    m = re.search(r"(20\d{2})年", str(meta.get("title") or ""))
    return int(m[1]) if m else None


def _phrasing(ind: dict) -> str:
    """Which family of sentences fits: growth, ceiling, qualitative, relative or level."""
    kind = (ind.get("kind") or "").lower()
    direction = ind.get("direction") or "higher"
    if direction == "qualitative" or kind == "qualitative":
        return "qualitative"
    if direction == "relative" or kind == "relative":
        return "relative"
    if direction == "lower":
        return "ceiling"
    if "growth" in kind:
        return "growth"
    return "level"


CELL_ROLES = ("name", "target", "actual", "rate")  # the cells of an indicator the templates point at


def enrich(ind: dict) -> dict:
    unit = clean(ind.get("unit")) or None
    actual = with_unit(clean(ind.get("actual")), unit)
    phrasing = _phrasing(ind)
    # Every role a template reads, None where the table has no such column (a table without a
    # 完成率 column still gets a computed rate): "i.cells.rate" must not stop the report.
    cells = dict.fromkeys(CELL_ROLES) | {k: clean(v) for k, v in (ind.get("cells") or {}).items()}
    computed, reported = ind.get("computed_rate"), ind.get("reported_rate")
    rate_text, reported_text = percent(computed), percent(reported)
    name = clean(ind.get("name"))
    # "5.5%" reads "增长5.5%" after a name, unless the actual or the name already says it:
    # "国内生产总值增长6.6%", not "国内生产总值增长增长6.6%" (2018 Government Work Report).
    says_change = actual.startswith(GROWTH_WORDS) or name.endswith(_NAME_SAYS_CHANGE)
    return {
        **ind,
        "name": name,
        "category": clean(ind.get("category")) or "其他指标",
        "target": with_unit(clean(ind.get("target")), unit),
        "target_phrase": target_phrase(with_unit(clean(ind.get("target")), unit), ind.get("direction")),
        "actual": actual,
        "unit": unit,
        "note": clean(ind.get("note")) or None,
        "cells": cells,
        "phrasing": phrasing,
        # "增长5.5%" reads right for growth-like rows whose actual is a bare rate.
        "verb": "增长" if phrasing in ("growth", "relative") and not says_change else "",
        "rate_text": rate_text,
        "reported_text": reported_text,
        "mismatch": computed is not None and reported is not None and rate_text != reported_text,
        "over": ind.get("status") == "met" and computed is not None and computed > 100,
        "exact": ind.get("status") == "met" and not (computed is not None and computed > 100),
    }


def _group(indicators: list[dict]) -> list[dict]:
    """Consecutive rows of one category form a group, as the workbook's merged cells do."""
    groups: list[dict] = []
    for ind in indicators:
        if not groups or groups[-1]["name"] != ind["category"] or groups[-1]["sheet"] != ind.get("sheet"):
            groups.append({"name": ind["category"], "sheet": ind.get("sheet"), "rows": []})
        groups[-1]["rows"].append(ind)
    for index, group in enumerate(groups, 1):
        group["ordinal"] = chinese_ordinal(index)
        group.update(_split(group["rows"]))
    return groups


def _split(items: list[dict]) -> dict:
    return {
        "total": len(items),
        "met": [i for i in items if i["status"] == "met"],
        "unmet": [i for i in items if i["status"] == "unmet"],
        "not_computable": [i for i in items if i["status"] == "not_computable"],
        "over": sorted((i for i in items if i["over"]), key=lambda i: -(i["computed_rate"] or 0)),
        "exact": [i for i in items if i["exact"]],
    }


def _findings(findings: list[dict], by_cell: dict[str, dict]) -> list[dict]:
    out = []
    for f in findings:
        cell = clean(f.get("cell")) or None
        out.append(
            {
                "code": clean(f.get("code")),
                "severity": f.get("severity") or "info",
                "severity_text": SEVERITY_WORDS.get(f.get("severity"), SEVERITY_WORDS["info"]),
                "cell": cell,
                "message": clean(f.get("message")),
                "indicator": by_cell.get(cell) if cell else None,
            }
        )
    return out


def build_context(result: dict, *, date: DateLike = None) -> dict:
    meta = result.get("meta") or {}
    indicators = [enrich(i) for i in result.get("indicators") or []]
    by_cell = {c: i for i in indicators for c in i["cells"].values() if c}
    year = _year(meta)
    targets = []
    for t in result.get("targets") or []:
        target = with_unit(clean(t.get("target")), clean(t.get("unit")) or None)
        targets.append({**t, "name": clean(t.get("name")), "target": target,
                        "target_phrase": target_phrase(target, t.get("direction")),
                        "cells": {k: clean(v) for k, v in (t.get("cells") or {}).items()}})
    target_years = sorted({t.get("year") for t in targets if isinstance(t.get("year"), int)})

    title = clean(meta.get("report_title")) or (
        f"{year}年国民经济和社会发展计划执行情况" if year else "国民经济和社会发展计划执行情况"
    )
    ctx = {
        "title": title,
        "table_title": clean(meta.get("title")) or title,
        "year": year,
        "issuer": clean(meta.get("issuer")),
        "date": display_date(date if date is not None else meta.get("date")),
        "workbook": clean(result.get("workbook")),
        "indicators": indicators,
        "categories": _group(indicators),
        "findings": _findings(result.get("findings") or [], by_cell),
        "targets": targets,
        "target_year": target_years[-1] if target_years else (year + 1 if year else None),
        "growth": growth_items(result.get("growth") or []),
        **_split(indicators),
    }
    ctx["progress"] = progress_section(result)
    ctx["sections"] = section_numbers(ctx)
    return ctx


def section_numbers(ctx: dict) -> dict:
    """一 总体, 二 分领域, 三 数据核对, then whichever of the optional sections this report has."""
    numbers, n = {}, 3
    for key in ("targets", "growth", "progress"):
        if ctx.get(key):
            n += 1
            numbers[key] = chinese_ordinal(n)
    return numbers


def progress_section(result: dict) -> Optional[dict]:
    """The 时间进度 (双过半) section, when the result was checked --as-of a date; None otherwise.

    Every cumulative target is listed, on time or behind, in table order.
    """
    as_of = (result.get("meta") or {}).get("as_of")
    if not as_of:
        return None
    items = []
    for e in result.get("growth") or []:
        if e.get("kind") != "progress":
            continue
        cells = {k: clean(v) for k, v in (e.get("cells") or {}).items()}
        items.append({"name": clean(e.get("name")), "target": clean(e.get("target")), "actual": clean(e.get("actual")),
                      "progress": plain(e.get("progress")), "elapsed": plain(e.get("elapsed")),
                      "behind": bool(e.get("behind")), "cells": cells})
    from addin.core.progress import elapsed_percent  # only for reports made --as-of a date

    when = _dt.date.fromisoformat(str(as_of)[:10])
    return {"as_of": display_date(as_of), "entries": items, "elapsed": plain(elapsed_percent(when)),
            "behind": [i for i in items if i["behind"]], "on_time": [i for i in items if not i["behind"]]}
