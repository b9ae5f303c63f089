"""Quotas per recommending authority (四、(二)) and who recommends whom."""
from __future__ import annotations

import pytest

from shared.programs import load_program


@pytest.fixture(scope="module")
def program():
    return load_program("sichuan-ecommerce-demo")


def test_a_city_other_than_chengdu_may_recommend_two_enterprises_one_base_one_county(program):
    assert [program.quota_for("510700", t) for t in ("enterprise", "base", "rural_county")] == [2, 1, 1]


def test_chengdu_is_exempt_from_every_quota(program):
    assert [program.quota_for("510100", t) for t in ("enterprise", "base", "rural_county")] == [None, None, None]


def test_provincial_level_enterprises_go_to_the_province_and_count_against_no_quota(program):
    assert program.provincial_recommender == "510000"
    assert program.quotas.provincial_unit_types == ("enterprise",)
    assert program.quota_for("510000", "enterprise") is None


def test_a_pilot_county_has_the_quota_of_a_city_and_one_within_chengdu_is_exempt(program):
    assert program.quota_for("510681", "enterprise") == 2  # 广汉市, a county-level city of Deyang
    assert program.quota_for("510185", "base") is None     # 简阳市, within Chengdu


def test_thresholds_follow_the_city_chengdu_or_the_other_cities(program):
    assert (program.city_of("510104"), program.threshold_city("510104")) == ("510100", "510100")
    assert (program.city_of("510703"), program.threshold_city("510703")) == ("510700", "other")
    assert program.city_name("other") == "市州" and program.city_name("510100") == "成都市"
