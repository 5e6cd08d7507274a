"""The completion-rate chart's data (one series) and its SVG for the web page (Word has a native chart: chart_docx)."""
from __future__ import annotations

import math
from html import escape

from addin.common.model import STATUS_WORDS

# Rates above the cap are drawn to the cap with a break mark so 525% does not squash the rest.
RATE_CAP = 250.0
MET_COLOUR, UNMET_COLOUR, LINE_COLOUR = "#2f5d8c", "#a8322d", "#a8322d"


def series(ctx: dict) -> list[dict]:
    """One entry per indicator, in table order."""
    out = []
    for i in ctx["indicators"]:
        no = i.get("no")
        out.append({
            "label": (f"{no}. " if no is not None else "") + shorten(i["name"]),
            "rate": i.get("computed_rate"),
            "rate_text": i["rate_text"],
            "status": i["status"],
            # The printed rate's cell; a table without a 完成率 column: the actual the rate is computed from.
            "cell": i["cells"]["rate"] or i["cells"]["actual"] or "",
        })
    return out


def shorten(name: str, limit: int = 16) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def axis_max(data: list[dict]) -> float:
    top = max([d["rate"] for d in data if d["rate"] is not None] + [100.0])
    return min(RATE_CAP, max(150.0, math.ceil(top / 50.0) * 50.0))


def value_label(d: dict) -> str:
    if d["rate"] is None:
        return STATUS_WORDS["not_computable"]
    return d["rate_text"] + ("  " + STATUS_WORDS["unmet"] if d["status"] == "unmet" else "")


def svg(data: list[dict], *, title: str = "各项指标完成率") -> str:
    """Hand-built SVG: no script, no external reference; every bar names its source cell."""
    row_h, left, bar_w, right, top = 20, 250, 380, 120, 34
    width, height = left + bar_w + right, top + row_h * len(data) + 30
    xmax = axis_max(data)

    def x(rate: float) -> float:
        return left + bar_w * min(rate, xmax) / xmax

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{UNMET_COLOUR}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>',
    ]
    for tick in range(0, int(xmax) + 1, 50):
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 24}" class="grid"/>')
        parts.append(f'<text x="{tx:.1f}" y="{top - 10}" class="tick" text-anchor="middle">{tick}%</text>')
    for n, d in enumerate(data):
        y = top + n * row_h
        cell = escape(d["cell"])
        parts.append(f'<g data-cell="{cell}"><title>{escape(d["label"])}：{escape(value_label(d))}（{cell}）</title>')
        parts.append(f'<text x="{left - 8}" y="{y + 14}" class="label" text-anchor="end">{escape(d["label"])}</text>')
        if d["rate"] is not None:
            fill = "url(#hatch)" if d["status"] == "unmet" else MET_COLOUR
            end = x(d["rate"])
            parts.append(f'<rect x="{left}" y="{y + 4}" width="{end - left:.1f}" height="{row_h - 8}" fill="{fill}"/>')
            if d["rate"] > xmax:
                parts.append(f'<path d="M{end - 10:.1f},{y + 2} l4,16 M{end - 5:.1f},{y + 2} l4,16" class="break"/>')
        label_x = (x(d["rate"]) if d["rate"] is not None else left) + 6
        parts.append(f'<text x="{label_x:.1f}" y="{y + 14}" class="value" data-cell="{cell}">{escape(value_label(d))}</text></g>')
    hx = x(100)
    parts.append(f'<line x1="{hx:.1f}" y1="{top - 6}" x2="{hx:.1f}" y2="{height - 24}" class="target-line" '
                 f'stroke="{LINE_COLOUR}" stroke-dasharray="5 3"/>')
    parts.append(f'<text x="{hx:.1f}" y="{height - 8}" class="tick" text-anchor="middle">100%目标线</text>')
    parts.append("</svg>")
    return "".join(parts)
