"""Three unit tables in layouts the corpus (tests/corpus) does not have, checked against hand computation.

The rows are invented but worded the way real county and city execution reports
word them (主要经济指标完成情况 tables: "≥6", "≤4", 完成率（%） as plain numbers,
其中 rows, 注 lines, a 续表 with its header repeated, a 完成情况 column of verdicts beside 执行情况).
Every expected status and rate below was worked out by hand, never taken from PlanReport.
"""
from __future__ import annotations

from openpyxl import Workbook

from addin.app.pipeline import check_workbook


def _sheet(title):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def _put(ws, rows, start: int, columns: str) -> None:
    for r, values in enumerate(rows, start=start):
        for col, value in zip(columns, values):
            if value is not None:
                ws[f"{col}{r}"] = value


def _checked(wb, path):
    """The workbook saved and checked: the result and each indicator's status by name."""
    wb.save(path)
    result = check_workbook(path)
    return result, {i.name: i.status for i in result.indicators}


def test_offset_table_with_symbols_and_plain_number_rates(tmp_path):
    # Starts at C3 (two blank columns, as when a table is pasted from Word), 完成率（%） as plain numbers.
    wb, ws = _sheet("主要指标")
    ws["C1"] = "2025年某县主要经济指标完成情况"
    for col, text in zip("CDEFGHI", ["序号", "指标名称", "计量单位", "全年目标", "全年完成", "完成率（%）", "备注"]):
        ws[f"{col}3"] = text
    rows = [
        (1, "地区生产总值增速", "%", "≥6", 6.3, 105.0),        # 6.3 ≥ 6: met; 6.3/6 = 105.00
        (2, "一般公共预算收入", "亿元", 12.5, 13.1, 104.8),     # 13.1/12.5 = 104.80: met
        (3, "城镇登记失业率", "%", "≤4", 3.6, None),            # 3.6 ≤ 4: met (no rate printed)
        (4, "单位GDP能耗下降", "%", 3, 2.1, 70.0),              # a fall of 2.1 against a planned 3: unmet; 2.1/3 = 70.00
        (5, "其中：工业投资", "亿元", 40, 35, 87.5),            # 35/40 = 87.50: unmet
    ]
    _put(ws, rows, 4, "CDEFGH")
    ws["C10"] = "注：完成率=全年完成÷全年目标×100。"
    result, got = _checked(wb, tmp_path / "county.xlsx")
    assert got == {"地区生产总值增速": "met", "一般公共预算收入": "met", "城镇登记失业率": "met",
                   "单位GDP能耗下降": "unmet", "其中：工业投资": "unmet"}
    assert not [f for f in result.findings if f.severity == "error"], [f.message for f in result.findings]


def test_monthly_cumulative_table_with_growth_column_and_one_slip(tmp_path):
    wb, ws = _sheet("1-12月")
    ws["A1"] = "2025年1-12月某市重点经济指标完成情况"
    for col, text in zip("ABCDE", ["指标", "年度计划", "1-12月累计", "同比增长（%）", "完成年度计划（%）"]):
        ws[f"{col}2"] = text
    rows = [
        ("固定资产投资（亿元）", 300, 318.6, 5.2, 1.062),       # 318.6/300 = 106.20%: met
        ("社会消费品零售总额（亿元）", 520, 498.3, 4.1, 0.958),  # 498.3/520 = 95.83%, shown 95.8%: agrees; unmet
        ("外贸进出口总额（亿元）", 150, 150, None, 1.0),          # 100.0%: met
        ("实际利用外资（亿美元）", 8, 6.2, -3.0, 0.77),          # 6.2/8 = 77.5%, printed 77.0%: a slip; unmet
    ]
    _put(ws, rows, 3, "ABCDE")
    for r in range(3, 3 + len(rows)):
        ws[f"E{r}"].number_format = "0.0%"
    result, got = _checked(wb, tmp_path / "city.xlsx")
    assert got == {"固定资产投资（亿元）": "met", "社会消费品零售总额（亿元）": "unmet",
                   "外贸进出口总额（亿元）": "met", "实际利用外资（亿美元）": "unmet"}
    mismatches = {f.cell for f in result.findings if f.code == "rate_mismatch"}
    assert mismatches == {"'1-12月'!E6"}


def test_continued_table_with_verdicts_beside_the_value(tmp_path):
    wb, ws = _sheet("附件1")
    header = ["序号", "指标", "预期目标", "执行情况", "完成情况"]
    ws["A1"] = "2025年某区国民经济和社会发展计划执行情况"
    for col, text in zip("ABCDE", header):
        ws[f"{col}2"] = text
    first = [
        (1, "地区生产总值增长", "6%左右", "5.5%", "未完成"),              # 5.5 < 6 × 0.95 = 5.7: unmet
        (2, "城乡居民人均可支配收入增长", "与经济增长同步", "6.5%", "完成"),  # 6.5 ≥ the GDP target 6: met
        (3, "新增城镇就业", "3000人", "3250人", "未完成"),                # met: the printed 未完成 is the table's own slip
    ]
    _put(ws, first, 3, "ABCDE")
    ws["A7"] = "续表"
    for col, text in zip("ABCDE", header):
        ws[f"{col}8"] = text
    second = [
        (4, "细颗粒物（PM2.5）平均浓度", "降至32微克/立方米以下", "30微克/立方米", "完成"),  # 30 ≤ 32: met
        (5, "粮食播种面积", "稳定在2万亩以上", "1.96万亩", "未完成"),                          # 1.96 < 2: unmet
    ]
    _put(ws, second, 9, "ABCDE")
    result, got = _checked(wb, tmp_path / "district.xlsx")
    assert got == {"地区生产总值增长": "unmet", "城乡居民人均可支配收入增长": "met", "新增城镇就业": "met",
                   "细颗粒物（PM2.5）平均浓度": "met", "粮食播种面积": "unmet"}
    # 完成情况 is read as the verdict column; the one printed 未完成 the figures contradict is a warning on its cell
    assert all("verdict" in i.cells for i in result.indicators)
    assert {f.cell for f in result.findings if f.code == "verdict_mismatch"} == {"附件1!E5"}
    assert not [f for f in result.findings if f.severity == "error"], [f.message for f in result.findings]
