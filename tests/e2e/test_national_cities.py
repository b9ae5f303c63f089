"""End to end on the real broker: the national e-commerce demonstration cities (seed 004, ADR 42)
through all their stages — proposal, revision rounds, formal acceptance, the five ministries' joint
approval with a send-back, a batch, certification, annual assessment and commendation — with the
refusals each stage owes, nothing written by any of them, and nothing shown under another program."""
from datetime import date

import pytest
import requests

from shared.demo_cities import CITIES_PROGRAM, OPINIONS, play_national_cities
from shared.demo_programs import at
from shared.samples import credit_code, government_code
from support import feed, get, health, settled, wait_for

pytestmark = pytest.mark.e2e
SICHUAN = "sichuan-ecommerce-demo"
RURAL = "fujian-rural-ecommerce-counties"


def _writes(stack) -> dict:
    return {s: health(stack, s)["last_notification_id"] for s in ("review", "registry")}


def test_city_plans_go_through_revision_and_joint_approval_to_the_registry_and_a_yearly_assessment(stack):
    review, registry = stack.url("review"), stack.url("registry")
    coordinator = stack.headers("coordinator")

    # when three cities' plans are revised, accepted, approved (one sent back first), batched, assessed
    outcome = play_national_cities(stack, stack.clock, date(2027, 3, 1), say=lambda line: None)
    plans, cities, approvers = outcome["plans"], outcome["cities"], outcome["approvers"]

    # then every opinion and every revised text is kept, in order
    shenzhen = get(f"{review}/plans/{plans['440300']['id']}", headers=coordinator)
    assert [r["opinion"] for r in shenzhen["rounds"]] == OPINIONS["440300"]
    assert [(r["round"], r["on_version"], r["version"]) for r in shenzhen["rounds"]] == [(1, 0, 1), (2, 1, 2)]
    assert [v["text"] for v in shenzhen["versions"]] == [
        "深圳市创建国家电子商务示范城市工作方案（初稿）", "深圳市创建国家电子商务示范城市工作方案（修改稿1）",
        "深圳市创建国家电子商务示范城市工作方案（修改稿2）"]
    assert shenzhen["status"] == "batched" and sorted(shenzhen["approvals"]) == sorted(approvers)

    # and the send-back returned Hangzhou's plan to revision; the approvals before it lapsed and
    # the revised, re-accepted text needed all five afresh
    hangzhou = get(f"{review}/plans/{plans['330100']['id']}", headers=coordinator)
    assert outcome["sent_back"]["status"] == "revising" and outcome["sent_back"]["approvals"] == {}
    assert [(r["kind"], r["by"]) for r in hangzhou["rounds"]] == [("opinion", "coordinator:coordinator"),
                                                                   ("sent_back", approvers[2])]
    assert [a["version"] for a in hangzhou["acceptances"]] == [1, 2]
    assert len(approvers) == 5 and sorted(hangzhou["approvals"]) == sorted(approvers)
    sent_back_events = [e for e in feed(stack, "review") if e["type"] == "shifan.review.plan_sent_back.v1"]
    assert [e["data"]["lapsed"] for e in sent_back_events] == [sorted(outcome["lapsed"])]
    assert "信息基础设施" not in str(sent_back_events)  # the reasons stay in the review store

    # and the batch's cities are in the registry under this program, with its title and numbers
    units = outcome["units"]
    assert sorted(u["unit_name"] for u in units) == ["成都市", "杭州市", "深圳市"]
    assert {u["title"] for u in units} == {"国家电子商务示范城市"}
    assert sorted(u["certificate_no"] for u in units) == [f"GJDSCS-2027-0000{i}" for i in (1, 2, 3)]
    assert {u["round_label"] for u in units} == {"第一批"}
    check = get(f"{registry}/verify/{units[0]['certificate_no']}")
    assert check["status"] == "valid" and check["rereview_due"] is None  # a city's title is assessed, not re-reviewed

    # and in no other program's registry or progress
    wait_for("settled", lambda: settled(stack))
    assert get(f"{registry}/programs/{CITIES_PROGRAM}/progress")["certified"] == 3
    for other in (SICHUAN, RURAL):
        assert get(f"{registry}/programs/{other}/progress")["certified"] == 0
        assert get(f"{registry}/units", program_id=other)["units"] == []
        assert get(f"{registry}/programs/{other}/assessments")["assessments"] == []
    assert get(f"{registry}/units", q="深圳市", program_id=SICHUAN)["units"] == []

    # and the year's assessments are recorded once per city; only a commendable result is commended
    year = outcome["year"]
    by_region = {u["region_code"]: u for u in units}
    assessed = get(f"{registry}/programs/{CITIES_PROGRAM}/assessments", year=year)["assessments"]
    assert sorted((a["unit_name"], a["result"]) for a in assessed) == [
        ("成都市", "excellent"), ("杭州市", "passed"), ("深圳市", "excellent")]
    assert [c["unit_name"] for c in get(f"{registry}/programs/{CITIES_PROGRAM}/commendations")["commendations"]] == [
        "深圳市"]
    before = _writes(stack)
    refusals = [
        ("a second assessment of the year", "440300", "assessments", {"year": year, "result": "passed"}, 409),
        ("a result the file does not list", "330100", "assessments", {"year": year + 1, "result": "good"}, 400),
        ("a year not yet over", "330100", "assessments", {"year": year + 1, "result": "passed"}, 400),
        ("a year before the title", "330100", "assessments", {"year": year - 1, "result": "passed"}, 400),
        ("commending a passed result", "330100", "commendations", {"year": year, "citation": "x"}, 409),
        ("commending twice", "440300", "commendations", {"year": year, "citation": "再次嘉奖"}, 409),
        ("commending a year not assessed", "510100", "commendations", {"year": year - 1, "citation": "x"}, 409),
        ("a float year", "510100", "assessments", {"year": 2027.0, "result": "passed"}, 400),
    ]
    for label, region, what, body, status in refusals:
        response = requests.post(f"{registry}/units/{by_region[region]['id']}/{what}", json=body, headers=coordinator)
        assert response.status_code == status, (label, response.text)
    assert requests.post(f"{registry}/units/{by_region['510100']['id']}/assessments", json={
        "year": year, "result": "excellent"}, headers=stack.headers("operator")).status_code == 403
    assert _writes(stack) == before

    # when Chengdu, excellent too, is commended, and assessed the next year
    stack.clock.set(at(date(year + 2, 1, 15)))
    assert requests.post(f"{registry}/units/{by_region['510100']['id']}/commendations", headers=coordinator,
                         json={"year": year, "citation": "电子商务应用深化成效明显"}).status_code == 201
    assert requests.post(f"{registry}/units/{by_region['510100']['id']}/assessments", headers=coordinator,
                         json={"year": year + 1, "result": "passed"}).status_code == 201

    # then the city's assessments read per year, and the program's per year
    assert [(a["year"], a["result"], a["commended_on"] is not None) for a in get(
        f"{registry}/units/{by_region['510100']['id']}/assessments")["assessments"]] == [
        (year, "excellent", True), (year + 1, "passed", False)]
    assert [a["unit_name"] for a in get(f"{registry}/programs/{CITIES_PROGRAM}/assessments",
                                        year=year + 1)["assessments"]] == ["成都市"]

    # and notify told the city government of its title and its commendation, over the broker
    def delivered():
        found = [d for d in get(f"{stack.url('notify')}/deliveries", headers=stack.headers("operator"),
                                recipient=f"applicant:{cities['440300']['code']}")["deliveries"]
                 if d["event_type"] in ("shifan.registry.unit_certified.v1", "shifan.registry.unit_commended.v1")]
        return found if len(found) >= 2 else None

    told = wait_for("certification and commendation delivered", delivered)
    assert sorted(d["event_type"] for d in told) == ["shifan.registry.unit_certified.v1",
                                                     "shifan.registry.unit_commended.v1"]

    # and each party read the plan's turns in its own inbox: Hangzhou its opinion and the
    # send-back, the coordination group the proposals and revisions, each ministry the acceptances
    def inbox(headers, wanted):
        found = [d["event_type"] for d in get(f"{stack.url('notify')}/deliveries", headers=headers)["deliveries"]
                 if d["event_type"] in wanted]
        return found if set(found) == set(wanted) else None

    hangzhou = wait_for("the city's inbox", lambda: inbox(cities["330100"]["headers"], (
        "shifan.review.plan_opinion_given.v1", "shifan.review.plan_accepted.v1", "shifan.review.plan_sent_back.v1",
        "shifan.review.plan_approved.v1")))
    assert hangzhou.count("shifan.review.plan_accepted.v1") == 2  # accepted, sent back, accepted again
    assert hangzhou.count("shifan.review.plan_approved.v1") == 1  # told once: when all had approved
    group = wait_for("the group's inbox", lambda: inbox(coordinator, (
        "shifan.review.plan_proposed.v1", "shifan.review.plan_revised.v1", "shifan.review.plan_sent_back.v1",
        "shifan.review.plan_approved.v1")))
    assert group.count("shifan.review.plan_proposed.v1") == 3
    for key in approvers:
        assert wait_for(f"{key}'s inbox", lambda k=key: inbox(stack.headers("ministry", k), (
            "shifan.review.plan_accepted.v1",))).count("shifan.review.plan_accepted.v1") == 4  # 3 plans, 1 twice


def test_each_stage_refuses_out_of_turn_or_out_of_scope_and_writes_nothing(stack):
    review = stack.url("review")
    coordinator = stack.headers("coordinator")
    stack.clock.set(at(date(2027, 3, 1)))
    guangzhou = stack.headers("applicant", government_code("440100", 1))
    ministry = {key: stack.headers("ministry", key) for key in ("ndrc", "mofcom", "miit", "pbc", "sat")}
    body = {"program_id": CITIES_PROGRAM, "city_name": "广州市", "region_code": "440100", "text": "广州市创建方案"}

    # a company is no city government, a bad field is named, a program without the stage is refused
    assert requests.post(f"{review}/plans", json=body, headers=stack.headers(
        "applicant", credit_code("440100", 1))).status_code == 403
    for field, value in (("region_code", "4401"), ("text", ""), ("city_name", None), ("program_id", SICHUAN)):
        response = requests.post(f"{review}/plans", json={**body, field: value}, headers=guangzhou)
        assert response.status_code == 400 and field in response.json()["fields"], (field, response.text)
    plan = requests.post(f"{review}/plans", json=body, headers=guangzhou)
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    assert requests.post(f"{review}/plans", json=body, headers=guangzhou).status_code == 409  # one per city

    before = _writes(stack)
    # approving before acceptance, revising without an opinion, another city's plan, a stranger ministry
    assert requests.post(f"{review}/plans/{plan_id}/approvals", json={}, headers=ministry["ndrc"]).status_code == 409
    assert requests.post(f"{review}/plans/{plan_id}/revisions", json={"text": "修改稿"},
                         headers=guangzhou).status_code == 409
    assert requests.post(f"{review}/plans/{plan_id}/revisions", json={"text": "修改稿"}, headers=stack.headers(
        "applicant", government_code("440300", 1))).status_code == 404
    assert requests.get(f"{review}/plans/{plan_id}", headers=stack.headers(
        "applicant", government_code("440300", 1))).status_code == 404
    assert requests.post(f"{review}/plans/{plan_id}/approvals", json={}, headers=stack.headers(
        "ministry", "cac")).status_code == 403
    assert requests.post(f"{review}/plans/{plan_id}/opinions", json={"opinion": "意见"},
                         headers=stack.headers("operator")).status_code == 403
    assert requests.post(f"{review}/plans/{plan_id}/opinions", json={"opinion": "意见", "by": "x"},
                         headers=coordinator).status_code == 400
    assert _writes(stack) == before

    # when accepted and approved by one ministry, the batch refuses it and the ministry approves once
    assert requests.post(f"{review}/plans/{plan_id}/acceptance", json={"opinion": "同意受理"},
                         headers=coordinator).status_code == 200
    assert requests.post(f"{review}/plans/{plan_id}/approvals", json={}, headers=ministry["ndrc"]).status_code == 200
    before = _writes(stack)
    assert requests.post(f"{review}/plans/{plan_id}/approvals", json={}, headers=ministry["ndrc"]).status_code == 409
    batch = {"program_id": CITIES_PROGRAM, "label": "第一批", "plan_ids": [plan_id]}
    assert requests.post(f"{review}/batches", json=batch, headers=coordinator).status_code == 409
    unknown = requests.post(f"{review}/batches", json={**batch, "plan_ids": ["00000000-0000-0000-0000-000000000000"]},
                            headers=coordinator)
    assert unknown.status_code == 400 and "plan_ids" in unknown.json()["fields"]
    assert requests.post(f"{review}/plans/{plan_id}/send-back", json={"reasons": []},
                         headers=ministry["sat"]).status_code == 400
    assert _writes(stack) == before

    # when all five have approved, nobody sends it back; then a batch takes it, once
    for key in ("mofcom", "miit", "pbc", "sat"):
        assert requests.post(f"{review}/plans/{plan_id}/approvals", json={}, headers=ministry[key]).status_code == 200
    before = _writes(stack)
    assert requests.post(f"{review}/plans/{plan_id}/send-back", json={"reasons": ["改变主意"]},
                         headers=ministry["ndrc"]).status_code == 409
    assert _writes(stack) == before
    created = requests.post(f"{review}/batches", json=batch, headers=coordinator)
    assert created.status_code == 201, created.text
    assert requests.post(f"{review}/batches", json={**batch, "label": "第二批"}, headers=coordinator).status_code == 409
    assert get(f"{review}/batches/{created.json()['id']}")["cities"][0]["city_name"] == "广州市"
    unit = wait_for("Guangzhou certified", lambda: get(f"{stack.url('registry')}/units",
                                                       program_id=CITIES_PROGRAM)["units"])[0]
    assert unit["unit_name"] == "广州市" and unit["credit_code"] == government_code("440100", 1)


# -- the two new roles on the new endpoints (the access matrix covers the seven older roles)
NEW_ROLES = {"coordinator": None, "ministry": "ndrc"}
CELLS = {  # (service, method, path) -> (coordinator, ministry) with the probe body; 400 = authorised
    ("review", "POST", "/plans"): (403, 403),
    ("review", "GET", "/plans"): (200, 200),
    ("review", "GET", "/plans/{plan}"): (200, 200),
    ("review", "POST", "/plans/{plan}/opinions"): (400, 403),
    ("review", "POST", "/plans/{plan}/revisions"): (403, 403),
    ("review", "POST", "/plans/{plan}/acceptance"): (400, 403),
    ("review", "POST", "/plans/{plan}/approvals"): (403, 400),
    ("review", "POST", "/plans/{plan}/send-back"): (403, 400),
    ("review", "POST", "/batches"): (400, 403),
    ("review", "GET", "/batches/{batch}"): (404, 404),
    ("registry", "POST", "/units/{unit}/assessments"): (400, 403),
    ("registry", "GET", "/units/{unit}/assessments"): (200, 200),
    ("registry", "POST", "/units/{unit}/commendations"): (400, 403),
    ("registry", "GET", f"/programs/{CITIES_PROGRAM}/assessments"): (200, 200),
    ("registry", "GET", f"/programs/{CITIES_PROGRAM}/commendations"): (200, 200),
    ("review", "POST", "/notices"): (403, 403),
    ("applications", "POST", "/rounds"): (403, 403),
    ("registry", "POST", "/units/{unit}/revoke"): (403, 403),
}


def test_the_coordinator_and_the_ministries_reach_only_their_own_endpoints(stack):
    outcome = play_national_cities(stack, stack.clock, date(2027, 3, 1), say=lambda line: None)
    ids = {"plan": outcome["plans"]["440300"]["id"], "batch": "00000000-0000-0000-0000-000000000000",
           "unit": outcome["units"][0]["id"]}
    wait_for("settled", lambda: settled(stack))
    before = {s: health(stack, s)["last_notification_id"] for s in ("applications", "review", "registry")}
    mismatches = []
    for (service, method, path), expected in CELLS.items():
        for (role, scope), status in zip(NEW_ROLES.items(), expected):
            url = stack.url(service) + path.format(**ids)
            response = requests.request(method, url, headers=stack.headers(role, scope), timeout=10,
                                        json={"matrix_probe": True} if method == "POST" else None)
            if response.status_code != status:
                mismatches.append(f"{method} {service}{path} as {role}: {response.status_code}, expected {status}")
    assert mismatches == []
    assert {s: health(stack, s)["last_notification_id"] for s in before} == before
