"""Services in nameko containers on the real broker, with in-memory stores: the relay's wire
format, read_log over RPC, and a follower catching up after it was down."""
import json
import time
from uuid import UUID

import pytest
import requests
from kombu import Connection, Queue
from nameko.testing.services import entrypoint_hook, worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from shared.auth import Identity, issue_token
from shared.bus import drop_follower_queues
from shared.clock import SystemClock
from shared.keys import ensure_local_keys
from shared.messaging.relay import events_exchange
from givens import round_of
from support import application, free_port, wait_for

from services.applications.app import ApplicationsApp
from services.applications.service import ApplicationsService
from services.review.service import ReviewService


@pytest.fixture
def keys(tmp_path):
    return ensure_local_keys(tmp_path)


def config(amqp_uri, keys):
    return {"AMQP_URI": amqp_uri, "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
            "TOKEN_PUBLIC_KEYS": str(keys.public_keys_dir),
            "EVENTSOURCING": {"PERSISTENCE_MODULE": "eventsourcing.popo"},
            "RELAY_POLL_SECONDS": 0.2, "CATCH_UP_SECONDS": 0.5}


def bearer(keys, role, scope=None):
    return {"Authorization": "Bearer " + issue_token(keys.signing_key, role, scope)}


def base_url(cfg):
    return "http://" + cfg["WEB_SERVER_ADDRESS"]


def json_request(body) -> Request:
    return Request(EnvironBuilder(method="POST", data=json.dumps(body), content_type="application/json").get_environ())


def test_draft_entrypoint_loads_the_body_and_calls_the_application(memory_env):
    app = ApplicationsApp(env=memory_env)
    round_id = round_of(app)
    service = worker_factory(ApplicationsService, app=app, clock=SystemClock())
    request = json_request(application(1, round_id=str(round_id)))
    request.identity = Identity(role="applicant", scope=application(1)["credit_code"], subject="test")

    status, body = service.draft(request)

    assert status == 201
    stored = app.application(UUID(body["id"]))
    assert (stored.unit_name, stored.status, body["contact"]) == (
        application(1)["unit_name"], "draft", application(1)["contact"])


@pytest.fixture
def fresh_queues(amqp_uri):
    drop_follower_queues(amqp_uri)


def _post(url, body, headers):
    response = requests.post(url, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _open_round(cfg, keys) -> str:
    body = {"program_id": "sichuan-ecommerce-demo", "label": "2026-1", "submission_deadline": "2026-12-31"}
    return _post(base_url(cfg) + "/rounds", body, bearer(keys, "operator"))["id"]


def test_the_relay_publishes_each_stored_event_as_a_cloudevent(container_factory, amqp_uri, fresh_queues, keys):
    cfg = config(amqp_uri, keys)
    container = container_factory(ApplicationsService, cfg)
    container.start()
    with Connection(amqp_uri) as connection:
        queue = Queue(exclusive=True, exchange=events_exchange("applications"), routing_key="#")
        queue = queue(connection.default_channel)
        queue.declare()

        round_id = _open_round(cfg, keys)
        drafted = _post(base_url(cfg) + "/applications", application(1, round_id=round_id),
                        bearer(keys, "applicant", application(1)["credit_code"]))

        messages = [wait_for("the relay to publish", lambda: queue.get(no_ack=True), timeout=10) for _ in range(2)]
    assert {m.content_type for m in messages} == {"application/cloudevents+json"}
    bodies = [m.body if isinstance(m.body, str) else m.body.decode("utf-8") for m in messages]
    envelopes = [json.loads(b) for b in bodies]
    assert [(e["id"], e["source"]) for e in envelopes] == [("applications:1", "applications"),
                                                           ("applications:2", "applications")]
    assert [e["type"] for e in envelopes] == ["shifan.applications.round_opened.v1",
                                              "shifan.applications.application_drafted.v1"]
    assert [e["subject"] for e in envelopes] == [round_id, drafted["id"]]
    assert application(1)["contact"]["phone"] not in "".join(bodies)
    with entrypoint_hook(container, "read_log") as read_log:
        assert read_log(after=0, limit=10) == envelopes
    wait_for("the relay position to advance", lambda: requests.get(base_url(cfg) + "/health").json()["relay_position"] == 2)


def test_a_follower_started_late_catches_up_from_the_upstream_log(container_factory, amqp_uri, fresh_queues, keys):
    upstream_cfg, review_cfg = config(amqp_uri, keys), config(amqp_uri, keys)
    city, operator = bearer(keys, "recommender", "510700"), bearer(keys, "operator")
    upstream = container_factory(ApplicationsService, upstream_cfg)
    upstream.start()
    round_id = _open_round(upstream_cfg, keys)
    ids = []
    for n in (1, 2):
        applicant = bearer(keys, "applicant", application(n)["credit_code"])
        ids.append(_post(base_url(upstream_cfg) + "/applications", application(n, round_id=round_id), applicant)["id"])
        _post(f"{base_url(upstream_cfg)}/applications/{ids[-1]}/submit", {}, applicant)
        _post(f"{base_url(upstream_cfg)}/applications/{ids[-1]}/recommend", {}, city)
    upstream_log = requests.get(base_url(upstream_cfg) + "/health").json()["last_notification_id"]
    wait_for("everything relayed",
             lambda: requests.get(base_url(upstream_cfg) + "/health").json()["relay_position"] == upstream_log)

    # the review service was not running: its queue did not exist, so the broker kept nothing for it
    review = container_factory(ReviewService, review_cfg)
    review.start()

    def all_open():
        return all(requests.get(f"{base_url(review_cfg)}/applications/{i}/review", headers=operator).status_code == 200
                   for i in ids)

    wait_for("every review open", all_open, timeout=15)
    status = requests.get(base_url(review_cfg) + "/health").json()
    assert status["follows"]["applications"] == upstream_log


def test_the_openapi_document_is_generated_from_the_endpoints_and_their_schemas(container_factory, amqp_uri, keys):
    cfg = config(amqp_uri, keys)
    container_factory(ApplicationsService, cfg).start()

    document = requests.get(base_url(cfg) + "/openapi.json").json()

    assert document["openapi"].startswith("3.")
    submit = document["paths"]["/applications/{application_id}/submit"]["post"]
    assert submit["security"] == [{"bearer": []}] and "applicant" in submit["description"]
    draft_body = document["paths"]["/applications"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert draft_body == {"$ref": "#/components/schemas/DraftSchema"}
    assert {"credit_code", "round_id", "figures"} <= set(document["components"]["schemas"]["DraftSchema"]["properties"])
    assert "security" not in document["paths"]["/rounds"]["get"]  # public
