"""Workbooks for the write-back tests, built for real with openpyxl (+ Pillow for the image)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

# Rows of 附件1 as the 2025 昆都仑区 report prints them (seed text).
SEED_ROWS = [
    (1, "主要经济指标", "地区生产总值", "8%左右", "5.5%", 0.6875),
    (2, None, "规模以上工业增加值", "14%以上", "15.8%", 1.1286),
    (3, None, "固定资产投资", "18%以上", "252.78亿元", "—"),
    (6, None, "城镇常住居民人均可支配收入", "与经济增长同步", "3%", 0.375),
    (22, "聚焦改革创新", "技术合同成交额", "3亿元", "6亿元", 1.36),
    (23, None, "=即办件比率", "80%", "83.41%", 1.0426),  # a name that looks like a formula
]
FORMULA_CELL = "H2"
FORMULA_CACHED = "6"


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def make_workbook(path: Path) -> Path:
    """附件1 with a chart, an image, a comment, a list validation, a conditional format,
    defined names (one sheet-local), merged cells and a formula whose cached value is set."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image as XLImage
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append(["序号", "类别", "指标", "目标", "完成情况", "完成率", "备注", "行数"])
    for no, cat, name, target, actual, rate in SEED_ROWS:
        ws.append([no, cat, name, target, actual, rate])
        if isinstance(rate, float):
            ws.cell(ws.max_row, 6).number_format = "0.00%"
        if name.startswith("="):
            ws.cell(ws.max_row, 3).data_type = "s"  # typed text, as Excel keeps '=... entries
    ws.merge_cells("B2:B5")
    ws[FORMULA_CELL] = f"=COUNTA(C2:C{ws.max_row})"
    ws["C2"].comment = Comment("统计局口径", "审核")
    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("G2:G7")
    ws.conditional_formatting.add("F2:F7", CellIsRule(operator="lessThan", formula=["1"],
                                                     fill=PatternFill("solid", start_color="FFFFC7CE")))
    ws.add_image(XLImage(io.BytesIO(_png())), "J2")
    wb.defined_names["指标名称"] = DefinedName("指标名称", attr_text="'附件1'!$C$2:$C$7")
    ws.print_area = "A1:H7"  # a sheet-local defined name (localSheetId)

    charts = wb.create_sheet("图表")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=7), titles_from_data=True)
    charts.add_chart(chart, "B2")
    wb.save(path)
    set_cached_value(path, "xl/worksheets/sheet1.xml", FORMULA_CELL, FORMULA_CACHED)
    return path


def set_cached_value(path: Path, part: str, ref: str, value: str) -> None:
    """openpyxl cannot store a formula's cached value; Excel always does. Add it by hand."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            if info.filename == part:
                root = etree.fromstring(data)
                cell = root.find(f".//{{{ns}}}c[@r='{ref}']")
                v = cell.find(f"{{{ns}}}v")
                if v is None:
                    v = etree.SubElement(cell, f"{{{ns}}}v")
                v.text = value
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zf.writestr(info, data)


def _number(text) -> float | None:
    m = re.search(r"-?\d+(?:\.\d+)?", str(text or ""))
    return float(m.group()) if m else None


def _unit(text) -> str:
    return re.sub(r"-?\d+(?:\.\d+)?|左右|以上|以内", "", str(text or ""))


def result_json_from(path: Path, *, unmet_below: float = 100.0) -> dict:
    """A JSON-contract dict made from the workbook's own rows (the way the pipeline reports
    them), so the tests do not depend on the pipeline being there."""
    from openpyxl import load_workbook

    ws = load_workbook(path, data_only=True)["附件1"]
    indicators, findings = [], []
    for row in ws.iter_rows(min_row=2, max_col=6):
        no, _, name, target, actual, rate = (c.value for c in row)
        r = row[0].row
        t, a = _number(target), _number(actual)
        same_unit = _unit(target) == _unit(actual)
        computed = round(a / t * 100, 2) if t and a is not None and same_unit else None
        reported = round(rate * 100, 2) if isinstance(rate, float) else None
        status = "not_computable" if computed is None else ("met" if computed >= unmet_below else "unmet")
        cells = {k: f"附件1!{col}{r}" for k, col in (("name", "C"), ("target", "D"), ("actual", "E"), ("rate", "F"))}
        indicators.append({"sheet": "附件1", "row": r, "no": no, "category": None, "name": name, "unit": None,
                           "target": target, "actual": actual, "direction": "higher", "computed_rate": computed,
                           "reported_rate": reported, "status": status, "reported_unmet": None, "cells": cells,
                           "kind": "growth", "note": None})
        if computed is not None and reported is not None and abs(computed - reported) >= 0.01:
            findings.append({"code": "rate_mismatch", "severity": "error", "cell": cells["rate"],
                             "message": f"{cells['rate']}: 填报完成率 {reported}% 与核算值 {computed}% 不符"})
    return {"workbook": str(path), "meta": {}, "indicators": indicators, "targets": [], "growth": [],
            "findings": findings}


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}
