"""Bounds that keep a hostile workbook from taking unbounded time or memory.

A setting, not a constant: ``open_source(..., limits=...)`` takes a Limits, a
mapping of field names, or an object (e.g. the pipeline's settings) with a
``limits`` attribute/key holding either.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

MiB = 1024 * 1024
SETTINGS_FILE = "planreport.toml"


def raise_hint(setting: str) -> str:
    """The end of every refusal a limit causes: which key of planreport.toml lifts it."""
    return f"如确为正常工作簿，可在 {SETTINGS_FILE} 中调高 {setting}"


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * MiB
    max_members: int = 2000  # parts in the zip package
    max_total_uncompressed: int = 512 * MiB
    max_member_uncompressed: int = 256 * MiB
    max_ratio: float = 200.0  # uncompressed/compressed, for members above ratio_floor
    ratio_floor: int = 1 * MiB  # small parts compress very well legitimately
    max_cells: int = 1_000_000  # cells holding a value or formula, whole workbook
    max_sheet_area: int = 4_000_000  # rows x columns of a sheet's used range (readers allocate it densely)
    max_total_area: int = 16_000_000  # the same summed over sheets: 2,000 sheets of 4M would still be 64 GB
    max_xml_tags: int = 4_000_000  # '<' in all XML parts: the reader spends Python time per element
    max_text_bytes: int = 256 * 1024  # one text run in cell XML: Excel stops at 32,767 characters
    prescan_bytes: int = 64 * 1024  # read of a non-workbook file to say what it is

    @classmethod
    def coerce(cls, value: Any = None) -> "Limits":
        if value is None:
            return cls()
        if isinstance(value, Limits):
            return value
        nested = value.get("limits") if isinstance(value, dict) else getattr(value, "limits", None)
        if nested is not None and nested is not value:
            return cls.coerce(nested)
        names = [f.name for f in fields(cls)]
        if isinstance(value, dict):
            chosen = {k: value[k] for k in names if k in value}
        else:
            chosen = {k: getattr(value, k) for k in names if hasattr(value, k)}
        # Settings leave a limit at None when planreport.toml does not set it: the default here holds.
        chosen = {k: v for k, v in chosen.items() if v is not None}
        return replace(cls(), **chosen)
