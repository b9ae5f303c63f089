"""Tamper evidence and replay on real, encrypted SQLite stores: one unit applied, reviewed,
listed, certified and then revoked, its events passed between the four services by their own
policies, each service's tree head signed with its key; then the files are edited with sqlite3
as an intruder would, and `shifan audit verify` names what changed."""
import hashlib
import io
import json
import math
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID

import pytest

from services.applications.app import ApplicationsApp
from services.notify.app import NotifyApp
from services.notify.policies import EVERY_EVENT
from services.registry.app import RegistryApp
from services.registry.policies import when_notice_closed_certify_units
from services.review.app import ReviewApp
from services.review.policies import when_application_recommended_open_review
from shared.audit import cli
from shared.audit.keeper import TreeHeads
from shared.audit.plain import TREE_HEAD_TOPIC
from shared.contracts import CONTRACTS
from shared.errors import Conflict
from shared.keys import ensure_local_keys
from shared.messaging.follower import PublicEvent
from shared.messaging.log import read_public_log

from givens import ensure_experts, submitted, uniform

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 1, 9, 0, tzinfo=CST)
CERTIFIED_ON, REVOKED_ON = date(2026, 12, 15), date(2027, 6, 1)
APPS = {"applications": ApplicationsApp, "review": ReviewApp, "registry": RegistryApp, "notify": NotifyApp}


@dataclass
class World:
    var: Path
    envs: dict
    apps: dict
    application_id: str
    unit_id: str
    certificate_no: str

    def store(self, service: str) -> sqlite3.Connection:
        return sqlite3.connect(self.var / f"{service}.sqlite")

    def sign_heads(self, *apps) -> None:
        """Each service signs a tree head of its log now, with its audit key."""
        for app in apps or self.apps.values():
            config = {"AUDIT_KEY": str(self.var / "keys" / "audit" / f"{app.name}.pem")}
            TreeHeads(app, config, wake_relay=lambda: None).sign_now()

    def row(self, service: str, topic_end: str) -> tuple:
        """(notification id, originator id, version, topic) of the first stored event of a kind."""
        with self.store(service) as db:
            return db.execute("SELECT rowid, originator_id, originator_version, topic FROM stored_events "
                              "WHERE topic LIKE ? ORDER BY rowid LIMIT 1", (f"%{topic_end}",)).fetchone()

    def flip_a_byte(self, service: str, nid: int) -> None:
        with self.store(service) as db:
            state = bytearray(db.execute("SELECT state FROM stored_events WHERE rowid = ?", (nid,)).fetchone()[0])
            state[len(state) // 2] ^= 0x01
            db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (bytes(state), nid))

    def delete(self, service: str, nid: int) -> None:
        with self.store(service) as db:
            db.execute("DELETE FROM stored_events WHERE rowid = ?", (nid,))


def _consumed(envelope: dict) -> PublicEvent:
    return PublicEvent(id=envelope["id"], type=envelope["type"], source=envelope["source"], subject=envelope["subject"],
                       time=datetime.fromisoformat(envelope["time"]),
                       data=CONTRACTS[envelope["type"]].schema().load(envelope["data"]))


def _follow(app, upstream, policy, only_type=None) -> None:
    for envelope in read_public_log(upstream, 0, 500):
        if only_type is None or envelope["type"] == only_type:
            app.save(*policy(app, _consumed(envelope)))


@pytest.fixture
def world(tmp_path) -> World:
    keys = ensure_local_keys(tmp_path)
    envs = {name: {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / f"{name}.sqlite"),
                   "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": keys.cipher_keys[name]}
            for name in APPS}
    apps = {name: cls(env=envs[name]) for name, cls in APPS.items()}
    applications, review, registry, notify = apps.values()
    # given one unit applied for, recommended, reviewed, listed on a notice and certified
    application_id = submitted(applications, at=AT)
    applications.recommend(application_id, by="510100", at=AT)
    ensure_experts(review, ["expert-1"])
    _follow(review, applications, when_application_recommended_open_review,
            "shifan.applications.application_recommended.v1")
    opened = review.review_of_application(application_id)
    review.score(opened.id, opened.experts[0], uniform(82), AT)
    notice = review.publish_notice([opened.id], AT.date())
    review.close_notice(notice.id, CERTIFIED_ON)
    _follow(registry, review, when_notice_closed_certify_units, "shifan.review.notice_closed.v1")
    unit = registry.unit_of_application(application_id)
    # and then revoked by the province
    registry.revoke(unit.id, "violation", "川市监罚〔2027〕12号", "虚假宣传", REVOKED_ON)
    for upstream in (applications, review, registry):
        _follow(notify, upstream, EVERY_EVENT["*"])
    world = World(tmp_path, envs, apps, str(application_id), str(unit.id), unit.certificate_no)
    world.sign_heads()
    return world


def run(function, *args, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    code = function(*args, out=out, **kwargs)
    return code, out.getvalue()


def failures(report: str) -> dict[str, list[str]]:
    """The FAILED lines of a verify report, by service."""
    found, service = {}, None
    for line in report.splitlines():
        if not line.startswith(" ") and ": " in line:
            service = line.split(":")[0]
        elif line.strip().startswith("FAILED"):
            found.setdefault(service, []).append(line.strip().removeprefix("FAILED").strip())
    return found


# -- verification -------------------------------------------------------------------------------
def test_untouched_stores_verify_with_the_public_keys_alone(world):
    (world.var / "keys" / "cipher.json").unlink()  # the store keys destroyed: the proofs stand

    code, report = run(cli.verify, str(world.var))

    assert code == 0, report
    assert report.count("the store reproduces the latest signed tree head") == 4
    assert report.strip().endswith("verify: OK")


def test_one_byte_changed_in_one_stored_payload_is_named(world):
    nid, originator, version, topic = world.row("applications", "Application.Submitted")
    world.flip_a_byte("applications", nid)

    code, report = run(cli.verify, str(world.var))

    assert code == 1
    assert list(failures(report)) == ["applications"], report
    named = [f for f in failures(report)["applications"] if "altered" in f]
    assert named == [f"applications:{nid} (originator {UUID(originator)} version {version}, {topic}) was altered: "
                     "its stored bytes no longer hash to the leaf a tree head signed"]
    assert any(f"the change lies in applications:1 to applications:{nid + 1}" in f or
               "the change lies in applications:1 to" in f for f in failures(report)["applications"])


def test_one_deleted_stored_event_is_named(world):
    nid, *_ = world.row("review", "Review.Scored")
    world.delete("review", nid)

    code, report = run(cli.verify, str(world.var))

    assert code == 1
    assert list(failures(report)) == ["review"], report
    assert [f for f in failures(report)["review"] if "deleted" in f] == [
        f"review:{nid} was deleted: the store no longer has the event a tree head signed at notification {nid}"]
    assert not any("altered" in f for f in failures(report)["review"])


def test_an_edit_and_a_deletion_in_two_stores_are_both_named(world):
    edited, *_ = world.row("registry", "Unit.Revoked")
    deleted, *_ = world.row("notify", "Delivery.Recorded")
    world.flip_a_byte("registry", edited)
    world.delete("notify", deleted)

    code, report = run(cli.verify, str(world.var))

    assert code == 1 and sorted(failures(report)) == ["notify", "registry"], report
    assert any(f.startswith(f"registry:{edited} (originator {world.unit_id} ") and "Unit.Revoked) was altered" in f
               for f in failures(report)["registry"])
    assert any(f.startswith(f"notify:{deleted} was deleted") for f in failures(report)["notify"])


def test_a_history_rewritten_and_signed_again_is_inconsistent_with_a_tree_head_the_auditor_saved(world, tmp_path):
    heads = tmp_path / "saved-heads"
    assert run(cli.save_heads, str(world.var), str(heads))[0] == 0
    # whoever holds the signing key deletes an event and every tree head, then signs afresh
    nid, *_ = world.row("applications", "Application.Recommended")
    with world.store("applications") as db:
        db.execute("DELETE FROM stored_events WHERE rowid = ? OR topic = ?", (nid, TREE_HEAD_TOPIC))
    rewritten = ApplicationsApp(env=world.envs["applications"])
    submitted(rewritten, credit_code="91510104MA61ZZZZ0C", at=AT)  # life goes on, past the saved size
    world.sign_heads(rewritten)

    alone = run(cli.verify, str(world.var))
    checked = run(cli.verify, str(world.var), heads_dir=str(heads))

    assert alone[0] == 0, "the store agrees with itself: only a witness can tell"
    assert checked[0] == 1
    assert "is not consistent with the one you saved in applications-" in checked[1], checked[1]


def test_a_removed_latest_tree_head_is_caught_by_the_saved_one(world, tmp_path):
    world.sign_heads()  # a second head, so an earlier one remains
    heads = tmp_path / "saved-heads"
    run(cli.save_heads, str(world.var), str(heads))
    with world.store("registry") as db:
        db.execute("DELETE FROM stored_events WHERE rowid = (SELECT MAX(rowid) FROM stored_events WHERE topic = ?)",
                   (TREE_HEAD_TOPIC,))

    code, report = run(cli.verify, str(world.var), heads_dir=str(heads))

    assert code == 1
    assert "signed heads or events were removed since you saved it" in report, report


def test_verify_with_a_unit_proves_each_of_its_events_with_a_logarithmic_audit_path(world):
    code, report = run(cli.verify, str(world.var), unit=world.certificate_no)

    assert code == 0, report
    line = next(line for line in report.splitlines() if line.startswith("inclusion:"))
    proved, total, longest = (int(w) for w in line.replace(",", " ").split() if w.isdigit())
    biggest = max(len(list(world.store(s).execute("SELECT rowid FROM stored_events"))) for s in APPS)
    assert proved == total > 10
    assert 1 <= longest <= math.ceil(math.log2(biggest))


def test_an_altered_event_of_a_replayed_unit_fails_its_inclusion_proof(world, tmp_path):
    replayed = tmp_path / "replay.json"  # what an auditor fetched from GET /audit/replay/<id>
    replayed.write_text(run(cli.replay, world.certificate_no, as_json=True, var_dir=str(world.var))[1])
    nid, *_ = world.row("registry", "Unit.Certified")
    world.flip_a_byte("registry", nid)

    code, report = run(cli.verify, str(world.var), replay_file=str(replayed))

    assert code == 1
    failing = [f for f in failures(report)["registry"] if "inclusion proof" in f]
    assert len(failing) == 1 and failing[0].startswith(f"registry:{nid} ") and "(unit_certified)" in failing[0]


def test_a_head_signed_with_another_key_is_named(world):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from shared.certificates import public_key_pem

    (world.var / "keys" / "audit" / "review.pub.pem").write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))

    code, report = run(cli.verify, str(world.var))

    assert code == 1 and list(failures(report)) == ["review"]
    assert "not with the service's key" in failures(report)["review"][0]


def test_a_service_refuses_to_sign_over_a_log_that_no_longer_matches_its_last_head(world):
    nid, *_ = world.row("review", "Review.Opened")
    world.flip_a_byte("review", nid)
    restarted = TreeHeads(ReviewApp(env=world.envs["review"]),
                          {"AUDIT_KEY": str(world.var / "keys" / "audit" / "review.pem")}, wake_relay=lambda: None)

    restarted.tree.catch_up()

    assert "review's log no longer matches its tree head" in restarted.tree.problem
    with pytest.raises(Conflict):
        restarted.sign_now()


# -- replay -------------------------------------------------------------------------------------
def _replay(world, ident, **kwargs) -> dict:
    code, text = run(cli.replay, ident, as_json=True, var_dir=str(world.var), **kwargs)
    assert code == 0, text
    return json.loads(text)


def test_the_replay_of_a_certified_then_revoked_unit_shows_each_state_in_causal_order(world):
    result = _replay(world, world.certificate_no)
    events = result["events"]
    types = [e["type"].split(".", 1)[1] for e in events]  # service.event.version
    position = {t: types.index(t) for t in types}  # where each kind first appears

    assert result["unit"] == {"application_id": world.application_id, "unit_id": world.unit_id,
                              "certificate_no": world.certificate_no}
    assert {e["service"] for e in events} == {"applications", "review", "registry", "notify"}
    assert (position["applications.application_recommended.v1"] < position["review.review_opened.v1"]
            < position["review.review_concluded.v1"] < position["review.notice_closed.v1"]
            < position["registry.unit_certified.v1"] < position["registry.unit_revoked.v1"])
    ids = [e["id"] for e in events]
    caused = [e for e in events if e.get("cause")]
    assert len(caused) > 10 and all(ids.index(e["cause"]) < ids.index(e["id"]) for e in caused)
    units = [e["unit_state"]["unit"]["status"] for e in events if "unit" in e["unit_state"]]
    assert units[0] == "certified" and units[-1] == "revoked" and "revoked" not in units[:units.index("revoked")]
    certified, closed = events[position["registry.unit_certified.v1"]], events[position["review.notice_closed.v1"]]
    assert certified["cause"] == closed["id"] and certified["by"] == f"registry (on {closed['id']})"
    assert certified["on"] == "2026-12-15"
    assert events[position["applications.application_recommended.v1"]]["by"] == "510100"
    assert events[position["registry.unit_revoked.v1"]]["on"] == "2027-06-01"
    assert result["state"]["unit"]["status"] == "revoked"
    assert result["state"]["application"]["status"] == "recommended"


def test_at_a_date_between_certification_and_revocation_the_unit_is_certified(world):
    between = _replay(world, world.unit_id, at="2027-01-10")
    before = _replay(world, world.unit_id, at="2026-12-10")

    assert between["state"]["unit"]["status"] == "certified"
    assert between["state"]["unit"]["certificate_no"] == world.certificate_no
    assert not any(e["type"].endswith("unit_revoked.v1") for e in between["events"])
    assert "unit" not in before["state"] and before["state"]["notice"]["status"] == "open"


def test_a_unit_is_found_by_its_id_its_application_and_its_certificate_number(world):
    by_unit, by_application, by_certificate = (_replay(world, i) for i in
                                               (world.unit_id, world.application_id, world.certificate_no))

    assert by_unit["events"] == by_application["events"] == by_certificate["events"]
    assert run(cli.replay, "00000000-0000-0000-0000-000000000000", var_dir=str(world.var))[0] == 1
    assert run(cli.replay, "not an id", var_dir=str(world.var))[0] == 1


def test_a_unit_named_by_its_id_is_replayed_from_one_scan_of_each_log_with_the_same_timeline(world):
    from shared.audit.replay import replay
    from shared.audit.sources import local_sources

    sources, scans = local_sources(world.var), []
    counted = {s: (lambda refs, s=s, f=f: (scans.append(s), f(refs))[1]) for s, f in sources.items()}
    # a source that does not say which references it scanned with is scanned again when they grew
    unaware = {s: (lambda refs, f=f: {k: v for k, v in f(refs).items() if k != "scanned_with"})
               for s, f in sources.items()}

    once = replay(world.unit_id, counted)

    assert sorted(scans) == sorted(sources)
    assert once == replay(world.unit_id, unaware)


def test_replay_writes_nothing_and_says_the_same_twice(world):
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in world.var.glob("*.sqlite")}

    first = run(cli.replay, world.certificate_no, var_dir=str(world.var))
    second = run(cli.replay, world.certificate_no, var_dir=str(world.var))

    assert first == second and first[0] == 0
    assert "unit_revoked" in first[1] and "State now:" in first[1]
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in world.var.glob("*.sqlite")} == files


def test_the_command_line_replays_and_verifies(world, tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser(prog="shifan")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))

    def shifan(*argv) -> int:
        args = parser.parse_args(list(argv))
        return args.func(args)

    assert shifan("audit", "replay", world.certificate_no, "--var", str(world.var), "--at", "2027-01-10") == 0
    assert "State at 2027-01-10" in capsys.readouterr().out
    assert shifan("audit", "save-heads", "--var", str(world.var), "--to", str(tmp_path / "heads")) == 0
    assert shifan("audit", "verify", "--var", str(world.var), "--heads", str(tmp_path / "heads"),
                  "--unit", world.unit_id) == 0
    assert capsys.readouterr().out.strip().endswith("verify: OK")
    assert shifan("audit", "verify", "--var", str(tmp_path / "nowhere")) == 2
