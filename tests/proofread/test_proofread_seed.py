"""The seed's narrative against the sample workbook built from the same seed.

Expected cells are read off the workbook's layout (附件1 row = 序号 + 2, column E 完成情况;
基础数据 rows as workbooks/make_sample.py lists them), and the numbers from the seed's prose.
"""
from __future__ import annotations

import pytest

from conftest import WORKBOOK, changed, locate
from make_draft import COPY, SEED, build, section_one

# (words of the seed around the number, the number as the seed writes it, the cell that holds it)
AGREEING = [
    ("地区生产总值增长5.5%", "5.5%", {"附件1!E3", "基础数据!E4"}),
    ("、达1505.02亿元", "1505.02亿元", {"基础数据!C4"}),
    ("规上工业增加值增速15.8%", "15.8%", {"附件1!E4"}),
    ("社会消费品零售总额同比增长5.7%", "5.7%", {"附件1!E6"}),
    ("一般公共预算收入完成23.4亿元", "23.4亿元", {"附件1!E7", "基础数据!C8"}),
    ("城镇居民人均可支配收入达到66598元", "66598元", {"基础数据!C10"}),
    ("企业投资亿元以上101个重大项目", "101个", {"附件1!E11"}),
    ("年内计划投资459.8亿元", "459.8亿元", {"基础数据!C11"}),
    ("年内累计完成投资482亿元", "482亿元", {"基础数据!C12"}),
    ("落地74个", "74个", {"附件1!E12"}),
    ("引入国内（区外）资金200亿元", "200亿元", {"附件1!E13"}),
    ("等 31 个钢铁精深加工", "31 个", {"附件1!E14"}),
    ("等 4 家金融机构", "4 家", {"附件1!E18"}),
    ("农畜产品加工转化率达到 81%", "81%", {"附件1!E19"}),
    ("国家高新技术企业 21家", "21家", {"附件1!E20"}),
    ("科技型中小企业 49 家", "49 家", {"附件1!E21"}),
    ("专精特新企业 14 户", "14 户", {"附件1!E22"}),
    ("完成 21 项科技成果转化", "21 项", {"附件1!E23"}),
    ("即办件比率 83.41%", "83.41%", {"附件1!E25"}),
    ("全程网办（IV 级）比率 99.86%", "99.86%", {"附件1!E27"}),
    ("铺设四类管网 472 公里", "472 公里", {"附件1!E29"}),
    ("提升到 90%", "90%", {"附件1!E32"}),
    ("打造 2 个垃圾分类示范点", "2 个", {"附件1!E33"}),
    ("完成 33 处农村牧区饮用", "33 处", {"附件1!E35"}),
    ("植被恢复1.24万亩", "1.24万亩", {"附件1!E36"}),
    ("城镇新增就业近万人", "近万人", {"附件1!E40"}),
    ("严格控制在4%以内", "4%以内", {"附件1!E9"}),
    ("普惠性幼儿园覆盖率达 96.2%", "96.2%", {"附件1!E46"}),
    ("托位3645个", "3645个", {"附件1!E43"}),
    ("托育机构合作覆盖率达到100%", "100%", {"附件1!E44"}),
    ("一次性化解率93.82%", "93.82%", {"附件1!E50"}),
]
# What the seed's prose says that its own appendix does not bear out (a bound, not a value):
# 附件1 第45项 集团化办学受益学生占比 完成 70%, the prose "超 70%"; 第22项 技术合同成交额 6亿元,
# the prose "突破 6 亿元".
SEED_OWN = {("集团化办学受益学生占比超 70%", "超 70%"): {"附件1!E47"},
            ("交易总额突破 6 亿元", "突破 6 亿元"): {"附件1!E24", "基础数据!C14"}}
# Changes to the seed: (old, new, the cell that must be flagged). Names close to the workbook's
# must be errors; the rest at least warnings.
EDITS = [
    ("地区生产总值增长5.5%", "地区生产总值增长5.9%", {"附件1!E3", "基础数据!E4"}, "error"),
    ("、达1505.02亿元", "、达1550.02亿元", {"基础数据!C4"}, "error"),
    ("规上工业增加值增速15.8%", "规上工业增加值增速18.5%", {"附件1!E4"}, "error"),
    ("城镇居民人均可支配收入达到66598元", "城镇居民人均可支配收入达到65998元", {"基础数据!C10"}, "error"),
    ("企业投资亿元以上101个重大项目", "企业投资亿元以上110个重大项目", {"附件1!E11"}, None),
    ("落地74个", "落地47个", {"附件1!E12"}, None),
    ("等 4 家金融机构", "等 5 家金融机构", {"附件1!E18"}, None),
    ("国家高新技术企业 21家", "国家高新技术企业 23家", {"附件1!E20"}, "error"),
    ("科技型中小企业 49 家", "科技型中小企业 94 家", {"附件1!E21"}, "error"),
    ("即办件比率 83.41%", "即办件比率 83.14%", {"附件1!E25"}, "error"),
    ("铺设四类管网 472 公里", "铺设四类管网 427 公里", {"附件1!E29"}, "error"),
    ("植被恢复1.24万亩", "植被恢复1.42万亩", {"附件1!E36"}, "error"),
    ("严格控制在4%以内", "严格控制在4.5%以内", {"附件1!E9"}, "error"),
    ("城镇新增就业近万人", "城镇新增就业近9000人", {"附件1!E40"}, "warning"),  # 9448 is not "near 9000"
    ("托位3645个", "托位3465个", {"附件1!E43"}, "error"),
    ("一次性化解率93.82%", "一次性化解率93.28%", {"附件1!E50"}, "error"),
]


def _claim_at(result, paragraphs, snippet, fragment):
    index, start, end = locate(paragraphs, snippet, fragment)
    hits = [c for c in result.claims if c.claim.paragraph == index and c.claim.start < end and c.claim.end > start]
    assert hits, f"no claim found for {fragment} in {snippet}"
    return hits[0]


def test_the_copy_of_section_one_is_the_seeds():
    if not SEED.is_file():
        pytest.skip("the seed is not beside the repository")
    assert section_one(SEED.read_text(encoding="utf-8")) == section_one(COPY.read_text(encoding="utf-8"))


def test_draft_joins_paragraphs_across_page_breaks(paragraphs):
    assert paragraphs[0] == "一、2025 年国民经济和社会发展规划执行情况"
    assert sum("全年新认定国家高新技术企业 21家，新增科技型中小企业 49 家" in p for p in paragraphs) == 1
    assert sum("成功激发了文化娱乐、旅游" in p for p in paragraphs) == 1
    assert sum("体育赛事活动 500余场" in p for p in paragraphs) == 1
    assert len(paragraphs) == 31  # 1 heading, 7 sub-headings, 23 body paragraphs


@pytest.mark.parametrize("snippet,fragment,cells", AGREEING, ids=[a[1] + "@" + sorted(a[2])[0] for a in AGREEING])
def test_seed_claims_match_their_cells_and_agree(seed_result, paragraphs, snippet, fragment, cells):
    claim = _claim_at(seed_result, paragraphs, snippet, fragment)
    assert claim.match is not None and claim.match.fact.cell in cells
    assert claim.verdict == "agrees"


def test_unchanged_seed_has_no_error_and_only_its_own_bounds(seed_result, paragraphs):
    assert not [f for f in seed_result.findings if f.severity == "error"]
    flagged = {(f.paragraph, f.cell) for f in seed_result.findings}
    expected = set()
    for (snippet, fragment), cells in SEED_OWN.items():
        claim = _claim_at(seed_result, paragraphs, snippet, fragment)
        assert claim.verdict == "bound"
        expected.add((claim.claim.paragraph, claim.match.fact.cell))
        assert claim.match.fact.cell in cells
    assert flagged == expected
    assert {f.code for f in seed_result.findings} == {"bound_not_held"}
    assert all(f.severity == "warning" for f in seed_result.findings)


def test_numbers_that_name_an_indicator_are_not_claims(seed_result, paragraphs):
    # 政府投资5000万元 is part of 附件1 第9项's name, 合格率100% of 第33项's.
    assert _claim_at(seed_result, paragraphs, "政府投资5000万元", "5000万元").verdict == "name"
    assert _claim_at(seed_result, paragraphs, "合格率 100%", "100%").verdict == "name"


def test_numbers_the_workbook_does_not_hold_are_not_findings(seed_result, paragraphs):
    for snippet, fragment in [("新签约区外投资项目85个", "85个"), ("凯翊科技等 3 家科技服务机构", "3 家"),
                              ("提供普惠托位1648个", "1648个"), ("新增托育机构56家", "56家"),
                              ("等55个项目竣工投产", "55个")]:
        claim = _claim_at(seed_result, paragraphs, snippet, fragment)
        assert claim.verdict == "unmatched", (fragment, claim.match)


def test_changed_numbers_are_flagged_exactly_with_their_cells(tmp_path, paragraphs):
    from addin.proofread import proofread

    edited = changed(paragraphs, [(old, new) for old, new, _, _ in EDITS])
    result = proofread(build(edited, tmp_path / "edited.docx"), WORKBOOK)
    expected = {}
    for old, new, cells, severity in EDITS:
        prefix = len(__import__("os").path.commonprefix([old, new]))
        index, start, end = locate(edited, new, new[prefix:])
        expected[index, start] = (cells, severity, new)
    own = {(locate(edited, s, f)[0], cell) for (s, f), cells in SEED_OWN.items() for cell in cells}
    seen = set()
    for f in result.findings:
        key = next((k for k in expected if k[0] == f.paragraph and f.start <= k[1] < f.end), None)
        if key is None:
            assert (f.paragraph, f.cell) in own, f"unexpected finding {f}"
            continue
        cells, severity, new = expected[key]
        assert f.cell in cells, (new, f.cell)
        if severity:
            assert f.severity == severity, (new, f.severity)
        seen.add(key)
    assert seen == set(expected), [expected[k][2] for k in set(expected) - seen]


def test_several_claims_in_one_sentence_are_judged_apart(tmp_path, paragraphs):
    from addin.proofread import proofread

    edited = changed(paragraphs, [("新增托育机构56家、托位3645个", "新增托育机构56家、托位3600个")])
    result = proofread(build(edited, tmp_path / "d.docx"), WORKBOOK)
    index, start, _ = locate(edited, "托位3600个", "3600个")
    mine = [f for f in result.findings if f.paragraph == index]
    assert [(f.cell, f.text) for f in mine] == [("附件1!E43", "3600个")]
    assert "3645个" in mine[0].message


def _proofread_text(tmp_path, texts):
    from addin.proofread import proofread

    return proofread(build(texts, tmp_path / "t.docx"), WORKBOOK)


def test_growth_sign_unit_and_statements(tmp_path):
    result = _proofread_text(tmp_path, [
        "2025年，地区生产总值下降5.5%。",  # 附件1!E3: growth 5.5%, not a fall
        "全年新认定国家高新技术企业21亿元。",  # 附件1!E20 counts 家: 亿元 does not convert
        "主要经济指标全面完成。",  # 地区生产总值 (附件1!E3) and 城镇常住居民人均可支配收入 (E8) are unmet
        "地区生产总值超额完成年度目标。",  # unmet
        "规上工业增加值超额完成年度目标。",  # met: 15.8% against 14%以上
    ])
    got = {(f.paragraph, f.code, f.cell) for f in result.findings}
    assert got == {(1, "growth_differs", "附件1!E3"), (2, "unit_mismatch", "附件1!E20"),
                   (3, "category_unmet", "附件1!E3"), (4, "overclaim", "附件1!E3")}
    category = next(f for f in result.findings if f.code == "category_unmet")
    assert "附件1!E8" in category.message


def test_approximations_hold_or_are_warnings(tmp_path):
    result = _proofread_text(tmp_path, [
        "实现城镇新增就业近万人。",  # 9448人
        "集团化办学受益学生占比超69%。",  # 70%
        "集团化办学受益学生占比超70%。",  # exactly 70%: the bound does not hold
        "开展各类文旅活动500余场。",  # the table says 500余场 too
        "即办件比率83.4%。",  # 83.41% at the precision the prose shows
    ])
    assert [(f.paragraph, f.severity, f.cell) for f in result.findings] == [(3, "warning", "附件1!E47")]
    assert [c.verdict for c in result.claims] == ["agrees", "agrees", "bound", "agrees", "agrees"]


def test_json_shape(seed_result):
    data = seed_result.to_json()
    assert set(data) >= {"findings", "claims"}
    assert all(set(f) >= {"code", "severity", "paragraph", "text", "cell", "message"} for f in data["findings"])
    for c in data["claims"]:
        assert set(c) == {"paragraph", "text", "value", "unit", "match", "verdict"}
        assert c["match"] is None or set(c["match"]) == {"cell", "name", "confidence"}
    tech = next(c for c in data["claims"] if c["text"] == "21家")
    assert tech["value"] == 21 and tech["unit"] == "家" and tech["match"]["cell"] == "附件1!E20"


def test_completion_rates_are_judged_against_the_computed_rate(tmp_path):
    # 附件1 第22项: 6亿元 of 3亿元 is 200%; the appendix itself says 136% (F24).
    result = _proofread_text(tmp_path, ["技术合同成交额完成率136%。", "新认定高新技术企业完成率210%。",
                                        "地区生产总值完成率68.75%。"])
    assert [(f.paragraph, f.code, f.cell) for f in result.findings] == [(1, "rate_differs", "附件1!F24")]
    assert "200%" in result.findings[0].message and "136%" in result.findings[0].message
    assert [c.verdict for c in result.claims] == ["differs", "agrees", "agrees"]


def test_plan_targets_after_a_target_lead_in(tmp_path):
    # 附件2: 地区生产总值 3%左右 (D3), 城镇登记失业率 4%以内 (D10); 2026 claims are not checked against 2025's 附件1.
    result = _proofread_text(tmp_path, ["二、2026 年国民经济和社会发展规划", "主要预期目标是：",
                                        "- 地区生产总值增长 3%左右；", "- 城镇登记失业率控制在 5%以内。"])
    assert [(f.cell, f.text) for f in result.findings] == [("附件2!D10", "控制在 5%以内")]
    assert result.claims[0].match.fact.cell == "附件2!D3" and result.claims[0].verdict == "agrees"
