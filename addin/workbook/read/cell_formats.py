"""Number formats: which are percents or dates, and the text the core parses."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Context, Decimal
from functools import lru_cache

# Built-in numFmtIds (ECMA-376 18.8.30) that are not in styles.xml.  27-36 and
# 50-58 are the CJK locale date formats Chinese Excel writes.
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
BUILTIN_FORMATS.update({i: 'yyyy"年"m"月"d"日"' for i in (*range(27, 37), *range(50, 59))})

ERROR_VALUES = frozenset({"#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})

# Quoted literals, escaped characters and [...] sections (colours, conditions,
# locales) cannot make a format a percent or a date.
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_DATE_TOKENS = re.compile(r"[ymdhsYMDHS]|上午|下午|AM/PM")

# Excel keeps 15 significant digits; more than that in a stored double is noise.
_EXCEL_DIGITS = Context(prec=15)


@lru_cache(maxsize=512)
def format_kind(code: str | None) -> str:
    """'percent', 'date' or 'number' for a number format code."""
    if not code:
        return "number"
    bare = _LITERALS.sub("", code.split(";", 1)[0])
    if "%" in bare:
        return "percent"
    if bare.lower() != "general" and _DATE_TOKENS.search(bare):
        return "date"
    return "number"


def number_text(value: float | int, percent: bool = False) -> str:
    """Full-precision text of a stored number: 0.055 -> '0.055', or '5.5%' as a percent."""
    if isinstance(value, int) and not percent:
        return str(value)
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not d.is_finite():
        return str(value)
    if percent:
        d = d.scaleb(2)
    d = _EXCEL_DIGITS.plus(d).normalize()
    text = format(d, "f")
    if text == "-0":
        text = "0"
    return text + "%" if percent else text


def excel_date(serial: float, date1904: bool = False) -> datetime | None:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if not date1904 and serial < 60:
        serial += 1  # Excel's phantom 1900-02-29
    try:
        return base + timedelta(days=serial)
    except OverflowError:
        return None


def temporal_text(value: datetime | date | time) -> str:
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()
