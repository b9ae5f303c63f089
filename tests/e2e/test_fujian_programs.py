"""End to end on the real broker: Fujian's standard-drafting grants (seed 000) and its two-level
rural demonstration counties with their subsidies (seed 003), each through all its stages; and
neither program's events show in another's registry, grants or progress."""
from datetime import date, datetime

import pytest
import requests

from shared.demo_programs import RURAL, STANDARDS, at, play_fujian_rural, play_fujian_standards, rereview_of
from shared.samples import credit_code
from support import CST, get, health, settled, wait_for

pytestmark = pytest.mark.e2e
SICHUAN = "sichuan-ecommerce-demo"


def test_standard_drafters_are_paid_once_per_standard_within_their_levels_cap_and_the_budget(stack):
    registry, operator = stack.url("registry"), stack.headers("operator")

    # when two standards go from drafting / approval to published and their drafters are paid
    outcome = play_fujian_standards(stack, stack.clock, date(2026, 12, 1), say=lambda line: None)

    # then each standard's history runs forward, and the platform finds them in either script
    national = get(f"{registry}/standards/{outcome['national']['id']}")
    assert [h["status"] for h in national["history"]] == ["drafting", "approval", "published"]
    assert {s["code"] for s in get(f"{registry}/standards", q="電子商務")["standards"]} == {
        "GB/T 40000-2021", "DB35/T 1701-2017"}
    assert [s["code"] for s in get(f"{registry}/standards", level="local")["standards"]] == ["DB35/T 1701-2017"]
    assert get(f"{registry}/standards", status="drafting")["standards"] == []

    # and the grants are exact, once per unit and standard, listed against the year's budget
    assert [g["amount"] for g in outcome["paid"]] == [300_000, 250_000, 100_000]
    assert outcome["again"].status_code == 409
    assert (outcome["ledger"]["budget"], outcome["ledger"]["paid"], outcome["ledger"]["remaining"]) == (
        2_000_000, 650_000, 1_350_000)
    before = health(stack, "registry")["last_notification_id"]
    drafter = outcome["drafters"][1]
    body = {"scheme": "standard_drafting", "credit_code": drafter["credit_code"], "unit_name": drafter["unit_name"],
            "region_code": "350102", "year": 2026}
    refusals = {
        "over the local cap": ({**body, "standard_id": outcome["local"]["id"], "amount": 100_001}, 409),  # not a drafter
        "over the national cap": ({**body, "credit_code": credit_code("350102", 3), "unit_name": "某公司",
                                   "standard_id": outcome["national"]["id"], "amount": 1}, 409),
        "a float": ({**body, "standard_id": outcome["national"]["id"], "amount": 1000.5}, 400),
        "outside Fujian": ({**body, "region_code": "510104", "standard_id": outcome["national"]["id"],
                            "amount": 1}, 400),
        "no standard": ({**body, "amount": 1}, 400),
    }
    for label, (refused, status) in refusals.items():
        response = requests.post(f"{registry}/programs/{STANDARDS}/grants", json=refused, headers=operator)
        assert response.status_code == status, (label, response.text)
    new = requests.post(f"{registry}/standards", headers=operator, json={
        "program_id": STANDARDS, "code": "DB35/T 1800-2019", "title": "跨境电子商务通关服务规范", "level": "local",
        "drafters": [drafter]})
    assert new.status_code == 201
    early = requests.post(f"{registry}/programs/{STANDARDS}/grants", headers=operator,
                          json={**body, "standard_id": new.json()["id"], "amount": 100_000})
    skipped = requests.post(f"{registry}/standards/{new.json()['id']}/status", headers=operator,
                            json={"status": "published"})
    assert (early.status_code, skipped.status_code) == (409, 409)  # not yet published; no skipping a step
    over_cap = requests.post(f"{registry}/programs/{STANDARDS}/grants", headers=operator, json={
        **body, "credit_code": outcome["drafters"][0]["credit_code"], "standard_id": outcome["national"]["id"],
        "amount": 300_001, "year": 2027})
    assert over_cap.status_code in (400, 409), over_cap.text  # paid already, and over the cap
    assert health(stack, "registry")["last_notification_id"] == before + 1  # only the new standard was written

    # and notify told the paid unit, over the broker
    first = outcome["drafters"][0]["credit_code"]
    told = wait_for("grant delivered", lambda: [
        d for d in get(f"{stack.url('notify')}/deliveries", headers=operator, recipient=f"applicant:{first}")["deliveries"]
        if d["event_type"] == "shifan.registry.grant_paid.v1"])
    assert len(told) == 2 and any("300000 元" in d["text"] for d in told)

    # and another program's grants and registry know nothing of it
    assert get(f"{registry}/programs/{RURAL}/grants", year=2026)["grants"] == []
    assert requests.get(f"{registry}/programs/{SICHUAN}/grants", params={"year": 2026}).status_code == 404
    assert get(f"{registry}/units", program_id=STANDARDS)["units"] == []


def test_two_level_rural_counties_go_from_application_to_registry_subsidies_and_re_review(stack):
    registry, review, apps = stack.url("registry"), stack.url("review"), stack.url("applications")
    operator = stack.headers("operator")

    # when Fuzhou's two counties are recommended, reviewed, noticed and certified, then subsidised
    outcome = play_fujian_rural(stack, stack.clock, date(2026, 12, 1), say=lambda line: None)

    # then each level carries its own title, under the program's certificate numbers
    by_level = {u["subtype"]: u for u in outcome["units"]}
    assert by_level["national"]["title"] == "国家级电子商务进农村综合示范县（福建省）"
    assert by_level["provincial"]["title"] == "福建省农村电子商务示范县"
    assert sorted(u["certificate_no"] for u in outcome["units"]) == ["FJNC-2026-00001", "FJNC-2026-00002"]
    assert [u["unit_name"] for u in get(f"{registry}/units", program_id=RURAL, subtype="national")["units"]] == [
        "闽侯县人民政府"]

    # and the subsidies are computed with their caps
    assert [(g["scheme"], g["amount"]) for g in outcome["paid"]] == [
        ("incubation_new", 1_000_000), ("incubation_renovated", 175_025), ("training_base", 800_000),
        ("data_centre_rent", 300_000)]
    assert outcome["ledger"]["paid"] == 2_275_025 and outcome["ledger"]["remaining"] == 5_000_000 - 2_275_025
    county, year = outcome["county"], outcome["year"]
    body = {"credit_code": county["credit_code"], "unit_name": county["unit_name"], "region_code": county["region_code"],
            "unit_id": county["id"], "year": year}
    again = requests.post(f"{registry}/programs/{RURAL}/grants", headers=operator,
                          json={**body, "scheme": "data_centre_rent", "cost": 10})
    next_year = requests.post(f"{registry}/programs/{RURAL}/grants", headers=operator,
                              json={**body, "year": year + 1, "scheme": "data_centre_rent", "cost": 999_999})
    training_again = requests.post(f"{registry}/programs/{RURAL}/grants", headers=operator,
                                   json={**body, "year": year + 1, "scheme": "training_base", "amount": 500_000})
    other = {k: v for k, v in body.items() if k != "unit_id"}
    outside = requests.post(f"{registry}/programs/{RURAL}/grants", headers=operator,
                            json={**other, "scheme": "training_base", "amount": 1_000_001,
                                  "credit_code": credit_code("350121", 9)})
    assert (again.status_code, next_year.status_code, training_again.status_code) == (409, 201, 409)
    assert next_year.json()["amount"] == 299_999  # 30% of 999,999 is 299,999.7: the fraction is not paid
    assert outside.status_code == 400 and "amount" in outside.json()["fields"]

    # and no other program's registry or progress counts them
    wait_for("settled", lambda: settled(stack))
    assert get(f"{registry}/programs/{SICHUAN}/progress")["certified"] == 0
    assert get(f"{registry}/programs/{RURAL}/progress")["certified"] == 2
    assert get(f"{registry}/units", program_id=SICHUAN)["units"] == []
    assert get(f"{apps}/programs/{SICHUAN}/progress")["unit_types"]["rural_county"]["by_status"] == {}
    assert get(f"{registry}/programs/{STANDARDS}/grants", year=year)["grants"] == []

    # when two years on the counties report and are re-reviewed, they are confirmed
    stack.clock.set(at(date(2028, 3, 31)))
    for unit in outcome["units"]:
        from shared.demo_programs import county_application
        sample = county_application(1, unit["region_code"], unit["subtype"], unit["unit_name"], "x")
        response = requests.post(f"{registry}/units/{unit['id']}/reports", headers=stack.headers(
            "applicant", unit["credit_code"]), json={"year": 2027, "figures": sample["figures"],
                                                     "declarations": sample["declarations"]})
        assert response.status_code == 201, response.text
    stack.clock.set(datetime(2028, 12, 16, 9, tzinfo=CST))
    for unit in outcome["units"]:
        rereview = wait_for("re-review opened", lambda u=unit: rereview_of(review, operator, u))
        scores = {item["id"]: 80 for item in rereview["scoring"]}
        response = requests.post(f"{review}/reviews/{rereview['id']}/scores", json={"scores": scores},
                                 headers=stack.headers("expert", rereview["experts"][0]))
        assert response.status_code == 200, response.text
    states = wait_for("confirmed", lambda: (s := [get(f"{registry}/units/{u['id']}") for u in outcome["units"]])
                      and all(x["status"] == "confirmed" for x in s) and s)
    assert {s["rereview_due"] for s in states} == {"2030-12-16"}

