"""The registry end to end, on the real broker and SQLite files: units certified by the real path,
their certificates checked offline and online, a revocation seen today and in the past, search in
either script, reports, the re-review timer publishing its request once, and a rebuild of the read
model equal to the live one."""
import io
import json
import time
from datetime import datetime

import pytest
import requests
from kombu import Connection, Queue

from services.registry.cli import certificate_verify, rebuild
from shared.messaging.relay import events_exchange
from support import (CST, Parties, application, get, open_round, post, register_experts, scores, settled, submit,
                     wait_for)

pytestmark = [pytest.mark.e2e, pytest.mark.stores]

MIANYANG = (1, "510703", "绵阳云链电子商务有限公司")
CHENGDU = (2, "510104", "成都蜀锦电子商务有限公司")


def certify(stack, units) -> dict:
    """Drives each (n, region, name) from application to registry as the parties would: submitted,
    recommended by its city, scored by the pool's expert, on a notice that closes on 2026-12-15."""
    apps, review, registry = stack.url("applications"), stack.url("review"), stack.url("registry")
    who = Parties(stack)
    register_experts(stack, "E001")
    round_id = open_round(stack)
    reviews = {}
    for n, region, name in units:
        application_id = submit(stack, n, round_id, region, name=name)
        post(f"{apps}/applications/{application_id}/recommend", {}, headers=stack.headers("recommender", region[:4] + "00"))
        opened = wait_for("review opened", lambda: _json(f"{review}/applications/{application_id}/review", who.operator))
        post(f"{review}/reviews/{opened['id']}/scores", scores(80), headers=who.expert)
        reviews[n] = (application_id, opened["id"])
    post(f"{review}/notices", {"review_ids": [r for _, r in reviews.values()]}, expect=201, headers=who.operator)
    stack.clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=CST))
    found = {}
    for n, (application_id, _) in reviews.items():
        found[n] = wait_for("unit certified", lambda: get(f"{registry}/units", application_id=application_id)["units"])[0]
    return found


def test_a_certified_unit_revoked_by_the_province_leaves_todays_registry_but_not_its_past(stack, tmp_path, store,
                                                                                          monkeypatch):
    registry = stack.url("registry")
    who = Parties(stack)
    units = certify(stack, [MIANYANG, CHENGDU])
    mianyang, chengdu = units[1], units[2]

    # the certificate checks offline against the registry's public key
    (tmp_path / "key.json").write_text(json.dumps(get(f"{registry}/certificate-key")))
    certificate = requests.get(f"{registry}/units/{mianyang['id']}/certificate", timeout=10).content
    (tmp_path / "certificate.json").write_bytes(certificate)
    (tmp_path / "altered.json").write_bytes(certificate.replace("云链".encode(), "云連".encode()))
    out = io.StringIO()
    assert certificate_verify(str(tmp_path / "certificate.json"), str(tmp_path / "key.json"), out) == 0
    assert certificate_verify(str(tmp_path / "altered.json"), str(tmp_path / "key.json"), out) == 1
    assert json.loads(certificate)["certificate"]["certificate_no"] == mianyang["certificate_no"]
    assert get(f"{registry}/verify/{mianyang['certificate_no']}")["status"] == "valid"

    # search: traditional characters find simplified names
    assert [u["unit_name"] for u in get(f"{registry}/units", q="電子商務")["units"]] == [MIANYANG[2], CHENGDU[2]]
    assert [u["unit_name"] for u in get(f"{registry}/units", q="雲鏈")["units"]] == [MIANYANG[2]]
    assert [u["unit_name"] for u in get(f"{registry}/units", city="510100")["units"]] == [CHENGDU[2]]

    # when the province revokes Mianyang's title on 2 March 2027
    stack.clock.set(datetime(2027, 3, 2, 10, 0, tzinfo=CST))
    revoked = post(f"{registry}/units/{mianyang['id']}/revoke",
                   {"reason_code": "violation", "evidence_ref": "绵市监罚〔2027〕17号", "note": "虚假宣传，经市场监管部门查处"},
                   headers=who.operator)
    assert (revoked["status"], revoked["ended_on"]) == ("revoked", "2027-03-02")

    # then today's registry lacks it, the registry of 1 March has it, and its certificate says so
    assert [u["unit_name"] for u in get(f"{registry}/units")["units"]] == [CHENGDU[2]]
    assert [u["unit_name"] for u in get(f"{registry}/units", as_of="2027-03-01")["units"]] == [MIANYANG[2], CHENGDU[2]]
    assert get(f"{registry}/units/{mianyang['id']}", as_of="2027-03-01")["status"] == "certified"
    verified = get(f"{registry}/verify/{mianyang['certificate_no']}")
    assert (verified["status"], verified["ended_on"]) == ("revoked", "2027-03-02")
    assert [(t["on"], t["event"]) for t in verified["timeline"]] == [("2026-12-15", "certified"), ("2027-03-02", "revoked")]
    assert get(f"{registry}/verify/{mianyang['certificate_no']}", as_of="2027-03-01")["status"] == "valid"
    assert "虚假宣传" not in json.dumps(verified, ensure_ascii=False)
    assert "notes" not in get(f"{registry}/units/{mianyang['id']}")
    assert get(f"{registry}/units/{mianyang['id']}", headers=who.operator)["notes"][0]["text"] == "虚假宣传，经市场监管部门查处"
    assert certificate_verify(str(tmp_path / "certificate.json"), str(tmp_path / "key.json"), out) == 0  # still genuine
    progress = get(f"{registry}/programs/sichuan-ecommerce-demo/progress")["unit_types"]["enterprise"]
    assert progress == {"target": 50, "certified": 1}

    # and the revoked unit can neither report nor give up; Chengdu reports, checked like an application
    mianyang_applicant, chengdu_applicant = who.applicant(1, "510703"), who.applicant(2, "510104")
    figures = dict(application(2, "510104")["figures"])
    declarations = application(2, "510104")["declarations"]
    report = {"year": 2026, "figures": figures, "declarations": declarations}
    assert requests.post(f"{registry}/units/{mianyang['id']}/give-up", json={"reason": "x"},
                         headers=mianyang_applicant).status_code == 409
    assert requests.post(f"{registry}/units/{chengdu['id']}/reports", json=report,
                         headers=mianyang_applicant).status_code == 404
    bad = requests.post(f"{registry}/units/{chengdu['id']}/reports", headers=chengdu_applicant,
                        json={**report, "figures": {**figures, "service_revenue": 1.5}})
    assert bad.status_code == 400 and "service_revenue" in bad.json()["fields"]["figures"]
    assert post(f"{registry}/units/{chengdu['id']}/reports", report, expect=201, headers=chengdu_applicant)["year"] == 2026
    assert get(f"{registry}/units/{chengdu['id']}")["reports"] == [{"year": 2026, "submitted_on": "2027-03-02"}]

    # and the read model rebuilt from the event store equals the live one
    wait_for("everything settled", lambda: settled(stack))
    for name, value in store.items():  # the CLI reads the store's settings from the environment
        monkeypatch.setenv(name, value)
    assert rebuild(str(stack.var_dir), out, check=True) == 0, out.getvalue()


def test_the_timer_asks_once_for_the_rereview_of_a_unit_due_two_years_on(stack, amqp_uri):
    registry = stack.url("registry")
    unit = certify(stack, [MIANYANG])[1]
    assert unit["rereview_due"] == "2028-12-15"

    with Connection(amqp_uri) as connection:
        queue = Queue(exclusive=True, exchange=events_exchange("registry"),
                      routing_key="shifan.registry.rereview_requested.v1")(connection.default_channel)
        queue.declare()

        stack.clock.set(datetime(2028, 12, 14, 9, 0, tzinfo=CST))
        wait_for("a timer round", lambda: settled(stack))
        assert queue.get(no_ack=True) is None

        stack.clock.set(datetime(2028, 12, 15, 9, 0, tzinfo=CST))
        message = wait_for("rereview_requested published", lambda: queue.get(no_ack=True), timeout=30)
        envelope = json.loads(message.body)
        stack.clock.set(datetime(2028, 12, 16, 9, 0, tzinfo=CST))
        time.sleep(2.5)  # the timer runs every second: rounds in which it must not ask again
        again = queue.get(no_ack=True)

    assert envelope["type"] == "shifan.registry.rereview_requested.v1" and envelope["subject"] == unit["id"]
    assert (envelope["data"]["due_on"], envelope["data"]["certificate_no"]) == ("2028-12-15", unit["certificate_no"])
    assert envelope["data"]["report"] is None
    assert again is None
    assert _history(registry, unit["id"]).count("rereview_requested") == 1
    assert get(f"{registry}/units/{unit['id']}")["status"] == "under_rereview"
    assert get(f"{registry}/verify/{unit['certificate_no']}")["status"] == "valid"


def _history(registry, unit_id) -> list[str]:
    return [h["type"].split(".")[2] for h in get(f"{registry}/units/{unit_id}/history")]


def _json(url, headers):
    response = requests.get(url, headers=headers, timeout=5)
    return response.json() if response.status_code == 200 else None
