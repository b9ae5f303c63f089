"""End to end on the real broker: Zhejiang's grading of e-commerce bases and enterprises (seed 001)
through all its stages — application, city recommendation, expert scores, notice, award with a
grade, the province's downgrade, and two years on the re-review that keeps, raises or lowers each
grade — with the share of bases at AAA or above against the 50% target at any date."""
from datetime import date

import pytest
import requests

from shared.demo_programs import (GRADING, ZHEJIANG_UNITS, at, play_zhejiang_grading, rereview_of,
                                  zhejiang_application)
from support import get, health, settled, wait_for

pytestmark = pytest.mark.e2e
SICHUAN = "sichuan-ecommerce-demo"
RURAL = "fujian-rural-ecommerce-counties"


def test_units_are_graded_at_the_award_regraded_by_the_province_and_by_the_rereview(stack):
    registry, review = stack.url("registry"), stack.url("review")
    operator = stack.headers("operator")

    # when five Zhejiang units are recommended, scored, noticed and awarded, and a base is downgraded
    outcome = play_zhejiang_grading(stack, stack.clock, date(2026, 12, 1), say=lambda line: None)

    # then each got the grade of the highest band its panel's score reached
    grades = {u["unit_name"]: u["grade"] for u in outcome["units"]}
    assert grades == {"杭州云栖电子商务产业园": "AAA", "杭州滨江跨境电商产业园": "AAA",
                      "宁波保税区电子商务产业基地": "AA", "宁波鄞州电商创业园": "A", "杭州标准云商科技有限公司": "AA"}
    # and the share of bases at AAA or above was exactly the 50% target, met
    base = outcome["share"]["unit_types"]["base"]
    assert (base["holders"], base["by_grade"]) == (4, {"AAA": 2, "AA": 1, "A": 1})
    assert (base["target"]["share_percent"], base["target"]["met"]) == ("50.00", True)
    # and after the province's downgrade, 1 of 4: 25%, not met — while the award day still answers 50%
    target = outcome["after"]["unit_types"]["base"]["target"]
    assert (target["at_or_above"], target["share_percent"], target["met"]) == (1, "25.00", False)
    awarded = outcome["awarded"]
    then = get(f"{registry}/programs/{GRADING}/grades", as_of=awarded.isoformat())["unit_types"]["base"]["target"]
    assert (then["at_or_above"], then["met"]) == (2, True)
    assert [(g["grade"], g["change"], g["basis"]) for g in outcome["downgraded"]["grades"]] == [
        ("AAA", "graded", "award"), ("AA", "downgraded", "province")]
    assert [u["unit_name"] for u in get(f"{registry}/units", program_id=GRADING, grade="AAA")["units"]] == [
        "杭州云栖电子商务产业园"]
    history = [e["type"] for e in get(f"{registry}/units/{outcome['downgraded']['id']}/history")]
    assert history == ["shifan.registry.unit_certified.v1", "shifan.registry.unit_graded.v1",
                       "shifan.registry.unit_graded.v1"]

    # and a grade that is unknown, unchanged, unexplained or set by anyone but the province is refused
    wait_for("settled", lambda: settled(stack))
    before = health(stack, "registry")["last_notification_id"]
    unit_id = outcome["downgraded"]["id"]
    refusals = [
        ({"grade": "AAAA", "reason": "理由"}, operator, 400, "grade"),
        ({"grade": "B", "reason": "理由"}, operator, 400, "grade"),
        ({"grade": "AA", "reason": "理由"}, operator, 409, None),      # it is AA already
        ({"grade": "A"}, operator, 400, "reason"),
        ({"grade": "A", "reason": "理由"}, stack.headers("applicant", outcome["units"][0]["credit_code"]), 403, None),
        ({"grade": "A", "reason": "理由"}, {}, 401, None),
    ]
    for body, headers, status, field in refusals:
        response = requests.post(f"{registry}/units/{unit_id}/grade", json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        if field:
            assert field in response.json()["fields"], response.text
    assert health(stack, "registry")["last_notification_id"] == before

    # when two years on the panels score the re-reviews, each grade is kept, raised or lowered
    rescored = {"杭州云栖电子商务产业园": 72, "杭州滨江跨境电商产业园": 80, "宁波保税区电子商务产业基地": 80,
                "宁波鄞州电商创业园": 88, "杭州标准云商科技有限公司": 78}
    units = {u["unit_name"]: u for u in outcome["units"]}
    stack.clock.set(at(date(awarded.year + 2, 3, 31)))
    for n, region, unit_type, name, _ in ZHEJIANG_UNITS:  # each files its yearly figures (periodic_report)
        sample = zhejiang_application(n, region, unit_type, name, outcome["round"]["id"])
        response = requests.post(f"{registry}/units/{units[name]['id']}/reports", json={
            "year": awarded.year + 1, "figures": sample["figures"], "declarations": sample["declarations"]},
            headers=stack.headers("applicant", units[name]["credit_code"]))
        assert response.status_code == 201, response.text
    stack.clock.set(at(awarded.replace(year=awarded.year + 2)))
    for name, score in rescored.items():
        rereview = wait_for(f"re-review of {name}", lambda u=units[name]: rereview_of(review, operator, u))
        response = requests.post(f"{review}/reviews/{rereview['id']}/scores", headers=stack.headers(
            "expert", rereview["experts"][0]), json={"scores": {i["id"]: score for i in rereview["scoring"]}})
        assert response.status_code == 200, response.text
    states = wait_for("re-graded", lambda: (s := {n: get(f"{registry}/units/{u['id']}") for n, u in units.items()})
                      and all(x["status"] == "confirmed" and len(x["grades"]) >= 2 for x in s.values()) and s)
    changes = {name: [(g["grade"], g["change"]) for g in state["grades"]] for name, state in states.items()}
    assert changes == {
        "杭州云栖电子商务产业园": [("AAA", "graded"), ("A", "downgraded")],
        "杭州滨江跨境电商产业园": [("AAA", "graded"), ("AA", "downgraded"), ("AA", "kept")],
        "宁波保税区电子商务产业基地": [("AA", "graded"), ("AA", "kept")],
        "宁波鄞州电商创业园": [("A", "graded"), ("AAA", "upgraded")],
        "杭州标准云商科技有限公司": [("AA", "graded"), ("AA", "kept")],
    }
    assert all(g["basis"] == "rereview" for state in states.values() for g in state["grades"][-1:])
    now = get(f"{registry}/programs/{GRADING}/grades")["unit_types"]["base"]
    assert (now["by_grade"], now["target"]["share_percent"]) == ({"AAA": 1, "AA": 2, "A": 1}, "25.00")

    # and no other program's registry, progress or grades count them
    wait_for("settled", lambda: settled(stack))
    assert get(f"{registry}/programs/{SICHUAN}/progress")["certified"] == 0
    assert get(f"{registry}/units", program_id=SICHUAN)["units"] == []
    assert get(f"{registry}/programs/{GRADING}/progress")["certified"] == 5
    assert requests.get(f"{registry}/programs/{RURAL}/grades").status_code == 404
    assert requests.get(f"{registry}/programs/{SICHUAN}/grades").status_code == 404

