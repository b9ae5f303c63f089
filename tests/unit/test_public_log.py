"""shared.messaging.log: a service's notification log read as CloudEvents, paged, without personal data."""
import json
import sqlite3

import pytest

from services.applications.app import ApplicationsApp
from shared.messaging.envelopes import EnvelopeCache, envelope_cache
from shared.messaging.log import UnpublishedEventType, encoded_public_log, read_public_log

from givens import AT, CONTACT, submitted


def test_each_stored_event_becomes_an_envelope_numbered_by_its_log_position(applications):
    application_id = submitted(applications)
    applications.recommend(application_id, by="recommender:510100", at=AT)

    envelopes = read_public_log(applications, after=0, limit=10)

    assert [e["id"] for e in envelopes] == [f"applications:{n}" for n in range(1, 7)]
    assert [e["type"].split(".")[2] for e in envelopes] == [
        "round_opened", "application_drafted", "application_submitted", "application_recommended",
        "quota_opened", "quota_taken"]
    assert {e["subject"] for e in envelopes[1:4]} == {str(application_id)}
    assert {(e["specversion"], e["source"], e["datacontenttype"]) for e in envelopes} == {
        ("1.0", "applications", "application/json")}
    assert envelopes[3]["data"]["application_id"] == str(application_id)
    assert envelopes[3]["data"]["figures"] == applications.application(application_id).figures


def test_the_applicants_contact_appears_in_no_envelope(applications):
    application_id = submitted(applications)
    applications.recommend(application_id, by="recommender:510100", at=AT)
    declined = submitted(applications, credit_code="91510703MA6XXXXX1B")
    applications.decline(declined, by="recommender:510700", reason="材料不全", at=AT)

    wire = json.dumps(read_public_log(applications, after=0, limit=10), ensure_ascii=False)

    assert CONTACT["name"] not in wire
    assert CONTACT["phone"] not in wire
    assert "contact" not in wire


def test_the_log_pages_after_a_position_with_a_limit(applications):
    for n in range(2):  # a round, then a draft and a submission each: ids 1..5
        submitted(applications, credit_code=f"9151010400000000{n}X")

    assert [e["id"] for e in read_public_log(applications, after=1, limit=2)] == ["applications:2", "applications:3"]
    assert [e["id"] for e in read_public_log(applications, after=3, limit=10)] == ["applications:4", "applications:5"]
    assert read_public_log(applications, after=5, limit=10) == []


def test_a_negative_position_or_a_limit_below_one_is_clamped(applications):
    submitted(applications)
    submitted(applications, credit_code="91510104MA61YYYY0B")

    assert [e["id"] for e in read_public_log(applications, after=-3, limit=0)] == ["applications:1"]


def test_a_stored_event_without_a_public_contract_is_an_error_not_skipped(memory_env):
    class Unpublished(ApplicationsApp):
        public_events = {}

    app = Unpublished(env=memory_env)
    submitted(app)

    with pytest.raises(UnpublishedEventType):
        read_public_log(app, after=0, limit=10)


# -- the paged feed's envelopes, kept beside a SQLite store (shared/messaging/envelopes.py) -------
def _on_file(tmp_path, name="applications.sqlite") -> ApplicationsApp:
    return ApplicationsApp(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / name)})


def _feed(app, after=0, limit=500) -> list:
    return [json.loads(body) for _, body in encoded_public_log(app, after, limit)]


def test_the_feed_serves_what_the_log_reader_builds_and_keeps_it_beside_the_store(tmp_path):
    app = _on_file(tmp_path)
    applications_recommended(app, 3)

    first = _feed(app)
    kept = sqlite3.connect(tmp_path / "applications.sqlite.envelopes").execute("SELECT COUNT(*) FROM envelopes").fetchone()

    assert first == read_public_log(app, 0, 500) == _feed(app)
    assert kept == (app.recorder.max_notification_id(),)
    assert _feed(app, after=2, limit=3) == read_public_log(app, 2, 3)


def test_a_kept_envelope_of_another_event_at_the_same_position_is_built_again(tmp_path):
    old = _on_file(tmp_path, "old.sqlite")
    applications_recommended(old, 1)
    _feed(old)
    envelope_cache(old).close()
    (tmp_path / "old.sqlite.envelopes").rename(tmp_path / "new.sqlite.envelopes")  # a store replaced, its cache kept
    new = _on_file(tmp_path, "new.sqlite")
    applications_recommended(new, 1, credit_code="91510703MA6XXXXX1B")

    assert _feed(new) == read_public_log(new, 0, 500)
    assert _feed(new) != read_public_log(old, 0, 500)


def test_other_contract_code_empties_the_kept_envelopes(tmp_path):
    cache = EnvelopeCache(tmp_path / "cache", fingerprint="one")
    app = _on_file(tmp_path)
    applications_recommended(app, 1)
    notifications = app.recorder.select_notifications(start=1, limit=10)
    cache.put([(n, b"{}") for n in notifications])
    cache.close()

    assert len(EnvelopeCache(tmp_path / "cache", fingerprint="one").get(notifications)) == len(notifications)
    assert EnvelopeCache(tmp_path / "cache", fingerprint="two").get(notifications) == {}


def test_a_store_in_memory_has_no_kept_envelopes_and_the_feed_builds_them(applications):
    applications_recommended(applications, 1)

    assert envelope_cache(applications) is None
    assert _feed(applications) == read_public_log(applications, 0, 500)


def applications_recommended(app, count: int, credit_code: str | None = None) -> None:
    for n in range(count):
        application_id = submitted(app, **({"credit_code": credit_code} if credit_code else {}))
        app.recommend(application_id, by="recommender:510100", at=AT)
