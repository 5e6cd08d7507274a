"""refresh on every corpus workbook (tests/corpus: other units' real tables): Word and HTML
reports for each, never an internal error. Several of these tables have no 完成率 column, so the
rates in the reports are PlanReport's own, with no printed cell to point at."""
from __future__ import annotations

import docx
import pytest

from addin.app.refresh import refresh_workbook
from tests.corpus.build_all import SLUGS, corpus_modules

MODULES = dict(zip(SLUGS, corpus_modules()))


@pytest.mark.parametrize("slug", SLUGS)
def test_every_corpus_table_gets_both_reports(slug, tmp_path):
    book = MODULES[slug].build(tmp_path / f"{slug}.xlsx")
    done = refresh_workbook(book, out_dir=tmp_path / "out", formats=("docx", "html"), writeback=False)
    assert sorted(p.suffix for p in done.outputs) == [".docx", ".html"]
    html = (tmp_path / "out" / f"{slug}.html").read_text(encoding="utf-8")
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out" / f"{slug}.docx").paragraphs)
    for ind in done.result.indicators:
        assert ind.name in html
    assert "None" not in html and "None" not in text


def gwr_2018_reports(tmp_path) -> tuple[str, str]:
    """The 2018 Government Work Report's table refreshed: (the Word text, the HTML)."""
    book = MODULES["national_2018_gwr"].build(tmp_path / "gwr.xlsx")
    refresh_workbook(book, out_dir=tmp_path / "out", formats=("docx", "html"), writeback=False)
    text = "\n".join(p.text for p in docx.Document(tmp_path / "out" / "gwr.docx").paragraphs)
    return text, (tmp_path / "out" / "gwr.html").read_text(encoding="utf-8")


def test_a_table_without_a_rate_column_reports_the_computed_rate(tmp_path):
    # 2018 Government Work Report: 城镇新增就业 1100万人以上, achieved 1361万人 (no 完成率 printed).
    # 1361 / 1100 = 1.237272… -> 123.73% (by hand).
    text, html = gwr_2018_reports(tmp_path)
    assert "城镇新增就业（123.73%）" in text
    assert "123.73%" in html and 'data-cell=""' not in html


def test_a_name_that_says_growth_is_not_followed_by_another(tmp_path):
    # 2018 Government Work Report, row 国内生产总值增长: target 6.5%左右, actual 6.6%. The sentence
    # reads the name, then the actual, with no second 增长 ("国内生产总值增长增长6.6%" before).
    text, html = gwr_2018_reports(tmp_path)
    assert "国内生产总值增长6.6%" in text
    for report in (text, html):
        assert "增长增长" not in report and "涨幅增长" not in report
