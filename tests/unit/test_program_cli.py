"""`shifan eligibility check` and `shifan program show`: exit codes and what they print."""
from __future__ import annotations

import io
import json

import pytest
from programs_data import sample, sample_path

from shared.programs import load_program
from shared.programs.cli import eligibility_check, program_show


def run_check(path) -> tuple[int, str]:
    out = io.StringIO()
    code = eligibility_check(str(path), out=out)
    return code, out.getvalue()


def write(tmp_path, data) -> str:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_eligible_application_exits_0_and_names_every_criterion():
    code, text = run_check(sample_path("b2b_mianyang"))
    assert code == 0
    program = load_program("sichuan-ecommerce-demo")
    for criterion in program.criteria_for("enterprise", "b2b_platform"):
        assert f"✓ {criterion.id}" in text
    assert "市州平台企业电子商务相关服务年收入300万元以上或电子商务交易额3亿元以上" in text
    assert "threshold: ≥ 200万元 (2,000,000元)   actual: 300万元 (3,000,000元)" in text
    assert text.rstrip().endswith("ELIGIBLE: all 20 criteria met")


def test_an_ineligible_application_exits_1_and_marks_the_failed_criterion(tmp_path):
    path = write(tmp_path, sample("b2b_mianyang", region_code="510104"))
    code, text = run_check(path)
    assert code == 1
    assert "✗ scale [成都市]  成都平台企业相关服务年收入500万元以上或电子商务交易额5亿元以上" in text
    assert "✗ 1. 电子商务相关服务年收入 [service_revenue] ≥ 500万元 (5,000,000元): actual 350万元" in text
    assert "NOT ELIGIBLE: 1 of 20 criteria not met: scale" in text


def test_a_base_report_shows_the_floor_area_and_growth(tmp_path):
    path = write(tmp_path, sample("base_mianyang", office_floor_area_m2=10_000))
    code, text = run_check(path)
    assert code == 1
    assert "✗ office_floor_area  基地用于电子商务相关产业的总体办公面积应大于1万平方米" in text
    assert "threshold: > 10000 m²   actual: 10000 m²" in text
    assert "growth 2024: 15%, 2025: 13.04%" in text


def test_decimals_in_the_json_stay_exact(tmp_path):
    path = tmp_path / "application.json"
    text = json.dumps(sample("base_mianyang"), ensure_ascii=False).replace('"office_floor_area_m2": 15000',
                                                                          '"office_floor_area_m2": 10000.01')
    path.write_text(text, encoding="utf-8")
    code, out = run_check(path)
    assert code == 0 and "actual: 10000.01 m²" in out


def test_an_invalid_application_exits_2_with_the_field_errors(tmp_path):
    path = write(tmp_path, sample("b2b_mianyang", service_revenue=-1, registered_enterprises="many"))
    code, text = run_check(path)
    assert code == 2
    assert "figures.service_revenue: must not be negative (got -1)" in text
    assert "figures.registered_enterprises: must be a whole number (an integer)" in text


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_an_unreadable_file_exits_2(tmp_path, content):
    path = tmp_path / "application.json"
    path.write_text(content, encoding="utf-8")
    assert run_check(path)[0] == 2


def test_a_missing_file_exits_2(tmp_path):
    code, text = run_check(tmp_path / "absent.json")
    assert code == 2 and "cannot read" in text


def test_an_unknown_program_exits_2(tmp_path):
    code, text = run_check(write(tmp_path, {**sample("b2b_mianyang"), "program_id": "zhejiang-grading"}))
    assert code == 2 and "no program 'zhejiang-grading'" in text


def test_program_show_prints_the_rules_with_thresholds_per_city():
    out = io.StringIO()
    assert program_show("sichuan-ecommerce-demo", out=out) == 0
    text = out.getvalue()
    program = load_program("sichuan-ecommerce-demo")
    assert f"version {program.version}" in text
    assert "成都市 (510100): 成都平台企业相关服务年收入500万元以上或电子商务交易额5亿元以上" in text
    assert "市州 (other): 市州平台企业电子商务相关服务年收入300万元以上或电子商务交易额3亿元以上" in text
    assert "基地用于电子商务相关产业的总体办公面积（平方米） [office_floor_area_m2] > 10000 m²" in text
    assert "enterprise 2, base 1, rural_county 1" in text and "exempt: 510100 成都市" in text
    assert "enterprise 50, base 20, rural_county 15" in text
    assert "1 expert(s) per application · pass mark 60" in text
    assert "public notice 10 working days · re-review every 2 years" in text


def test_every_shipped_program_shows_and_the_national_cities_show_their_approvers():
    from shared.programs import PROGRAMS_DIR

    for path in sorted(PROGRAMS_DIR.glob("*.yaml")):  # the programs without quotas or titles too
        assert program_show(path.stem, out=io.StringIO()) == 0, path.name
    out = io.StringIO()
    program_show("national-ecommerce-demo-cities", out=out)
    assert "stages: plan_revision -> joint_approval -> award -> annual_assessment" in out.getvalue()
    assert "  mofcom     商务部" in out.getvalue() and "commendable: excellent" in out.getvalue()


def test_program_show_of_an_unknown_program_exits_2():
    out = io.StringIO()
    assert program_show("nowhere", out=out) == 2 and "no program 'nowhere'" in out.getvalue()
