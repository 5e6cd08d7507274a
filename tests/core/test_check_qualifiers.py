"""Every qualifier, through a real workbook: target and actual typed into cells, checked end to end."""
import pytest
from openpyxl import Workbook

from addin.app.pipeline import check_workbook
from addin.common.settings import Settings

# name, target, actual, expected rate, status, direction
CASES = [
    ("地区生产总值", "8%左右", "5.5%", 68.75, "unmet", "higher"),
    ("规模以上工业增加值", "14%以上", "15.8%", 112.86, "met", "higher"),
    ("粮食产量", "1.3万亿斤以上", "1.35万亿斤", 103.85, "met", "higher"),
    ("城镇新增就业", "1100万人以上", "1256万人", 114.18, "met", "higher"),
    ("城镇新增就业人数", "1200万人左右", "1180万人", 98.33, "met", "higher"),
    ("地区生产总值增速", "5.5%左右", "5.3%", 96.36, "met", "higher"),
    ("城镇调查失业率", "控制在5.5%以内", "5.2%", 100.0, "met", "lower"),
    ("城镇登记失业率", "4%以内", "4.4%", 90.91, "unmet", "lower"),
    ("居民消费价格", "涨幅3%左右", "0.2%", 100.0, "met", "lower"),
    ("单位GDP能耗", "降低2.5%左右", "下降3.8%", 152.0, "met", "lower"),
    ("单位GDP能耗降低", "降低2.5%左右", "增长1%", None, "unmet", "lower"),
    ("森林火灾受害率", "0.9%以下", "0.9%以内", 100.0, "met", "lower"),
    ("草原火灾受害率", "不超过2‰", "全年不超过2‰", 100.0, "met", "lower"),
    ("草原火灾受害率2", "不超过2‰", "0.15%", 100.0, "met", "lower"),
    ("各类文旅活动", "500余场", "500余场", 100.0, "met", "higher"),
    ("城乡居民医疗保险参保覆盖率", "95%以上", "95%以上", 100.0, "met", "higher"),
    ("技术合同成交额", "3亿元", "6亿元", 200.0, "met", "higher"),
    ("技术合同成交额（万元）", "3亿元", "6000万元", 20.0, "unmet", "higher"),
    ("招商引资落地项目", "不少于40个", "74个", 185.0, "met", "higher"),
    ("研发经费投入增长", "增长7%以上", "6.3%", 90.0, "unmet", "higher"),
    ("社会消费品零售总额", "5%—6%", "5.5%", 100.0, "met", "band"),
    ("社会消费品零售总额2", "5-6%", "4.5%", 90.0, "unmet", "band"),
    ("林南平房区改造项目", "建成交付", "建成交付", 100.0, "met", "qualitative"),
    ("节能减排", "完成包头市下达的目标", "未完成", 0.0, "unmet", "qualitative"),
    ("固定资产投资", "18%以上", "252.78亿元", None, "not_computable", "higher"),
    ("新增托位数", "3593个", "3645", 101.45, "met", "higher"),
    ("即办件比率", "８０％", "８３.４１％", 104.26, "met", "higher"),
    ("新增就业", "近万人", "9600人", 96.0, "met", "higher"),
    ("新增就业2", "近万人", "9448人", 94.48, "unmet", "higher"),
    # The brief's other qualifiers, each through a cell (parse-only tests do not prove the evaluator uses them).
    ("研发投入强度", "不低于2.5%", "2.6%", 104.0, "met", "higher"),
    ("进出口总额", "超50亿元", "55亿元", 110.0, "met", "higher"),
    ("地方财政收入", "突破25亿元", "24亿元", 96.0, "unmet", "higher"),
    ("森林覆盖率", "达到20%", "21%", 105.0, "met", "higher"),
    ("城镇新增就业3", "约5000人", "4800人", 96.0, "met", "higher"),
    ("居民消费价格指数", "上涨3%左右", "2.1%", 100.0, "met", "lower"),
    ("农村牧区居民人均可支配收入", "提高6%以上", "6.6%", 110.0, "met", "higher"),
    ("单位GDP二氧化碳排放", "下降3%左右", "下降2%", 66.67, "unmet", "lower"),
    ("单位GDP能耗2", "下降3%", "下降3.3%", 110.0, "met", "lower"),
    ("安全生产事故死亡人数", "不超过10人", "12人", 83.33, "unmet", "lower"),
    ("PM2.5平均浓度", "控制在35微克/立方米以内", "33微克/立方米", 100.0, "met", "lower"),
]


def _write(path, rows, extra=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "执行情况"
    ws.append(["序号", "指标", "目标", "完成情况"])
    for i, (name, target, actual, *_rest) in enumerate(rows, start=1):
        ws.append([i, name, target, actual])
    for row in extra:
        ws.append(list(row))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = _write(tmp_path_factory.mktemp("q") / "qualifiers.xlsx", CASES)
    return {i.name: i for i in check_workbook(path).indicators}


@pytest.mark.parametrize("name, target, actual, rate, status, direction", CASES, ids=[c[0] for c in CASES])
def test_qualifier(results, name, target, actual, rate, status, direction):
    got = results[name]
    assert (got.computed_rate, got.status, got.direction) == (rate, status, direction)


def test_relative_conventions(tmp_path):
    rows = [("地区生产总值", "8%左右", "5.5%"), ("城镇常住居民人均可支配收入", "与经济增长同步", "3%")]
    path = _write(tmp_path / "rel.xlsx", rows)
    by_target = check_workbook(path).indicators[1]
    assert (by_target.computed_rate, by_target.status) == (37.5, "unmet")
    by_actual = check_workbook(path, Settings(relative_convention="actual")).indicators[1]
    assert (by_actual.computed_rate, by_actual.status) == (54.55, "unmet")


def test_about_tolerance_is_a_setting(tmp_path):
    path = _write(tmp_path / "tol.xlsx", [("地区生产总值", "8%左右", "7.7%")])
    assert check_workbook(path).indicators[0].status == "met"  # 7.7 >= 8 × 0.95
    strict = Settings(about_tolerance=__import__("decimal").Decimal(0))
    assert check_workbook(path, strict).indicators[0].status == "unmet"


def test_half_up_rounding(tmp_path):
    # 1.0005 × 100 = 100.05 exactly, 100.125 -> 100.13 (banker's rounding would give 100.12)
    path = _write(tmp_path / "round.xlsx", [("甲", "800个", "801个"), ("乙", "8", "8.0001")])
    got = {i.name: i.computed_rate for i in check_workbook(path).indicators}
    assert got["甲"] == 100.13  # 801/800 = 1.00125
    assert got["乙"] == 100.0


def test_config_file_beside_the_workbook(tmp_path):
    path = _write(tmp_path / "cfg.xlsx", [("地区生产总值", "8%左右", "5.5%"), ("收入", "与经济增长同步", "3%")])
    (tmp_path / "planreport.toml").write_text('relative_convention = "actual"\n', encoding="utf-8")
    assert check_workbook(path).indicators[1].computed_rate == 54.55


def test_bad_cells_are_findings_not_exceptions(tmp_path):
    rows = [("地区生产总值", "8%左有", "5.5%"), ("工业", "14%以上", "很好"), ("投资", "5%以上", "6%"), ("投资", "5%以上", "6%"),
            ("户数", "20户", "21个")]
    result = check_workbook(_write(tmp_path / "bad.xlsx", rows))
    codes = {(f.code, f.cell) for f in result.findings}
    assert ("unparsed_target", "执行情况!C2") in codes
    assert ("unparsed_actual", "执行情况!D3") in codes
    assert ("duplicate_indicator", "执行情况!B5") in codes
    assert ("unit_mismatch", "执行情况!D6") in codes
    message = next(f.message for f in result.findings if f.code == "unparsed_target")
    assert message == '无法识别的目标 "8%左有"'
    assert result.indicators[2].status == "met"  # the other rows still computed
    assert result.has_errors


def test_not_yet_filled_is_info(tmp_path):
    result = check_workbook(_write(tmp_path / "empty.xlsx", [("地区生产总值", "3%左右", None)]))
    assert result.indicators[0].status == "not_computable"
    assert [(f.code, f.severity) for f in result.findings] == [("actual_empty", "info")]
    assert not result.has_errors
