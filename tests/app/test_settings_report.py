"""[report] in planreport.toml: the report's title, issuer and date reach the result's meta
and a wrong key is one Chinese line naming the file."""
from __future__ import annotations

import pytest

from addin.common.errors import PlanReportError
from addin.common.settings import load_settings


def test_report_section_is_read(tmp_path):
    (tmp_path / "planreport.toml").write_text(
        '[report]\ntitle = "关于2025年计划执行情况的报告"\nissuer = "某区发展和改革委员会"\ndate = 2026-01-28\n',
        encoding="utf-8")
    s = load_settings(tmp_path / "wb.xlsx")
    assert (s.report_title, s.report_issuer, s.report_date) == ("关于2025年计划执行情况的报告", "某区发展和改革委员会", "2026-01-28")


@pytest.mark.parametrize("body, words", [
    ('[report]\nauthor = "x"\n', "未知的设置项 “author”"),
    ('[report]\nissuer = 3\n', "应为文字"),
    ('report = "x"\n', "应为一节"),
])
def test_report_section_errors_name_the_file(tmp_path, body, words):
    cfg = tmp_path / "planreport.toml"
    cfg.write_text(body, encoding="utf-8")
    with pytest.raises(PlanReportError) as err:
        load_settings(tmp_path / "wb.xlsx")
    assert str(cfg) in str(err.value) and words in str(err.value)
