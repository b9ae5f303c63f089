"""End to end: a unit certified and then revoked by the province on the real stack, whose services
sign tree heads of their logs by themselves; then `shifan audit replay` and `shifan audit verify`
on the stack's SQLite files, as an auditor with the stack's public keys would run them, and the
same replay and the services' proofs over HTTP."""
import io
import json
import math
import sqlite3
import time
from datetime import datetime

import pytest
import requests

from shared.audit import cli, merkle
from shared.audit.endpoints import AuditEndpoints, ReplayEndpoint
from shared.audit.leaves import sqlite_rows
from shared.audit.plain import TREE_HEAD_TOPIC
from shared.audit.signing import signature_problem
from shared.certificates import load_public_key
from shared.runner import service_class
from support import (CST, Parties, get, new_stack, open_round, post, register_experts, scores, settled, submit,
                     wait_for)

pytestmark = pytest.mark.e2e
SERVICES = ("applications", "review", "registry", "notify")
needs_http_wiring = pytest.mark.skipif(
    not (all(issubclass(service_class(s), AuditEndpoints) for s in SERVICES)
         and issubclass(service_class("registry"), ReplayEndpoint)),
    reason="the audit endpoints are not wired yet: EventSourcedService needs the AuditEndpoints base, "
           "RegistryService the ReplayEndpoint base")


@pytest.fixture
def audited_stack(tmp_path, amqp_uri):
    """The four services, signing a tree head whenever their log has grown for half a second."""
    stack, clock = new_stack(tmp_path, amqp_uri)
    stack.clock = clock
    stack.extra_env["SHIFAN_AUDIT_INTERVAL_SECONDS"] = "0.5"
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def certify_then_revoke(stack) -> dict:
    """One unit from application to registry (certified 2026-12-15), revoked on 2027-02-01 (before
    its first yearly report is due, so no reminder comes later)."""
    apps, review, registry = (stack.url(s) for s in ("applications", "review", "registry"))
    who = Parties(stack)
    register_experts(stack, "E001")
    application_id = submit(stack, 1, open_round(stack))
    post(f"{apps}/applications/{application_id}/recommend", {}, headers=who.city)
    opened = wait_for("review opened", lambda: _ok(f"{review}/applications/{application_id}/review", who.operator))
    post(f"{review}/reviews/{opened['id']}/scores", scores(75), headers=who.expert)
    notice = post(f"{review}/notices", {"review_ids": [opened["id"]]}, expect=201, headers=who.operator)
    stack.clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=CST))
    wait_for("notice closed", lambda: get(f"{review}/notices/{notice['id']}")["status"] == "closed")
    unit = wait_for("unit certified", lambda: get(f"{registry}/units", application_id=application_id)["units"])[0]
    stack.clock.set(datetime(2027, 2, 1, 9, 0, tzinfo=CST))
    post(f"{registry}/units/{unit['id']}/revoke", {"reason_code": "violation", "evidence_ref": "川市监罚〔2027〕12号",
                                                  "note": "虚假宣传"}, headers=who.operator)
    wait_for("everything settled, covered by signed tree heads and quiet", lambda: _quiet(stack))
    return {"application_id": application_id, "unit_id": unit["id"], "certificate_no": unit["certificate_no"]}


def _quiet(stack) -> bool:
    """Settled, every log covered by a signed tree head, and still so after notify's reminder timer
    (1 s on the service clock) has had a turn: what it sends is part of the story, not of a replay."""
    if not (settled(stack) and all(_covered(stack.var_dir, s) for s in SERVICES)):
        return False
    before = last_ids(stack)
    time.sleep(1.5)
    return last_ids(stack) == before and all(_covered(stack.var_dir, s) for s in SERVICES)


def _covered(var_dir, service) -> bool:
    """The latest stored event is a tree head, covering all before it."""
    db = sqlite3.connect(f"{(var_dir / f'{service}.sqlite').resolve().as_uri()}?mode=ro", uri=True)
    try:
        last = db.execute("SELECT topic FROM stored_events ORDER BY rowid DESC LIMIT 1").fetchone()
        return last is not None and last[0] == TREE_HEAD_TOPIC
    finally:
        db.close()


def last_ids(stack) -> dict:
    return {s: requests.get(stack.url(s) + "/health", timeout=5).json()["last_notification_id"] for s in SERVICES}


def _ok(url, headers):
    response = requests.get(url, headers=headers, timeout=5)
    return response.json() if response.status_code == 200 else None


def run(function, *args, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    return function(*args, out=out, **kwargs), out.getvalue()


def test_the_auditor_replays_a_certified_then_revoked_unit_and_verifies_every_log(audited_stack, tmp_path):
    stack = audited_stack
    unit = certify_then_revoke(stack)
    var = str(stack.var_dir)
    before = last_ids(stack)

    # when the auditor replays the unit from the stack's files, by its certificate number
    code, text = run(cli.replay, unit["certificate_no"], as_json=True, var_dir=var)
    result = json.loads(text)

    # then every service's part is there, in causal order, with the unit's state after each step
    assert code == 0
    assert result["unit"] == unit
    events = result["events"]
    assert {e["service"] for e in events} == set(SERVICES)
    kinds = [e["type"].split(".", 1)[1] for e in events]
    assert (kinds.index("applications.application_recommended.v1") < kinds.index("review.review_opened.v1")
            < kinds.index("review.notice_closed.v1") < kinds.index("registry.unit_certified.v1")
            < kinds.index("registry.unit_revoked.v1"))
    unit_states = [e["unit_state"]["unit"]["status"] for e in events if "unit" in e["unit_state"]]
    assert unit_states[0] == "certified" and unit_states[-1] == "revoked"
    recommended = events[kinds.index("applications.application_recommended.v1")]
    revoked = events[kinds.index("registry.unit_revoked.v1")]
    assert (recommended["by"], revoked["by"], revoked["on"]) == ("510700", "province", "2027-02-01")
    assert events[kinds.index("review.review_scored.v1")]["by"] == "expert:E001"

    # and on a date between certification and revocation the unit was certified
    code, between = run(cli.replay, unit["unit_id"], at="2027-01-10", as_json=True, var_dir=var)
    state = json.loads(between)["state"]
    assert code == 0 and state["unit"]["status"] == "certified" and state["unit"]["valid_from"] == "2026-12-15"
    code, text_between = run(cli.replay, unit["application_id"], at="2027-01-10", var_dir=var)
    assert "State at 2027-01-10" in text_between and "unit: certified" in text_between

    # and replaying wrote nothing and says the same again
    assert run(cli.replay, unit["certificate_no"], as_json=True, var_dir=var) == (0, text)
    assert last_ids(stack) == before

    # when the auditor verifies every store, proving each of the unit's events
    code, report = run(cli.verify, var, unit=unit["certificate_no"])

    # then all is in order, with audit paths no longer than log2 of the largest log
    assert code == 0, report
    assert report.count("the store reproduces the latest signed tree head") == 4
    inclusion = next(line for line in report.splitlines() if line.startswith("inclusion:"))
    proved, total, longest = (int(w) for w in inclusion.replace(",", " ").split() if w.isdigit())
    sizes = [int(line.split(" events")[0].split(": ")[1]) for line in report.splitlines() if " events, " in line]
    assert proved == total == len(events) and 1 <= longest <= math.ceil(math.log2(max(sizes)))


def test_verify_names_an_event_edited_in_a_running_stacks_store(audited_stack):
    stack = audited_stack
    certify_then_revoke(stack)
    stack.stop()  # what an intruder with the file would do, the service not looking
    store = stack.var_dir / "registry.sqlite"
    with sqlite3.connect(store) as db:
        nid, state = db.execute("SELECT rowid, state FROM stored_events WHERE topic LIKE '%Unit.Revoked'").fetchone()
        edited = bytearray(state)
        edited[-1] ^= 0x80
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (bytes(edited), nid))

    code, report = run(cli.verify, str(stack.var_dir))

    assert code == 1
    assert f"registry:{nid} (originator " in report and "Unit.Revoked) was altered" in report
    assert [line.split(":")[0] for line in report.splitlines() if "FAILED" in line and "altered" in line] == \
        ["  FAILED  registry"]


@needs_http_wiring
def test_auditors_replay_over_http_and_check_each_services_proofs_themselves(audited_stack, tmp_path):
    stack = audited_stack
    unit = certify_then_revoke(stack)
    registry, who = stack.url("registry"), Parties(stack)
    before = last_ids(stack)

    # the registry replays the unit for an auditor, as the CLI does from the files
    replayed = get(f"{registry}/audit/replay/{unit['certificate_no']}", headers=who.auditor)
    offline = json.loads(run(cli.replay, unit["certificate_no"], as_json=True, var_dir=str(stack.var_dir))[1])
    assert replayed == offline
    over_http = run(cli.replay, unit["certificate_no"], as_json=True, url=registry, token=stack.token("auditor"))
    assert over_http == (0, run(cli.replay, unit["certificate_no"], as_json=True, var_dir=str(stack.var_dir))[1])
    assert [e["unit_state"]["unit"]["status"] for e in replayed["events"] if "unit" in e["unit_state"]][-1] == "revoked"
    between = get(f"{registry}/audit/replay/{unit['application_id']}", headers=who.auditor, at="2027-01-10")
    assert between["state"]["unit"]["status"] == "certified"
    assert requests.get(f"{registry}/audit/replay/{unit['unit_id']}", headers=who.operator).status_code == 403
    assert requests.get(f"{registry}/audit/replay/{unit['unit_id']}").status_code == 401
    assert requests.get(f"{registry}/audit/replay/SCDS-1999-00001", headers=who.auditor).status_code == 404
    assert requests.get(f"{registry}/audit/replay/{unit['unit_id']}", params={"at": "soon"},
                        headers=who.auditor).status_code == 400

    # each service's latest head is signed by the key it publishes, and every event of the unit
    # is in it: the auditor checks the audit path itself, against a leaf hashed from the store
    for service in SERVICES:
        url = stack.url(service)
        key_file = tmp_path / f"{service}.json"
        key_file.write_text(requests.get(f"{url}/audit/key", timeout=5).text)
        head = get(f"{url}/audit/tree-head", headers=who.auditor)
        assert signature_problem(head, load_public_key(key_file)) is None
        stored = {row.notification_id: row.leaf for row in sqlite_rows(stack.var_dir / f"{service}.sqlite")}
        for event in (e for e in replayed["events"] if e["service"] == service):
            proof = get(f"{url}/audit/proof/inclusion", headers=who.auditor, notification_id=event["notification_id"])
            assert proof["root_hash"] == head["root_hash"] and proof["tree_size"] == head["tree_size"]
            assert proof["leaf_hash"] == stored[event["notification_id"]].hex()
            assert len(proof["audit_path"]) <= math.ceil(math.log2(head["tree_size"]))
            assert merkle.verify_inclusion(stored[event["notification_id"]], proof["leaf_index"], proof["tree_size"],
                                           [bytes.fromhex(h) for h in proof["audit_path"]],
                                           bytes.fromhex(head["root_hash"]))
    assert last_ids(stack) == before, "replaying and proving wrote nothing"

    # the province signs a head on demand; a witness (an agency) checks it extends the one it held
    agency = stack.headers("agency", "market-regulation")
    held = get(f"{registry}/audit/tree-head", headers=agency)
    assert requests.post(f"{registry}/audit/tree-heads", json={}, headers=who.auditor).status_code == 403
    assert requests.post(f"{registry}/audit/tree-heads", json={"now": True}, headers=who.operator).status_code == 400
    signed = post(f"{registry}/audit/tree-heads", {}, expect=201, headers=who.operator)
    assert signed["tree_size"] == held["tree_size"] + 1  # the held head's own event, now covered
    proof = get(f"{registry}/audit/proof/consistency", headers=agency, first=held["tree_size"])
    assert proof["second"] == signed["tree_size"]
    assert merkle.verify_consistency(held["tree_size"], signed["tree_size"], bytes.fromhex(held["root_hash"]),
                                     bytes.fromhex(signed["root_hash"]), [bytes.fromhex(h) for h in proof["proof"]])
    assert requests.get(f"{registry}/audit/replay/{unit['unit_id']}", headers=agency).status_code == 403
