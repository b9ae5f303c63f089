"""The Sichuan standards (seed 002, 附件1-3) applied to applications: thresholds, variants, series."""
from __future__ import annotations

import json

import pytest
from programs_data import sample

from shared.programs import ApplicationInvalid, load_program

MIANYANG, CHENGDU = "510703", "510104"


@pytest.fixture(scope="module")
def program():
    return load_program("sichuan-ecommerce-demo")


def test_b2b_platform_with_350_wan_revenue_meets_the_scale_in_mianyang_but_not_in_chengdu(program):
    # given the same figures: 350万 service revenue, 1.2亿 transaction volume
    in_mianyang = sample("b2b_mianyang", service_revenue=3_500_000, transaction_volume=120_000_000)
    in_chengdu = sample("b2b_mianyang", region_code=CHENGDU, service_revenue=3_500_000,
                        transaction_volume=120_000_000)
    # when both are evaluated
    mianyang, chengdu = program.evaluate(in_mianyang), program.evaluate(in_chengdu)
    # then Mianyang uses the 市州 thresholds (300万 / 3亿) and passes through revenue ...
    scale = mianyang.criterion("scale")
    assert (scale.passed, scale.variant, scale.passed_branches) == (True, "other", [0])
    assert [b.threshold for b in scale.branches] == [3_000_000, 300_000_000]
    assert "市州" in scale.rule and mianyang.eligible
    # ... and Chengdu uses 500万 / 5亿 and fails both branches
    scale = chengdu.criterion("scale")
    assert (scale.passed, scale.variant, scale.variant_name, scale.passed_branches) == (False, "510100", "成都市", [])
    assert [b.threshold for b in scale.branches] == [5_000_000, 500_000_000]
    assert [b.actual for b in scale.branches] == [3_500_000, 120_000_000]
    assert not chengdu.eligible and [c.id for c in chengdu.failed] == ["scale"]


def test_b2b_platform_in_chengdu_qualifies_through_transaction_volume_alone(program):
    report = program.evaluate(sample("b2b_mianyang", region_code=CHENGDU, service_revenue=0,
                                     transaction_volume=500_000_000))
    assert report.criterion("scale").passed_branches == [1] and report.eligible


def test_traditional_enterprise_qualifies_through_the_30_percent_share_alone(program):
    # given online sales of 900万, under the 1000万 for 市州, but exactly 30% of 3000万 total sales
    application = sample("traditional_mianyang", online_sales=9_000_000, total_sales=30_000_000)
    report = program.evaluate(application)
    online = report.criterion("online_sales")
    assert online.passed and online.passed_branches == [1]
    assert [b.passed for b in online.branches] == [False, True]
    share = online.branches[1]
    assert share.threshold == 30 and share.actual["share_percent"] == 30
    assert report.eligible


def test_traditional_enterprise_below_both_the_amount_and_the_share_fails(program):
    report = program.evaluate(sample("traditional_mianyang", online_sales=8_999_999, total_sales=30_000_000))
    assert not report.criterion("online_sales").passed and not report.eligible


def test_traditional_enterprise_in_chengdu_needs_3000_wan(program):
    report = program.evaluate(sample("traditional_mianyang", region_code=CHENGDU,
                                     online_sales=29_999_999, total_sales=200_000_000))
    online = report.criterion("online_sales")
    assert not online.passed and online.branches[0].threshold == 30_000_000


@pytest.mark.parametrize("area, passes", [(10_000, False), (10_001, True), ("10000.5", True), ("10000.0", False)])
def test_base_floor_area_must_be_strictly_more_than_10000_square_metres(program, area, passes):
    report = program.evaluate(sample("base_mianyang", office_floor_area_m2=area))
    floor = report.criterion("office_floor_area")
    assert floor.passed is passes and floor.threshold == 10_000 and report.eligible is passes


@pytest.mark.parametrize("capital, passes", [(2_000_000, True), (1_999_999, False)])
def test_registered_capital_of_exactly_200_wan_passes_because_yishang_is_inclusive(program, capital, passes):
    report = program.evaluate(sample("b2b_mianyang", registered_capital=capital))
    assert report.criterion("registered_capital").passed is passes
    assert report.criterion("registered_capital").threshold == 2_000_000


def test_traditional_enterprise_needs_300_wan_capital(program):
    report = program.evaluate(sample("traditional_mianyang", registered_capital=2_999_999))
    assert not report.criterion("registered_capital").passed
    assert report.criterion("registered_capital").threshold == 3_000_000


def _volume(report):
    return report.criterion("transaction_volume")


def test_base_growth_of_exactly_ten_percent_passes(program):
    volumes = {"2023": 200_000_000, "2024": 220_000_000, "2025": 242_000_000}
    result = _volume(program.evaluate(sample("base_mianyang", transaction_volume_by_year=volumes)))
    assert result.passed and result.passed_branches == [0, 1]
    assert result.branches[1].actual["growth_percent"] == {2024: 10, 2025: 10}


def test_base_growth_of_9_99_percent_fails(program):
    volumes = {"2023": 200_000_000, "2024": 219_980_000}  # +9.99%
    result = _volume(program.evaluate(sample("base_mianyang", transaction_volume_by_year=volumes)))
    assert not result.passed and result.passed_branches == [0]
    assert str(result.branches[1].actual["growth_percent"][2024]) == "9.99"
    assert "2024" in result.branches[1].detail


def test_base_with_one_year_below_2_yi_fails_even_when_growing(program):
    volumes = {"2023": 150_000_000, "2024": 199_999_999, "2025": 260_000_000}
    result = _volume(program.evaluate(sample("base_mianyang", transaction_volume_by_year=volumes)))
    assert not result.passed and [b.passed for b in result.branches] == [False, True]
    assert "2023" in result.branches[0].detail and "2024" in result.branches[0].detail


def test_base_growth_after_a_year_of_zero_fails(program):
    # a zero year has no growth rate; it also breaks the 2亿 floor, so only the growth branch is asked
    volumes = {"2023": 0, "2024": 300_000_000}
    result = _volume(program.evaluate(sample("base_mianyang", transaction_volume_by_year=volumes)))
    assert result.branches[1].passed is False and result.branches[1].actual["growth_percent"] == {2024: None}


@pytest.mark.parametrize("counts, passes", [({"2024": 40, "2025": 41}, True), ({"2024": 40, "2025": 40}, False),
                                            ({"2023": 40, "2024": 50, "2025": 45}, False)])
def test_resident_enterprises_must_rise_every_year(program, counts, passes):
    report = program.evaluate(sample("base_mianyang", resident_enterprises_by_year=counts))
    assert report.criterion("resident_enterprises").passed is passes


def test_county_service_coverage_of_30_percent_passes_and_just_under_fails(program):
    exactly = program.evaluate(sample("county_hanyuan", rural_population=300_000, rural_population_covered=90_000))
    under = program.evaluate(sample("county_hanyuan", rural_population=300_000, rural_population_covered=89_999))
    assert exactly.criterion("service_coverage").passed and not under.criterion("service_coverage").passed


def test_county_application_rate_must_rise_each_year(program):
    flat = program.evaluate(sample("county_hanyuan", ecommerce_application_rate_by_year={"2024": "15", "2025": "15.0"}))
    rising = program.evaluate(sample("county_hanyuan", ecommerce_application_rate_by_year={"2024": "15", "2025": "15.1"}))
    assert not flat.criterion("application_rate").passed and rising.criterion("application_rate").passed


def test_a_declaration_made_false_fails_its_criterion(program):
    report = program.evaluate(sample("b2c_chengdu", declarations={"online_payment": False}))
    assert [c.id for c in report.failed] == ["online_payment"] and not report.eligible
    assert report.criterion("online_payment").rule == "平台具备在线支付功能"


def test_b2c_sales_thresholds_differ_for_chengdu_and_other_cities(program):
    chengdu = program.evaluate(sample("b2c_chengdu", platform_sales=9_999_999))
    mianyang = program.evaluate(sample("b2c_chengdu", region_code=MIANYANG, platform_sales=5_000_000))
    assert not chengdu.criterion("platform_sales").passed and chengdu.criterion("platform_sales").threshold == 10_000_000
    assert mianyang.criterion("platform_sales").passed and mianyang.criterion("platform_sales").threshold == 5_000_000


def test_every_kind_of_unit_is_judged_on_its_own_standard(program):
    ids = {name: [c.id for c in program.evaluate(sample(name)).criteria]
           for name in ("b2b_mianyang", "b2c_chengdu", "service_chengdu", "traditional_mianyang",
                        "base_mianyang", "county_hanyuan")}
    assert ids["b2b_mianyang"][-3:] == ["registered_capital", "scale", "registered_enterprises"]
    assert ids["b2c_chengdu"][-3:] == ["registered_capital", "platform_sales", "online_payment"]
    assert ids["service_chengdu"][-2:] == ["registered_capital", "scale"]
    assert ids["traditional_mianyang"][-3:] == ["registered_capital", "online_sales", "electronic_ordering_payment"]
    assert {"office_floor_area", "transaction_volume", "resident_enterprises", "management_body",
            "public_services"} <= set(ids["base_mianyang"])
    assert {"service_coverage", "application_rate", "information_platform"} <= set(ids["county_hanyuan"])
    assert len(ids["b2b_mianyang"]) == 17 + 3  # 附件1 items 1-8 as 17 declarations, then item 9


def test_the_report_as_dict_is_json_with_decimals_as_strings(program):
    report = program.evaluate(sample("county_hanyuan"))
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    rate = next(c for c in data["criteria"] if c["id"] == "application_rate")
    assert rate["actual"] == {"2023": "12.5", "2024": "15", "2025": "18.2"}
    assert data["eligible"] is True and data["program_version"] == program.version
    coverage = next(c for c in data["criteria"] if c["id"] == "service_coverage")
    assert coverage["threshold"] == 30 and coverage["actual"]["share_percent"] == "31.66"


def test_evaluating_an_invalid_application_raises_with_the_field_errors(program):
    with pytest.raises(ApplicationInvalid) as caught:
        program.evaluate(sample("b2b_mianyang", service_revenue=-1))
    assert caught.value.errors == {"figures": {"service_revenue": ["must not be negative (got -1)"]}}
