"""Build workbooks/kundulun-2025.xlsx from the 2025 Kundulun report's appendices.

Run as ``python workbooks/make_sample.py``. The two appendix blocks are copied
verbatim (tab-separated, as extracted from the report) so the repository does
not need the seed text; rebuilding gives a byte-identical file.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ANNEX1 = """\
序号\t类别\t指标\t目标\t完成情况\t完成率
主要经济 指标\t1\t地区生产总值\t8%左右\t5.5%\t<u>68.75%</u>
\t2\t规模以上工业增加值\t14%以上\t15.8%\t112.86%
\t3\t固定资产投资\t18%以上\t252.78亿元\t—
\t4\t社会消费品零售总额\t5%以上\t5.7%\t114%
\t5\t一般公共预算收入\t5%以上\t23.4亿元\t—
\t6\t城镇常住居民人均可支配收入\t与经济增长同步\t3%\t<u>37.5%</u>
\t7\t城镇登记失业率\t4%以内\t4%以内\t100%
\t8\t节能减排\t完成包头市下达的目标\t完成包头市下达的目标\t100%
序号\t类别\t指标\t目标\t完成情况\t完成率
重大项目 与招商引 资\t9\t政府投资5000万元、企业投资亿元以上重大项目\t100个以上\t101个\t101%
\t10\t招商引资落地项目\t40个以上\t74个\t185%
\t11\t引入国内（区外）资金\t200亿元\t200亿元\t100%
构建现代 化产业 体系\t12\t实施钢铁精深加工及绿色改造升级项目\t20个\t31个\t155%
\t13\t实施建设稀土产业项目\t5个\t7个\t140%
\t14\t新开工亿元以上产业项目\t56个\t67个\t119.64%
\t15\t新增规上工业企业\t18户\t21户\t116.67%
\t16\t引进金融服务机构\t2家\t4家\t200%
\t17\t农畜产品加工转化率\t80%以上\t81%\t101.25%
序号\t类别\t指标\t目标\t完成情况\t完成率
聚焦改革创新\t18\t新认定高新技术企业\t10家\t21家\t210%
\t19\t新增科技型中小企业\t40家\t49家\t122.50%
\t20\t新增专精特新企业\t10户\t14户\t140%
\t21\t科技成果转化\t4项\t21项\t525%
\t22\t技术合同成交额\t3亿元\t6亿元\t136%
\t23\t即办件比率\t80%\t83.41%\t104.26%
\t24\t最多跑一次事项比率以及网办占比\t100%\t100%\t100%
\t25\t全程网办（IV级）比率\t95%\t99.86%\t105.12%
\t26\t内蒙古政务服务网关联率\t100%\t100%\t100%
序号\t类别\t指标\t目标\t完成情况\t完成率
统筹城乡 融合\t27\t铺设四类管网\t472公里\t472公里\t100%
\t28\t实施老旧小区改造项目\t43.7万平方米\t43.7万平方米\t100%
\t29\t林南平房区改造项目\t建成交付\t建成交付\t100%
\t30\t住宅小区物业服务覆盖率\t80%\t90%\t112.5%
\t31\t垃圾分类示范点\t2个\t2个\t100%
\t32\t农村牧区污水管网改造工程户厕改造\t350座\t350座\t100%
\t33\t农村牧区饮用水水质检测（合格率100%）\t33处\t33处\t100%
坚持绿色 发展\t34\t完成森林抚育、植被恢复\t1.24万亩\t1.24万亩\t100%
\t35\t森林火灾受害率\t0.9%以下\t0.9%以内\t100%
\t36\t草原火灾受害率\t不超过2‰\t全年不超过2‰\t100%
\t37\t重点建设用地安全利用率\t100%\t100%\t100%
序号\t类别\t指标\t目标\t完成情况\t完成率
\t38\t年内实现新增城镇就业\t9000人以上\t9448人\t104.98%
\t39\t基本养老保险参保率\t92.2%\t92.2%\t100%
\t40\t城乡居民医疗保险参保覆盖率\t95%以上\t95%以上\t100%
\t41\t新增托位数\t3593个\t3645个\t101.45%
\t42\t医疗卫生单位与养老、托育机构合作覆盖率\t100%\t100%\t100%
保障和改善民生\t43\t新改扩建公办幼儿园\t4所\t4所\t100%
\t44\t学前普惠性幼儿园覆盖率\t92%\t96.2%\t104.57%
\t45\t集团化办学受益学生占比\t70%\t70%\t100%
\t46\t建设区级医疗重点专科\t4个\t4个\t100%
\t47\t各类文旅活动\t500余场\t500余场\t100%
\t48\t求决类信访事项一次性化解率\t90%\t93.82%\t104.24%
"""

ANNEX2 = """\
1\t地区生产总值\t%\t3%左右
2\t规模以上工业增加值\t%\t5%左右
3\t固定资产投资\t%\t8%左右
4\t社会消费品零售总额\t%\t5%以上
5\t一般公共预算收入\t%\t4%
6\t城镇常住居民人均可支配收入\t%\t经济增长基本同步
7\t新增城镇就业\t人\t9000人
8\t城镇登记失业率\t%\t4%以内
9\t单位GDP能耗\t%\t完成包头市下达目标任务
"""

# 基础数据: levels and stated growth from the report's narrative (docs/levels.md).
# Prior-year levels the report does not give are left empty for the user to fill.
LEVELS = """\
地区生产总值\t2024\t\t亿元\t\t报告未载，待补充
地区生产总值\t2025\t1505.02\t亿元\t5.5%\t报告正文：地区生产总值增长5.5%、达1505.02亿元
固定资产投资\t2024\t\t亿元\t\t报告未载，待补充
固定资产投资\t2025\t252.78\t亿元\t\t附件1第3项完成情况
一般公共预算收入\t2024\t\t亿元\t\t报告未载，待补充
一般公共预算收入\t2025\t23.4\t亿元\t\t报告正文：一般公共预算收入完成23.4亿元
城镇居民人均可支配收入\t2024\t\t元\t\t报告未载，待补充
城镇居民人均可支配收入\t2025\t66598\t元\t3%\t报告正文：城镇居民人均可支配收入达到66598元；增速见附件1第6项
重大项目年内计划投资\t2025\t459.8\t亿元\t\t报告正文：年内计划投资459.8亿元
重大项目年内完成投资\t2025\t482\t亿元\t\t报告正文：年内累计完成投资482亿元
重大项目年内完成投资\t2026\t358\t亿元\t5.4%\t2026年规划：年内计划完成投资358亿元，同比增长5.4%
技术合同成交额\t2025\t6\t亿元\t\t报告正文：全年技术合同登记交易总额突破6亿元
技术合同成交额\t2026\t\t亿元\t20%以上\t2026年规划：技术合同交易成交额增长20%以上
"""

TITLE1 = "2025年昆都仑区国民经济和社会发展计划重点任务执行情况"
TITLE2 = "2026年国民经济和社会发展主要目标"
NOTE1 = "注：下划线表示未完成年度目标任务"
TITLE3 = "基础数据（总量与增速）"
HEADER1 = ("类别", "序号", "指标", "目标", "完成情况", "完成率")
HEADER2 = ("序号", "指标名称", "单位", "全年目标")
HEADER3 = ("指标", "年份", "数值", "单位", "增速", "来源")
FIXED_TIME = datetime(2026, 1, 5, 9, 0, 0)
FONT = "仿宋"
OUT = Path(__file__).with_name("kundulun-2025.xlsx")

_BARE_PERCENT = re.compile(r"^(\d+(?:\.(\d+))?)%$")


def parse_annex1(block: str = ANNEX1) -> list[dict]:
    """The report prints the table in blocks, each under a repeated header line.

    A category label sits in the (vertically centred) middle of its merged cell,
    so rows above the first label of a block belong to that label.
    """
    rows, category, waiting = [], None, []
    for line in block.splitlines():
        if line.startswith("序号"):
            waiting = []
            category = None
            continue
        first, *rest = line.split("\t")
        if first.strip():
            # The PDF wraps category names inside the cell; the spaces are line breaks.
            category = re.sub(r"\s+", "", first)
            for row in waiting:
                row["category"] = category
            waiting = []
        no, name, target, actual, rate = [f for f in rest if f.strip()]
        underline = rate.startswith("<u>")
        rate = re.sub(r"</?u>", "", rate)
        rows.append(dict(category=category, no=int(no), name=name, target=target,
                         actual=actual, rate=rate, underline=underline))
        if category is None:
            waiting.append(rows[-1])
    return rows


def parse_annex2(block: str = ANNEX2) -> list[dict]:
    rows = []
    for line in block.splitlines():
        no, name, unit, target = line.split("\t")
        rows.append(dict(no=int(no), name=name, unit=unit, target=target))
    return rows


def percent_value(text: str):
    """'68.75%' -> (0.6875, '0.00%'): a number whose display is exactly the text."""
    m = _BARE_PERCENT.match(text)
    if not m:
        return None
    decimals = len(m.group(2) or "")
    fmt = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
    return float(Decimal(m.group(1)) / 100), fmt


def _styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return dict(
        title=Font(name=FONT, size=16, bold=True),
        header=Font(name=FONT, size=12, bold=True),
        body=Font(name=FONT, size=12),
        underlined=Font(name=FONT, size=12, underline="single"),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        center=Alignment(horizontal="center", vertical="center", wrap_text=True),
        left=Alignment(horizontal="left", vertical="center", wrap_text=True),
    )


def _put(ws, row, col, value, st, *, fmt=None, font=None, align="center"):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = font or st["body"]
    cell.border = st["border"]
    cell.alignment = st[align]
    if fmt:
        cell.number_format = fmt
    return cell


def _title(ws, text, width, st):
    ws.cell(row=1, column=1, value=text).font = st["title"]
    ws.cell(row=1, column=1).alignment = st["center"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 36


def _header(ws, row, names, st):
    for col, name in enumerate(names, 1):
        _put(ws, row, col, name, st, font=st["header"])


def _value_or_percent(text):
    as_pct = percent_value(text)
    return as_pct if as_pct else (text, None)


def build_annex1(ws, rows, st):
    _title(ws, TITLE1, len(HEADER1), st)
    _header(ws, 2, HEADER1, st)
    first_row = 3
    for i, r in enumerate(rows):
        row = first_row + i
        _put(ws, row, 1, None, st)
        _put(ws, row, 2, r["no"], st)
        _put(ws, row, 3, r["name"], st, align="left")
        _put(ws, row, 4, r["target"], st)
        value, fmt = _value_or_percent(r["actual"])
        _put(ws, row, 5, value, st, fmt=fmt)
        value, fmt = _value_or_percent(r["rate"])
        _put(ws, row, 6, value, st, fmt=fmt, font=st["underlined"] if r["underline"] else None)
    # Category: one vertically merged cell per run of rows.
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["category"] != rows[start]["category"]:
            top, bottom = first_row + start, first_row + i - 1
            ws.cell(row=top, column=1, value=rows[start]["category"])
            if bottom > top:
                ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
            start = i
    note_row = first_row + len(rows)
    ws.cell(row=note_row, column=1, value=NOTE1).font = st["body"]
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(HEADER1))
    for col, width in zip("ABCDEF", (14, 7, 44, 24, 24, 12)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"


def build_annex2(ws, rows, st):
    _title(ws, TITLE2, len(HEADER2), st)
    _header(ws, 2, HEADER2, st)
    for i, r in enumerate(rows):
        row = 3 + i
        _put(ws, row, 1, r["no"], st)
        _put(ws, row, 2, r["name"], st, align="left")
        _put(ws, row, 3, r["unit"], st)
        _put(ws, row, 4, r["target"], st)
    for col, width in zip("ABCD", (7, 36, 10, 28)):
        ws.column_dimensions[col].width = width


def build_levels(ws, st, block: str = LEVELS):
    """基础数据: one row per indicator and year; levels as numbers, growth as percents or text."""
    _title(ws, TITLE3, len(HEADER3), st)
    _header(ws, 2, HEADER3, st)
    for row, line in enumerate(block.splitlines(), 3):
        name, year, level, unit, growth, source = line.split("\t")
        _put(ws, row, 1, name, st, align="left")
        _put(ws, row, 2, int(year), st)
        _put(ws, row, 3, float(Decimal(level)) if level else None, st)
        _put(ws, row, 4, unit, st)
        value, fmt = _value_or_percent(growth) if growth else (None, None)
        _put(ws, row, 5, value, st, fmt=fmt)
        _put(ws, row, 6, source, st, align="left")
    for col, width in zip("ABCDEF", (26, 8, 12, 8, 10, 56)):
        ws.column_dimensions[col].width = width


def build_workbook():
    from openpyxl import Workbook

    st = _styles()
    wb = Workbook()
    ws1 = wb.active
    ws1.title = "附件1"
    build_annex1(ws1, parse_annex1(), st)
    build_annex2(wb.create_sheet("附件2"), parse_annex2(), st)
    build_levels(wb.create_sheet("基础数据"), st)
    wb.properties.creator = "昆都仑区统计局"
    wb.properties.title = TITLE1
    wb.properties.created = FIXED_TIME
    return wb


def _fix_core_dates(xml: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", xml)


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member times and fixed document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _fix_core_dates(payload)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, payload)
    return out.getvalue()


def main(out: Path = OUT) -> Path:
    buf = io.BytesIO()
    build_workbook().save(buf)
    Path(out).write_bytes(deterministic_zip(buf.getvalue()))
    return Path(out)


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
