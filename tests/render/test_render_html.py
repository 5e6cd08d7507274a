"""The web-page report: static structure, then real headless Chromium for glyphs and requests."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from addin.render.html import render_html, write_html
from render_support import DATE, chromium, chromium_path, hostile_workbook, names_of, page_requests

needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="chromium not installed")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    return c


@pytest.fixture(scope="module")
def html(sample_json) -> str:
    return render_html(sample_json, date=DATE)


def test_self_contained_and_locked_down(html):
    tags = parse(html).tags
    assert ("html", {"lang": "zh-CN"}) in tags
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object")]
    refs = [v for _, a in tags for k, v in a.items() if k in ("src", "href") and v]
    assert refs == []
    assert not re.search(r"url\((?!#)", html)  # only in-page fragments such as url(#hatch)
    assert "@import" not in html and "@font-face" not in html
    assert "@media print" in html and "Noto Serif CJK SC" in html and "仿宋_GB2312" in html


def test_every_number_names_its_cell(html, sample_json):
    spans = [a for t, a in parse(html).tags if t == "span" and "num" in a.get("class", "")]
    assert len(spans) > 3 * 48
    assert all(re.fullmatch(r"(附件1|附件2|基础数据)!\w+\d+", a["title"]) and a["title"] == a["data-cell"] for a in spans)
    row22 = next(i for i in sample_json["indicators"] if i["name"] == "技术合同成交额")
    assert f'title="{row22["cells"]["rate"]}" data-cell="{row22["cells"]["rate"]}">200%<' in html


def test_appendix_table_merges_categories_and_marks_unmet_in_words(html, sample_json):
    tags = parse(html).tags
    spans = [int(a["rowspan"]) for t, a in tags if t == "td" and "rowspan" in a]
    assert spans == [8, 3, 6, 9, 7, 4, 11] and sum(spans) == 48
    rows = re.findall(r'<tr class="(\w+)" data-row="\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 48
    unmet = [body for status, body in rows if status == "unmet"]
    assert len(unmet) == 2
    for body in unmet:
        assert '<td class="status">未完成</td>' in body and '<u class="unmet-rate">' in body
    assert all("未完成" not in body for status, body in rows if status != "unmet")
    text = "".join(parse(html).text)
    assert [n for n in names_of(sample_json) if n not in text] == []


def test_narrative_and_findings(html):
    text = re.sub(r"<[^>]+>", "", html)
    assert "2025年计划确定的48项主要指标中，44项完成或超额完成，2项未完成，2项无法核算完成率" in text
    assert "地区生产总值增长5.5%，低于8%左右的预期目标，完成率68.75%" in text
    assert "数据核对" in text
    finding = next(line for line in text.splitlines() if "附件1!F24" in line)
    assert "技术合同成交额" in finding and "136%" in finding and "200%" in finding


def test_same_json_gives_identical_bytes_and_dates_come_from_input(sample_json, html):
    assert render_html(sample_json, date=DATE) == html
    assert "2026年1月28日" in html
    undated = render_html(sample_json)
    assert "2026年1月28日" not in undated and undated == render_html(sample_json)


def test_cell_text_is_escaped(sample_path, tmp_path):
    from addin.app.pipeline import check_workbook

    result = check_workbook(hostile_workbook(sample_path, tmp_path / "hostile.xlsx")).to_json()
    page = render_html(result, date=DATE)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;地区生产总值" in page
    assert "即办件比率 &amp; &lt;b&gt;" in page
    tags = parse(page).tags
    assert not [a for _, a in tags if "href" in a]  # the HYPERLINK formula text is not a link
    assert "=HYPERLINK(&#34;http://evil.example/&#34;,&#34;节能减排&#34;)" in page


@needs_chromium
def test_chromium_screenshot_shows_cjk_glyphs(html, tmp_path):
    from PIL import Image, ImageChops

    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    shot = chromium(report, tmp_path)
    image = Image.open(shot).convert("L")
    assert image.size == (1200, 3000) and image.getextrema()[0] < 100  # dark ink on the page

    # Tofu boxes look the same whatever the character; real glyphs differ. Two strings
    # of the report, same length, set in the report's own stylesheet.
    style = re.search(r"<style>.*?</style>", html, re.S).group(0)
    probe = tmp_path / "probe.html"
    probe.write_text(
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">{style}</head><body>'
        '<p style="position:absolute;top:0;left:0;margin:0;font-size:40px;line-height:60px;text-indent:0">地区生产总值</p>'
        '<p style="position:absolute;top:100px;left:0;margin:0;font-size:40px;line-height:60px;text-indent:0">规模以上工业</p>'
        "</body></html>", encoding="utf-8")
    glyphs = Image.open(chromium(probe, tmp_path, size=(400, 200))).convert("L")
    first, second = glyphs.crop((0, 0, 300, 60)), glyphs.crop((0, 100, 300, 160))
    assert first.getextrema()[0] < 100 and second.getextrema()[0] < 100
    diff = ImageChops.difference(first, second)
    assert diff.point(lambda v: 255 if v > 64 else 0).histogram()[255] > 500


@needs_chromium
def test_chromium_makes_no_external_request(html, tmp_path):
    # The detector first proves it sees a page's request...
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="http://planreport-probe.invalid/x.png"></body></html>')
    control_log = tmp_path / "control.json"
    chromium(control, tmp_path, size=(300, 200), netlog=control_log)
    assert "http://planreport-probe.invalid/x.png" in page_requests(control_log)
    # ...then finds none from the report.
    report = write_html_to(tmp_path, html)
    log = tmp_path / "report-net.json"
    chromium(report, tmp_path, size=(1200, 1200), netlog=log)
    assert log.exists() and page_requests(log) == set()


def write_html_to(tmp_path, html):
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_write_html_writes_utf8(sample_json, tmp_path):
    out = write_html(sample_json, tmp_path / "r.html", date=DATE)
    assert out.read_bytes().decode("utf-8") == render_html(sample_json, date=DATE)
