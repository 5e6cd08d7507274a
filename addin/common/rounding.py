"""Numbers as a statistician writes them: 四舍五入 to 2 dp, no trailing zeros.

One place for the checks' messages, the terminal table, the growth notes and
both reports, so a number reads the same wherever it is shown.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Union

CENT = Decimal("0.01")
Number = Union[Decimal, float, int]


def round2(value: Decimal) -> Decimal:
    """Half-up to 2 dp (Python's round() and Decimal's default context round half to even)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Optional[Number]) -> str:
    """1550.1706 -> '1550.17', 7.20 -> '7.2', 482 -> '482'; None -> '—'."""
    if value is None:
        return "—"
    # A Decimal is its own str() read back (same digits, same exponent): no round trip for the usual case.
    exact = value if value.__class__ is Decimal else Decimal(str(value))
    return f"{round2(exact):f}".rstrip("0").rstrip(".")


def percent(value: Optional[Number]) -> str:
    """68.75 -> '68.75%', 114.0 -> '114%'; None -> '—'."""
    return "—" if value is None else plain(value) + "%"


def change(points: Number) -> str:
    """-25.73 -> '下降25.73%', 5.4 -> '增长5.4%'."""
    return f"下降{plain(-points)}%" if points < 0 else f"增长{plain(points)}%"
