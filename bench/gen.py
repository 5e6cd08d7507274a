"""Generate a large indicator workbook shaped like 附件1, for benchmarks."""
from __future__ import annotations

from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "kundulun-2025.xlsx"

CATEGORIES = ("主要经济指标", "重大项目与招商引资", "构建现代化产业体系", "聚焦改革创新", "统筹城乡融合")
TARGETS = ("8%左右", "14%以上", "100个以上", "4%以内", "3亿元", "完成包头市下达的目标", "9000人以上")


def make_big_workbook(path: str | Path, rows: int = 50_000) -> Path:
    """Title row, header 类别/序号/指标/目标/完成情况/完成率, ``rows`` indicator rows.

    Half of the actuals and all rates are numbers with percent formats, the way
    a statistician types them, so the reader's style handling is exercised.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("附件1")
    underlined = Font(name="仿宋", underline="single")

    def pct(value, fmt="0.00%", font=None):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = fmt
        if font is not None:
            cell.font = font
        return cell

    ws.append([f"{rows}项指标执行情况（2025年）"])
    ws.append(["类别", "序号", "指标", "目标", "完成情况", "完成率"])
    for i in range(1, rows + 1):
        category = CATEGORIES[(i // 97) % len(CATEGORIES)] if i % 97 == 1 else None
        actual = pct(0.05 + (i % 100) / 1000, "0.0%") if i % 2 else f"{i % 500}个"
        rate = (i % 200) / 100 + 0.0025
        ws.append([category, i, f"指标{i}", TARGETS[i % len(TARGETS)], actual,
                   pct(rate, font=underlined if rate < 1 else None)])
    ws.append(["注：下划线表示未完成年度目标任务"])
    path = Path(path)
    wb.save(path)
    return path


def make_variants(folder: Path, copies: int) -> None:
    import openpyxl

    from addin.app.pipeline import check_workbook

    refs = [i["cells"]["name"] for i in check_workbook(SAMPLE).to_json()["indicators"]]
    folder.mkdir(parents=True)
    for unit in range(copies):
        wb = openpyxl.load_workbook(SAMPLE)
        for ref in refs:
            sheet, cell = ref.split("!")
            c = wb[sheet][cell]
            c.value = f"{c.value}（第{unit}组）" if unit % 2 else f"第{unit}组{c.value}"
        wb.save(folder / f"单位{unit:04d}.xlsx")
