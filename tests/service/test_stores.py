"""Each service's store on SQLite and on PostgreSQL: events, the notification log and tracking
records commit together, an event is recorded once per position, each service keeps its own tables
(its own schema on PostgreSQL), and a store reopened by a new process reads back the same state."""
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking

from services.applications.app import ApplicationsApp
from services.review.app import ReviewApp
from services.review.policies import when_application_recommended_open_review
from shared.keys import ensure_local_keys
from shared.messaging.follower import _public_event
from shared.messaging.log import read_public_log

from givens import ensure_experts, submitted

pytestmark = pytest.mark.stores
CST = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 1, 9, 0, tzinfo=CST)
RECOMMENDED = "shifan.applications.application_recommended.v1"


@pytest.fixture
def envs(store, tmp_path):
    keys = ensure_local_keys(tmp_path)
    return {name: {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / f"{name}.sqlite"),
                   "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": keys.cipher_keys[name],
                   "POSTGRES_SCHEMA": name, **store}
            for name in ("applications", "review")}


def recommended(applications: ApplicationsApp) -> tuple[str, dict]:
    application_id = submitted(applications, at=AT)
    applications.recommend(application_id, by="510100", at=AT)
    envelope = next(e for e in read_public_log(applications, 0, 100) if e["type"] == RECOMMENDED)
    return str(application_id), envelope


def follow(review: ReviewApp, envelope: dict) -> None:
    n = int(envelope["id"].rsplit(":", 1)[1])
    processing = ProcessingEvent(Tracking("applications", n))
    processing.collect_events(*when_application_recommended_open_review(review, _public_event(envelope)))
    review.record(processing)


def test_an_upstream_event_and_its_effects_are_recorded_once_and_read_back(envs):
    applications, review = ApplicationsApp(env=envs["applications"]), ReviewApp(env=envs["review"])
    ensure_experts(review, ["expert-1"])
    application_id, envelope = recommended(applications)
    stored_before = review.recorder.max_notification_id()

    follow(review, envelope)
    n = int(envelope["id"].rsplit(":", 1)[1])
    assert review.position("applications") == n
    opened = review.review_of_application(application_id)
    stored_after = review.recorder.max_notification_id()
    assert stored_after > stored_before

    with pytest.raises(IntegrityError):  # the same position again: refused, nothing written
        follow(review, envelope)
    assert review.recorder.max_notification_id() == stored_after

    reopened = ReviewApp(env=envs["review"])  # another process on the same store
    assert reopened.position("applications") == n
    assert reopened.review_of_application(application_id).id == opened.id
    assert [e["id"] for e in read_public_log(reopened, 0, 500)] == [e["id"] for e in read_public_log(review, 0, 500)]


def test_an_effect_that_conflicts_commits_neither_it_nor_the_position(envs):
    applications, review = ApplicationsApp(env=envs["applications"]), ReviewApp(env=envs["review"])
    ensure_experts(review, ["expert-1"])
    _, envelope = recommended(applications)
    rival = ReviewApp(env=envs["review"])  # a second instance takes the event first
    follow(rival, envelope)
    stored = review.recorder.max_notification_id()

    with pytest.raises(IntegrityError):
        follow(review, envelope)

    assert review.recorder.max_notification_id() == stored
    assert review.position("applications") == rival.position("applications")


def test_each_service_keeps_its_tables_apart(envs, store):
    applications, review = ApplicationsApp(env=envs["applications"]), ReviewApp(env=envs["review"])
    submitted(applications, at=AT)
    assert review.recorder.max_notification_id() in (None, 0)
    if not store:
        return  # SQLite: one file per service, which envs already says
    with psycopg.connect(dbname=store["POSTGRES_DBNAME"], host=store["POSTGRES_HOST"], port=store["POSTGRES_PORT"],
                         user=store["POSTGRES_USER"], password=store["POSTGRES_PASSWORD"]) as db:
        tables = db.execute("SELECT table_schema, table_name FROM information_schema.tables "
                            "WHERE table_schema IN ('applications', 'review')").fetchall()
    assert {schema for schema, _ in tables} == {"applications", "review"}
    assert all(name.startswith(schema) for schema, name in tables), tables
