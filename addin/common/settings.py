"""Settings: defaults reproduce the Kundulun 2025 report; a planreport.toml can change them.

Looked up in this order (later wins): built-in defaults, ``planreport.toml``
beside the workbook, the file named by ``--config``.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date as _date
from decimal import Decimal
from pathlib import Path
from typing import Literal, Optional

from addin.common.errors import PlanReportError
from addin.common.layouts import TableLayout, table_layouts

CONFIG_NAME = "planreport.toml"


@dataclass(frozen=True)
class Settings:
    # Indicator-name words that make an indicator lower-is-better whatever its target says.
    ceiling_name_words: tuple[str, ...] = ("失业率", "价格涨幅", "居民消费价格", "能耗", "受害率", "事故", "发案", "死亡", "发生率", "赤字")
    # "8%左右" is met from 8 × (1 − tolerance) on: 5% of the target by default, so 7.6% meets "8%左右"
    # and 5.5% does not (the seed marks 5.5% against 8%左右 as unmet).
    about_tolerance: Decimal = Decimal("0.05")
    # 与经济增长同步: score against the GDP row's target (the seed: 3% / 8% = 37.5%) or its actual.
    relative_convention: Literal["target", "actual"] = "target"
    # Names of the row that "经济增长" refers to.
    reference_names: tuple[str, ...] = ("地区生产总值", "国内生产总值", "生产总值", "GDP", "经济增长")
    # Growth stated vs growth implied by levels may differ by this many percentage points.
    growth_tolerance_points: Decimal = Decimal("0.5")
    # This year's growth and next year's growth target further apart than this many points are pointed out
    # (规上工业增加值 15.8% -> 5%左右).
    continuity_gap_points: Decimal = Decimal("5")
    # A reported rate that differs from the computed one after both are rounded to 2 dp is an error.
    rate_mismatch_severity: Literal["error", "warning"] = "error"
    # The report's own heading, issuing office and date ([report] title / issuer / date in planreport.toml);
    # without them the title is built from the year and the report carries no issuer or date.
    report_title: Optional[str] = None
    report_issuer: Optional[str] = None
    report_date: Optional[str] = None
    # [[tables]]: layouts named by hand for tables the reader cannot find by their headers (addin/common/layouts.py).
    tables: tuple[TableLayout, ...] = ()
    # Write-back: a 核算结果 sheet of the user's own is never overwritten; true writes PlanReport's
    # sheet as 核算结果（PlanReport） instead of refusing.
    results_sheet_fallback: bool = False
    # Write-back into a digitally signed workbook invalidates the signature: only when this is true.
    writeback_signed: bool = False
    # Guard limits (addin/workbook/guard/limits.py has the defaults; None keeps the default there).
    max_file_bytes: Optional[int] = None
    max_members: Optional[int] = None
    max_total_uncompressed: Optional[int] = None
    max_member_uncompressed: Optional[int] = None
    max_ratio: Optional[float] = None
    max_cells: Optional[int] = None
    max_sheet_area: Optional[int] = None
    max_total_area: Optional[int] = None
    max_xml_tags: Optional[int] = None
    max_text_bytes: Optional[int] = None
    source: Optional[str] = None  # which file these came from, for `check` to say


_TUPLE_FIELDS = {f.name for f in fields(Settings) if f.name.endswith(("words", "names"))}
_DECIMAL_FIELDS = {"about_tolerance", "growth_tolerance_points", "continuity_gap_points"}
_BOOL_FIELDS = {"results_sheet_fallback", "writeback_signed"}
_LIMIT_FIELDS = {f.name for f in fields(Settings) if f.name.startswith("max_")}
_CHOICES = {"relative_convention": ("target", "actual"), "rate_mismatch_severity": ("error", "warning")}


def read_toml(path: Path) -> dict:
    """A settings file as a dict, or one Chinese line saying why it cannot be read."""
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark, which TOML itself would refuse
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise PlanReportError(f"{path}: 设置文件不是 UTF-8 编码，无法读取；请用 UTF-8 另存") from None
    except OSError as exc:
        raise PlanReportError(f"{path}: 无法读取设置文件（{exc.strerror or type(exc).__name__}）") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        detail = re.sub(r"\s*\(at [^)]*\)", "", str(exc))
        at = f"第 {where.group(1)} 行第 {where.group(2)} 列附近" if where else "末尾"
        raise PlanReportError(f"{path}: 设置文件格式错误，{at}不是有效的 TOML（{detail}）") from None


def _apply(settings: Settings, path: Path) -> Settings:
    data = read_toml(path)
    # Sections may stand beside a [planreport] table as well as inside it.
    section = data.get("planreport", data)
    if not isinstance(section, dict):
        raise PlanReportError(f"{path}: “planreport” 应为一节 [planreport]，不是单个值")
    data = {**section, **{k: data[k] for k in ("tables", "report", "proofread") if k in data}}
    data.pop("proofread", None)  # the proofreader's own table (addin/proofread), not check settings
    changes: dict = _report_section(path, data.pop("report", None))
    known = {f.name for f in fields(Settings)} - {"source"} - set(_REPORT_KEYS.values())
    for key, value in data.items():
        if key not in known:
            raise PlanReportError(f"{path}: 未知的设置项 “{key}”，可用：{'、'.join(sorted(known))}")
        if key in _TUPLE_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                # an empty word is in every name: "" would make every indicator lower-is-better
                raise PlanReportError(f"{path}: 设置项 “{key}” 应为非空字符串的列表")
            value = tuple(value)
        elif key in _DECIMAL_FIELDS:
            try:
                value = Decimal(str(value))
            except Exception:
                raise PlanReportError(f"{path}: 设置项 “{key}” 应为数字") from None
            # nan/inf/negative would make every comparison false (or raise) deep inside the check
            if not value.is_finite() or value < 0 or (key == "about_tolerance" and value >= 1):
                raise PlanReportError(f"{path}: 设置项 “{key}” 应为{'0 到 1 之间的小数' if key == 'about_tolerance' else '不小于 0 的有限数'}"
                                      f"（现为 {value}）")
        elif key == "tables":
            value = table_layouts(str(path), value)
        elif key in _BOOL_FIELDS and not isinstance(value, bool):
            raise PlanReportError(f"{path}: 设置项 “{key}” 应为 true 或 false")
        elif key in _LIMIT_FIELDS and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
                                       or not math.isfinite(value)  # max_ratio = nan would turn the bomb check off
                                       or (key != "max_ratio" and not isinstance(value, int))):
            raise PlanReportError(f"{path}: 设置项 “{key}” 应为正{'数' if key == 'max_ratio' else '整数'}")
        elif key in _CHOICES and value not in _CHOICES[key]:
            raise PlanReportError(f"{path}: 设置项 “{key}” 只能是 {' / '.join(_CHOICES[key])}")
        changes[key] = value
    return replace(settings, **changes, source=str(path))


_REPORT_KEYS = {"title": "report_title", "issuer": "report_issuer", "date": "report_date"}


def _report_section(path: Path, section) -> dict:
    """[report] title = "…", issuer = "…发展和改革委员会", date = 2026-01-28 (a TOML date or text)."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise PlanReportError(f"{path}: “report” 应为一节 [report]（title、issuer、date）")
    out = {}
    for key, value in section.items():
        if key not in _REPORT_KEYS:
            raise PlanReportError(f"{path}: [report] 中未知的设置项 “{key}”，可用：{'、'.join(_REPORT_KEYS)}")
        if not isinstance(value, (str, _date)):
            raise PlanReportError(f"{path}: [report] 的 “{key}” 应为文字{'或日期' if key == 'date' else ''}")
        out[_REPORT_KEYS[key]] = value.isoformat() if isinstance(value, _date) else value
    return out


def load_settings(workbook: Optional[Path] = None, config: Optional[Path] = None) -> Settings:
    settings = Settings()
    if workbook is not None:
        beside = Path(workbook).parent / CONFIG_NAME
        if beside.is_file():
            settings = _apply(settings, beside)
    if config is not None:
        config = Path(config)
        if config.is_dir():
            raise PlanReportError(f"{config}: 这是文件夹，不是设置文件；--config 应指向 planreport.toml 文件")
        if not config.is_file():
            raise PlanReportError(f"{config}: 设置文件不存在")
        settings = _apply(settings, config)
    return settings


DEFAULT = Settings()
