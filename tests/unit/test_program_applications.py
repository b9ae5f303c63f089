"""Program.validate_application: what an application must carry, reported field by field."""
from __future__ import annotations

from decimal import Decimal

import pytest
from programs_data import sample

from shared.programs import load_program


@pytest.fixture(scope="module")
def program():
    return load_program("sichuan-ecommerce-demo")


def test_the_samples_are_valid(program):
    for name in ("b2b_mianyang", "b2c_chengdu", "service_chengdu", "traditional_mianyang", "base_mianyang",
                 "county_hanyuan"):
        assert program.validate_application(sample(name)) == {}, name


def test_missing_figures_are_reported_by_field(program):
    application = sample("b2b_mianyang")
    del application["figures"]["service_revenue"], application["figures"]["registered_enterprises"]
    assert program.validate_application(application) == {"figures": {
        "service_revenue": ["missing: 电子商务相关服务年收入 (money_yuan)"],
        "registered_enterprises": ["missing: 已在平台注册的企业数 (count)"]}}


def test_wrong_kinds_are_reported_by_field(program):
    application = sample("b2b_mianyang", service_revenue="lots", registered_capital=Decimal("3000000.5"),
                         registered_enterprises=True)
    errors = program.validate_application(application)["figures"]
    assert errors == {"service_revenue": ["must be a whole number of yuan (an integer)"],
                      "registered_capital": ["must be a whole number of yuan (an integer)"],
                      "registered_enterprises": ["must be a whole number (an integer)"]}


def test_negative_amounts_are_reported_by_field(program):
    errors = program.validate_application(sample("b2b_mianyang", transaction_volume=-5))
    assert errors == {"figures": {"transaction_volume": ["must not be negative (got -5)"]}}


def test_floats_are_refused_and_decimal_strings_accepted(program):
    assert program.validate_application(sample("base_mianyang", office_floor_area_m2="10000.5")) == {}
    errors = program.validate_application(sample("base_mianyang", office_floor_area_m2=10000.5))
    assert errors == {"figures": {"office_floor_area_m2": ['write decimals as a string, e.g. "10000.5" '
                                                           "(floats are not exact)"]}}


def test_a_series_needs_enough_consecutive_years_of_valid_values(program):
    short = program.validate_application(sample("base_mianyang", transaction_volume_by_year={"2025": 300_000_000}))
    assert short == {"figures": {"transaction_volume_by_year": ["needs at least 2 years, got 1"]}}
    gap = program.validate_application(sample("base_mianyang", resident_enterprises_by_year={"2023": 1, "2025": 3}))
    assert gap == {"figures": {"resident_enterprises_by_year": ["years must be consecutive, got 2023, 2025"]}}
    bad = program.validate_application(sample("county_hanyuan", ecommerce_application_rate_by_year={
        "2024": "12", "2025": "101", "last": "1"}))
    assert bad == {"figures": {"ecommerce_application_rate_by_year": [
        "2025: a percent is at most 100 (got 101); 'last' is not a year"]}}


def test_figures_not_asked_of_the_unit_are_refused(program):
    errors = program.validate_application(sample("b2c_chengdu", online_sales=1))
    assert errors == {"figures": {"online_sales": ["not a figure of a b2c_platform application"]}}


def test_declarations_must_all_be_made_true_or_false(program):
    application = sample("base_mianyang", declarations={"management_body": "yes"})
    del application["declarations"]["public_services"]
    assert program.validate_application(application) == {"declarations": {
        "management_body": ["must be true or false"], "public_services": ["Missing data for required field."]}}


def test_unit_type_and_subtype_must_be_known(program):
    assert program.validate_application({**sample("b2b_mianyang"), "unit_type": "shop"}) == {
        "unit_type": ["must be one of: enterprise, base, rural_county"]}
    assert program.validate_application({**sample("b2b_mianyang"), "subtype": "c2c_platform"}) == {
        "subtype": ["the subtypes of enterprise are: b2b_platform, b2c_platform, service_enterprise, "
                    "traditional_enterprise"]}
    assert program.validate_application({**sample("b2b_mianyang"), "subtype": None}) == {
        "subtype": ["Missing data for required field."]}
    assert program.validate_application({**sample("base_mianyang"), "subtype": "b2b_platform"}) == {
        "subtype": ["a base has no subtypes: leave it out or null"]}


def test_the_region_must_be_in_sichuan(program):
    assert program.validate_application(sample("b2b_mianyang", region_code="330102")) == {
        "region_code": ["must be a region of 四川省 (51xxxx)"]}
    assert program.validate_application(sample("b2b_mianyang", region_code="5107")) == {
        "region_code": ["must be a 6-digit administrative division code"]}


def test_only_enterprises_apply_at_provincial_level(program):
    application = {**sample("base_mianyang"), "provincial_level": True}
    assert program.validate_application(application) == {
        "provincial_level": ["only these unit types apply at provincial level: enterprise"]}


def test_required_fields_list_the_common_and_the_subtypes_figures(program):
    names = [(f.name, f.kind) for f in program.required_fields("enterprise", "traditional_enterprise")]
    assert names == [("registered_capital", "money_yuan"), ("online_sales", "money_yuan"),
                     ("total_sales", "money_yuan")]
    base = {f.name: (f.kind, f.min_years) for f in program.required_fields("base", None)}
    assert base == {"office_floor_area_m2": ("area_m2", None), "transaction_volume_by_year": ("money_series", 2),
                    "resident_enterprises_by_year": ("count_series", 2)}


def test_something_that_is_not_an_object_is_invalid(program):
    assert program.validate_application(["enterprise"]) == {"_schema": ["an application is a JSON object"]}
