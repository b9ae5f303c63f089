"""shared.messaging.log: a service's notification log read as CloudEvents, paged, without personal data."""
import json

import pytest

from services.applications.app import ApplicationsApp
from shared.messaging.log import UnpublishedEventType, read_public_log

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
