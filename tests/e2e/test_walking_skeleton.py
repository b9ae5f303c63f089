"""End to end on the real broker and SQLite files: one unit from application to registry."""
from datetime import datetime

import pytest
import requests

from support import (CST, Parties, application, get, health, open_round, post, register_experts, scores, settled,
                     submit, wait_for)

pytestmark = [pytest.mark.e2e, pytest.mark.stores]


def test_one_unit_goes_from_application_to_registry_with_a_notification_for_each_step(stack):
    apps, review, registry, notify = (stack.url(s) for s in ("applications", "review", "registry", "notify"))
    who = Parties(stack)

    # given an expert in the pool, and an applicant's submission in an open round recommended by its city
    register_experts(stack, "E001")
    application_id = submit(stack, 1, open_round(stack))
    recommended = post(f"{apps}/applications/{application_id}/recommend", {}, headers=who.city)
    assert (recommended["status"], recommended["decided_by"]) == ("recommended", "510700")

    # then the review opens by itself with the eligibility report and an expert from the pool,
    # whose passing scores conclude it
    opened = wait_for("review opened", lambda: _json_if_ok(f"{review}/applications/{application_id}/review", who.operator))
    assert (opened["status"], opened["experts"], opened["eligibility"]["eligible"]) == ("open", ["E001"], True)
    scored = post(f"{review}/reviews/{opened['id']}/scores", scores(75), headers=who.expert)
    assert scored["status"] == "passed" and scored["mean_score"] == "75.00"
    assert "experts" not in scored and "scores" not in scored  # an expert sees no panel, no scores

    # when the province publishes the notice, it runs 10 working days on the service clock
    notice = post(f"{review}/notices", {"review_ids": [opened["id"]]}, expect=201, headers=who.operator)
    assert (notice["first_day"], notice["last_day"]) == ("2026-12-01", "2026-12-14")
    assert [e["application_id"] for e in notice["entries"]] == [application_id]
    early = requests.post(f"{review}/notices/{notice['id']}/close", json={}, headers=who.operator)
    assert early.status_code == 409, early.text

    # and closes by itself once the period has ended
    stack.clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=CST))
    wait_for("notice closed", lambda: get(f"{review}/notices/{notice['id']}")["status"] == "closed")

    # then the public registry lists the certified unit
    units = wait_for("unit certified", lambda: get(f"{registry}/units", application_id=application_id)["units"])
    unit = units[0]
    assert unit["unit_name"] == application(1)["unit_name"]
    assert unit["title"] == "四川省电子商务示范企业"
    assert unit["certificate_no"] == "SCDS-2026-00001"
    assert (unit["valid_from"], unit["rereview_due"]) == ("2026-12-15", "2028-12-15")
    assert [u["id"] for u in get(f"{registry}/units")["units"]] == [unit["id"]]

    # and notify recorded a notification for every step
    wait_for("everything settled", lambda: settled(stack))
    deliveries = get(f"{notify}/deliveries", headers=who.operator, application_id=application_id)["deliveries"]
    told = {d["event_type"].split(".")[2] for d in deliveries}
    assert told == {"application_submitted", "application_recommended", "review_opened", "review_scored",
                    "review_concluded", "review_listed", "notice_published", "notice_closed", "unit_certified"}


def test_bad_input_gets_400_naming_the_field_and_writes_nothing(stack):
    apps = stack.url("applications")
    headers = Parties(stack).applicant(2)
    good = application(2, round_id=open_round(stack))
    before = health(stack, "applications")["last_notification_id"]
    bad_bodies = {
        "malformed JSON": (b"{not json", "_body"),
        "unknown field": ({**good, "is_admin": True}, "is_admin"),
        "missing field": ({k: v for k, v in good.items() if k != "unit_name"}, "unit_name"),
        "wrong type": ({**good, "figures": {"service_revenue": "lots"}}, "figures"),
        "a float amount": ({**good, "figures": {"service_revenue": 3.5}}, "figures"),
        "negative amount": ({**good, "figures": {"service_revenue": -1}}, "figures"),
        "bad credit code": ({**good, "credit_code": "123"}, "credit_code"),
        "wrong check character": ({**good, "credit_code": good["credit_code"][:17] + "0"}, "credit_code"),
        "region outside Sichuan": ({**good, "region_code": "110105"}, "region_code"),
    }
    for label, (body, field) in bad_bodies.items():
        if isinstance(body, bytes):
            response = requests.post(f"{apps}/applications", data=body,
                                     headers={**headers, "Content-Type": "application/json"})
        else:
            response = requests.post(f"{apps}/applications", json=body, headers=headers)
        assert response.status_code == 400, (label, response.text)
        assert field in response.json()["fields"], (label, response.json())
    assert health(stack, "applications")["last_notification_id"] == before


def test_acting_in_the_wrong_state_gets_409_and_writes_nothing(stack):
    apps = stack.url("applications")
    who = Parties(stack)
    application_id = submit(stack, 3, open_round(stack))
    post(f"{apps}/applications/{application_id}/recommend", {}, headers=who.city)
    before = health(stack, "applications")["last_notification_id"]

    again = requests.post(f"{apps}/applications/{application_id}/recommend", json={}, headers=who.city)
    decline = requests.post(f"{apps}/applications/{application_id}/decline", json={"reason": "材料不全"},
                            headers=who.city)

    assert (again.status_code, decline.status_code) == (409, 409)
    assert "recommended" in again.json()["message"]
    assert health(stack, "applications")["last_notification_id"] == before
    assert requests.get(f"{apps}/applications/not-a-uuid", headers=who.operator).status_code == 404
    assert requests.get(f"{apps}/applications/00000000-0000-0000-0000-000000000000",
                        headers=who.operator).status_code == 404


def test_the_demo_walkthrough_certifies_then_revokes_one_unit_and_confirms_the_others(stack):
    from shared.demo import play, play_rereview

    outcome = play(stack, stack.clock, say=lambda line: None)
    assert outcome["unit"]["status"] == "certified"
    assert outcome["notice"]["status"] == "closed" and len(outcome["units"]) == 5

    later = play_rereview(stack, stack.clock, outcome, say=lambda line: None)

    assert later["verification"]["status"] == "revoked"
    assert sorted(s["status"] for s in later["states"]) == ["confirmed"] * 4 + ["revoked"]


def _json_if_ok(url, headers):
    response = requests.get(url, headers=headers, timeout=5)
    return response.json() if response.status_code == 200 else None
