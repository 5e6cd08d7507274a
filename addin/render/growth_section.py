"""The JSON ``growth`` entries made ready for the phrasebook's "增长核对" sentences.

Only display strings are made here (numbers half-up, no trailing zeros); the
wording stays in templates/phrases.j2 (macro growth_sentence).
"""
from __future__ import annotations

from typing import Optional

from addin.common.rounding import change, percent, plain
from addin.render.phrasing import clean, target_phrase

# Entries worth a sentence; the rest stay in the JSON for whoever wants them.
# Progress entries (check --as-of) have their own section (narrative.progress_section).
SHOWN = ("implied_level", "implied_prior_level", "growth_consistency", "growth_vs_level", "relative",
         "continuity")


def _change(points: Optional[float]) -> str:
    return "" if points is None else change(points)


def _item(e: dict) -> Optional[dict]:
    kind = e.get("kind")
    if kind not in SHOWN:
        return None
    if kind == "growth_consistency" and e.get("consistent"):
        return None
    if kind == "continuity" and e.get("gap_points") is None:
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
        "value": plain(e["value"] if "value" in e else values[years[-1]] if years else None),
        "approximate": bool(e.get("approximate")) or e.get("bound") in ("about", "floor", "ceiling"),
        "at_least": e.get("bound") == "floor",
        "basis_year": basis.get("year"),
        "basis_value": plain(basis.get("value")),
        "basis_growth": clean(basis.get("growth")),
        "stated": _change(e.get("stated_growth")),
        "implied": _change(e.get("implied_growth")),
        "prior_year": years[0] if years else None,
        "prior_value": plain(values[years[0]]) if years else "",
        "target": target_phrase(clean(e.get("target")), "relative" if kind == "relative" else None),
        "actual": clean(e.get("actual")),
        "rate": percent(e.get("computed_rate")),
        "scored": e.get("status") not in (None, "not_computable"),
        "reference": clean(e.get("reference")),
        "rate_vs_target": percent((conventions.get("target") or {}).get("rate")),
        "rate_vs_actual": percent((conventions.get("actual") or {}).get("rate")),
        "next_target": clean(e.get("next_target")),
        "gap": plain(abs(e["gap_points"])) if e.get("gap_points") is not None else "",
        "cells": {k: clean(v) for k, v in (e.get("cells") or {}).items()},
    }


def growth_items(entries: list[dict]) -> list[dict]:
    return [item for item in map(_item, entries or []) if item is not None]
