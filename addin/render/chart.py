"""The completion-rate chart, drawn twice from one series: SVG for the web page, PNG for Word."""
from __future__ import annotations

import io
import math
from html import escape
from typing import Optional

# Rates above the cap are drawn to the cap with a break mark so 525% does not squash the rest.
RATE_CAP = 250.0
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC",
                "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")
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
            "cell": i["cells"].get("rate", ""),
        })
    return out


def shorten(name: str, limit: int = 16) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def axis_max(data: list[dict]) -> float:
    top = max([d["rate"] for d in data if d["rate"] is not None] + [100.0])
    return min(RATE_CAP, max(150.0, math.ceil(top / 50.0) * 50.0))


def value_label(d: dict) -> str:
    if d["rate"] is None:
        return "无法计算"
    return d["rate_text"] + ("  未完成" if d["status"] == "unmet" else "")


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


def cjk_font() -> Optional[str]:
    """A CJK font matplotlib knows (fonts-noto-cjk on Debian); None draws with the default."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in known), None)


def png(data: list[dict], *, title: str = "各项指标完成率", dpi: int = 160, fit_page: bool = False) -> bytes:
    """The same chart as :func:`svg`, as a PNG whose bytes depend only on the data.

    fit_page keeps the height within one A4 text block (156 x 225 mm) for Word.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    family = cjk_font()
    rc = {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "axes.unicode_minus": False,
          "svg.hashsalt": "planreport", "hatch.color": "white"}
    xmax = axis_max(data)
    with matplotlib.rc_context(rc):
        height = 0.22 * len(data) + 0.9
        fig = Figure(figsize=(6.1, min(height, 8.4) if fit_page else height), dpi=dpi)
        ax = fig.add_subplot()
        ys = range(len(data))
        for y, d in zip(ys, data):
            if d["rate"] is not None:
                unmet = d["status"] == "unmet"
                ax.barh(y, min(d["rate"], xmax), height=0.62, color=UNMET_COLOUR if unmet else MET_COLOUR,
                        hatch="////" if unmet else None, linewidth=0)
            ax.text(min(d["rate"] or 0, xmax) + 3, y, value_label(d), va="center", fontsize=6.5)
        ax.axvline(100, color=LINE_COLOUR, linestyle="--", linewidth=0.9)
        ax.text(102, -0.7, "100%目标线", ha="left", va="center", fontsize=6.5, color=LINE_COLOUR)
        ax.set_yticks(list(ys), [d["label"] for d in data], fontsize=6.5)
        ax.set_xlim(0, xmax * 1.18)
        ax.set_xticks(range(0, int(xmax) + 1, 50), [f"{t}%" for t in range(0, int(xmax) + 1, 50)], fontsize=7)
        ax.set_ylim(len(data) - 0.5, -0.8)
        ax.set_title(title, fontsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        # Fixed margins instead of tight_layout: one draw instead of two (the chart is most of a refresh).
        fig.subplots_adjust(left=0.36, right=0.98, top=1 - 0.35 / fig.get_figheight(), bottom=0.3 / fig.get_figheight())
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
