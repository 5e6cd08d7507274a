"""The JSON ``growth`` entries made ready for the phrasebook's "增长核对" sentences.

Only display strings are made here (numbers half-up, no trailing zeros); the
wording stays in templates/phrases.j2 (macro growth_sentence).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from .narrative import clean, display_date, format_rate

# Entries worth a sentence; the rest stay in the JSON for whoever wants them.
SHOWN = ("implied_level", "implied_prior_level", "growth_consistency", "growth_vs_level", "relative",
         "continuity", "progress")


def number(value: Optional[float]) -> str:
    if value is None:
        return "—"
    q = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:f}".rstrip("0").rstrip(".") if "." in f"{q:f}" else f"{q:f}"


def _change(points: Optional[float]) -> str:
    if points is None:
        return ""
    return f"下降{number(-points)}%" if points < 0 else f"增长{number(points)}%"


def _item(e: dict) -> Optional[dict]:
    kind = e.get("kind")
    if kind not in SHOWN:
        return None
    if kind == "growth_consistency" and e.get("consistent"):
        return None
    if kind == "continuity" and e.get("gap_points") is None:
        return None
    if kind == "progress" and not e.get("behind"):
        return None
    basis = e.get("basis") or {}
    conventions = e.get("conventions") or {}
    values = e.get("values") or {}
    years = sorted(values)
    return {
        "kind": kind,
        "name": clean(e.get("name")),
        "year": e.get("year"),
        "unit": clean(e.get("unit")),
        "value": number(e["value"] if "value" in e else values[years[-1]] if years else None),
        "approximate": bool(e.get("approximate")) or e.get("bound") in ("about", "floor", "ceiling"),
        "at_least": e.get("bound") == "floor",
        "basis_year": basis.get("year"),
        "basis_value": number(basis.get("value")),
        "basis_growth": clean(basis.get("growth")),
        "stated": _change(e.get("stated_growth")),
        "implied": _change(e.get("implied_growth")),
        "prior_year": years[0] if years else None,
        "prior_value": number(values[years[0]]) if years else "",
        "target": clean(e.get("target")),
        "actual": clean(e.get("actual")),
        "rate": format_rate(e.get("computed_rate")),
        "scored": e.get("status") not in (None, "not_computable"),
        "reference": clean(e.get("reference")),
        "rate_vs_target": format_rate((conventions.get("target") or {}).get("rate")),
        "rate_vs_actual": format_rate((conventions.get("actual") or {}).get("rate")),
        "next_target": clean(e.get("next_target")),
        "gap": number(abs(e["gap_points"])) if e.get("gap_points") is not None else "",
        "progress": number(e.get("progress")),
        "elapsed": number(e.get("elapsed")),
        "as_of": display_date(e.get("as_of")),
        "cells": {k: clean(v) for k, v in (e.get("cells") or {}).items()},
    }


def growth_items(entries: list[dict]) -> list[dict]:
    return [item for item in map(_item, entries or []) if item is not None]
