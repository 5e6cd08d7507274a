"""The completion-rate chart as a PNG for Word, drawn with Pillow from chart.series.

Same content as chart.svg: a bar per indicator, its rate as text, unmet bars hatched and
labelled "未完成" (never colour alone), a dashed 100% line, bars past the axis cut with a
break mark. Laid out in points for a 150 mm wide picture, so 7 pt here is 7 pt on paper.
The bytes depend only on the data (no time or software chunk, fixed compression).
"""
from __future__ import annotations

import io
from functools import lru_cache
from typing import Optional

from addin.render.chart import LINE_COLOUR, MET_COLOUR, UNMET_COLOUR, axis_max, value_label
from addin.render.fonts import font

WIDTH_PT = 425.0  # 150 mm
MAX_HEIGHT_PT = 584.0  # 206 mm: with the caption, one A4 text block (225 mm)
ROW_PT, FONT_PT, TITLE_PT = 15.0, 7.5, 9.5
HEAD_PT, FOOT_PT, PAD_PT = 40.0, 18.0, 4.0
INK, GRID, AXIS, ZEBRA, WHITE = "#222222", "#d9d9d9", "#555555", "#f2f4f7", "#ffffff"


class Canvas:
    """Points in, pixels out: every coordinate the layout gives is scaled once here."""

    def __init__(self, width_pt: float, height_pt: float, dpi: int):
        from PIL import Image, ImageDraw

        self.k = dpi / 72.0
        self.image = Image.new("RGB", (self.px(width_pt), self.px(height_pt)), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, pt: float) -> int:
        return int(round(pt * self.k))

    def size_px(self, size_pt: float) -> int:
        return max(6, self.px(size_pt))

    def text_width(self, text: str, size_pt: float) -> float:
        return width_px(text, font(self.size_px(size_pt))) / self.k

    def text(self, x: float, y: float, text: str, size_pt: float, anchor: str, fill: str = INK,
             ground: Optional[str] = None) -> None:
        mask, (left, top) = glyphs(text, font(self.size_px(size_pt)), anchor)
        at = (self.px(x) + left, self.px(y) + top)
        if ground:
            pad = self.px(1.2)
            self.draw.rectangle((at[0] - pad, at[1] - pad, at[0] + mask.width + pad, at[1] + mask.height + pad),
                                fill=ground)
        if mask.width and mask.height:
            self.image.paste(fill, at, mask)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        box = (self.px(x0), self.px(y0), self.px(x1) - 1, self.px(y1) - 1)
        if box[2] >= box[0] and box[3] >= box[1]:
            self.draw.rectangle(box, fill=fill)

    def line(self, x0: float, y0: float, x1: float, y1: float, fill: str, width_pt: float = 0.6) -> None:
        self.draw.line((self.px(x0), self.px(y0), self.px(x1), self.px(y1)), fill=fill,
                       width=max(1, self.px(width_pt)))

    def dashed(self, x: float, y0: float, y1: float, fill: str, dash: float = 3.0, gap: float = 2.0) -> None:
        y = y0
        while y < y1:
            self.line(x, y, x, min(y + dash, y1), fill, 0.9)
            y += dash + gap

    def hatched(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        """A bar with white 45° stripes, clipped to the bar."""
        from PIL import Image, ImageDraw

        box = (self.px(x0), self.px(y0), self.px(x1), self.px(y1))
        w, h = box[2] - box[0], box[3] - box[1]
        if w <= 0 or h <= 0:
            return
        tile = Image.new("RGB", (w, h), fill)
        pen = ImageDraw.Draw(tile)
        step, stroke = max(4, self.px(3.2)), max(1, self.px(0.9))
        for start in range(-h, w, step):
            pen.line((start, h, start + h, 0), fill=WHITE, width=stroke)
        self.image.paste(tile, box[:2])

    def png(self) -> bytes:
        # Every pixel is one of a few colours or an anti-aliased blend of two, so mapping onto
        # fixed blend ramps loses nothing visible and makes the file a third and the encoding 4x faster.
        indexed = self.image.quantize(palette=palette(), dither=0)
        buf = io.BytesIO()
        # No pnginfo: Pillow then writes no text chunks, so nothing varies between runs.
        indexed.save(buf, "PNG", compress_level=1, dpi=(round(self.k * 72),) * 2)
        return buf.getvalue()


@lru_cache(maxsize=1)
def palette():
    """A "P" image: the chart's colours, then 16-step ramps from each background to each ink.

    Pillow maps a pixel through a cache of 8x8x8 colour cells, choosing the entry nearest to
    the cell rather than to the pixel; so a ramp step that shares a cell with a pure colour is
    left out, or white would come back as (252, 252, 252).
    """
    from PIL import Image, ImageColor

    pure = [ImageColor.getrgb(c) for c in (WHITE, ZEBRA, INK, MET_COLOUR, UNMET_COLOUR, AXIS, GRID, LINE_COLOUR)]
    entries: list[tuple[int, ...]] = []
    cells: set[tuple[int, ...]] = set()

    def add(rgb: tuple[int, ...]) -> None:
        cell = tuple(v >> 3 for v in rgb)
        if cell not in cells:
            cells.add(cell)
            entries.append(rgb)

    for rgb in pure:
        add(rgb)
    inks = (INK, UNMET_COLOUR, MET_COLOUR, AXIS, GRID)
    # Text and lines lie on the page or a zebra row; white stripes lie on the unmet bars.
    for bg, fg in [(bg, fg) for bg in (WHITE, ZEBRA) for fg in inks] + [(UNMET_COLOUR, WHITE)]:
        a, b = ImageColor.getrgb(bg), ImageColor.getrgb(fg)
        for step in range(1, 15):
            add(tuple(round(p + (q - p) * step / 15) for p, q in zip(a, b)))
    pal = Image.new("P", (1, 1))
    pal.putpalette([v for rgb in entries for v in rgb])
    return pal


@lru_cache(maxsize=2048)
def width_px(text: str, face) -> float:
    return face.getlength(text)


@lru_cache(maxsize=1024)
def glyphs(text: str, face, anchor: str):
    """The text rendered once as an alpha mask, and where its corner lies from the anchor point.

    FreeType rasterises a CJK string in ~0.2 ms and a chart has a hundred, many of them
    repeated ("100%" on most rows, the same indicator names in every workbook of a batch).
    """
    from PIL import Image, ImageDraw

    left, top, right, bottom = face.getbbox(text, anchor=anchor)
    mask = Image.new("L", (max(0, right - left), max(0, bottom - top)), 0)
    if mask.width and mask.height:
        ImageDraw.Draw(mask).text((-left, -top), text, font=face, anchor=anchor, fill=255)
    return mask, (left, top)


def fit(text: str, size_pt: float, limit_pt: float, canvas: Canvas) -> str:
    """Cut a label with "…" so it fits the label column."""
    if canvas.text_width(text, size_pt) <= limit_pt:
        return text
    while len(text) > 1 and canvas.text_width(text + "…", size_pt) > limit_pt:
        text = text[:-1]
    return text + "…"


def png(data: list[dict], *, title: str = "各项指标完成率", dpi: int = 200, fit_page: bool = False,
        width_pt: float = WIDTH_PT) -> bytes:
    """fit_page keeps the picture within one A4 text block, rows getting shorter as needed."""
    n = max(1, len(data))
    row = ROW_PT
    if fit_page:
        row = min(ROW_PT, (MAX_HEIGHT_PT - HEAD_PT - FOOT_PT) / n)
    size = min(FONT_PT, max(5.0, row * 0.66))
    height = HEAD_PT + row * n + FOOT_PT
    c = Canvas(width_pt, height, dpi)
    xmax = axis_max(data)
    values = [value_label(d) for d in data]

    label_w = min(width_pt * 0.36, max([c.text_width(d["label"], size) for d in data] + [40.0]))
    left = PAD_PT + label_w + 6
    right = width_pt - PAD_PT - max([c.text_width(v, size) for v in values] + [30.0]) - 5
    top, bottom = HEAD_PT, HEAD_PT + row * n

    def x(rate: Optional[float]) -> float:
        # A negative rate (output fell) has no bar; its label still says the number.
        return left + (right - left) * max(0.0, min(rate or 0.0, xmax)) / xmax

    c.text(width_pt / 2, 4, title, TITLE_PT, "mt")
    legend(c, width_pt / 2, 24, size)
    for n_row in range(0, n, 2):
        c.rect(PAD_PT, top + n_row * row, width_pt - PAD_PT, top + (n_row + 1) * row, ZEBRA)
    for tick in range(0, int(xmax) + 1, 50):
        c.line(x(tick), top - 2, x(tick), bottom + 2, GRID)
        c.text(x(tick), bottom + 4, f"{tick}%", size, "mt", AXIS)
    for i, d in enumerate(data):
        y0 = top + i * row
        c.text(left - 6, y0 + row / 2, fit(d["label"], size, label_w, c), size, "rm")
        if d["rate"] is not None:
            bar(c, left, y0 + row * 0.18, x(d["rate"]), y0 + row * 0.82, d, xmax)
    c.line(left, top - 2, left, bottom + 2, AXIS)
    c.dashed(x(100), top - 4, bottom + 2, LINE_COLOUR)
    for i, (d, value) in enumerate(zip(data, values)):
        # On a patch of the row's own colour, so the 100% line and grid never run through a number.
        unmet = d["status"] == "unmet"
        c.text(x(d["rate"]) + 3, top + (i + 0.5) * row, value, size, "lm", UNMET_COLOUR if unmet else INK,
               ground=WHITE if i % 2 else ZEBRA)
    return c.png()


def bar(c: Canvas, x0: float, y0: float, x1: float, y1: float, d: dict, xmax: float) -> None:
    if d["status"] == "unmet":
        c.hatched(x0, y0, x1, y1, UNMET_COLOUR)
    else:
        c.rect(x0, y0, x1, y1, MET_COLOUR)
    if d["rate"] > xmax:  # cut: the bar would leave the page
        for dx in (-9.0, -5.0):
            c.line(x1 + dx, y0 - 1, x1 + dx + 2.5, y1 + 1, WHITE, 1.2)


def legend(c: Canvas, centre: float, y: float, size: float) -> None:
    """完成 (solid) · 未完成 (hatched) · 100%目标线 (dashed), centred under the title."""
    items = ("完成", "未完成", "100%目标线")
    swatch, gap = 12.0, 14.0
    total = sum(swatch + 3 + c.text_width(t, size) for t in items) + gap * (len(items) - 1)
    x = centre - total / 2
    for label in items:
        if label == "完成":
            c.rect(x, y - 4, x + swatch, y + 4, MET_COLOUR)
        elif label == "未完成":
            c.hatched(x, y - 4, x + swatch, y + 4, UNMET_COLOUR)
        else:
            c.dashed(x + swatch / 2, y - 5, y + 5, LINE_COLOUR)
        c.text(x + swatch + 3, y, label, size, "lm")
        x += swatch + 3 + c.text_width(label, size) + gap
