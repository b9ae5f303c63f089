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


def test_submit_entrypoint_loads_the_body_and_calls_the_application(memory_env):
    app = ApplicationsApp(env=memory_env)
    service = worker_factory(ApplicationsService, app=app, clock=SystemClock())
    request = json_request(application(1))
    request.identity = Identity(role="applicant", scope=application(1)["credit_code"], subject="test")

    status, body = service.submit(request)

    assert status == 201
    stored = app.application(UUID(body["id"]))
    assert (stored.unit_name, stored.status) == (application(1)["unit_name"], "submitted")


@pytest.fixture
def fresh_queues(amqp_uri):
    drop_follower_queues(amqp_uri)


def test_the_relay_publishes_each_stored_event_as_a_cloudevent(container_factory, amqp_uri, fresh_queues, keys):
    cfg = config(amqp_uri, keys)
    container = container_factory(ApplicationsService, cfg)
    container.start()
    with Connection(amqp_uri) as connection:
        queue = Queue(exclusive=True, exchange=events_exchange("applications"), routing_key="#")
        queue = queue(connection.default_channel)
        queue.declare()

        response = requests.post(base_url(cfg) + "/applications", json=application(1),
                                 headers=bearer(keys, "applicant", application(1)["credit_code"]))
        assert response.status_code == 201

        message = wait_for("the relay to publish", lambda: queue.get(no_ack=True), timeout=10)
    assert message.content_type == "application/cloudevents+json"
    body = message.body if isinstance(message.body, str) else message.body.decode("utf-8")
    envelope = json.loads(body)
    assert (envelope["id"], envelope["source"]) == ("applications:1", "applications")
    assert envelope["type"] == "shifan.applications.application_submitted.v1"
    assert envelope["subject"] == response.json()["id"]
    assert application(1)["contact"]["phone"] not in body
    with entrypoint_hook(container, "read_log") as read_log:
        assert read_log(after=0, limit=10) == [envelope]
    wait_for("the relay position to advance", lambda: requests.get(base_url(cfg) + "/health").json()["relay_position"] == 1)


def test_a_follower_started_late_catches_up_from_the_upstream_log(container_factory, amqp_uri, fresh_queues, keys):
    upstream_cfg, review_cfg = config(amqp_uri, keys), config(amqp_uri, keys)
    city, operator = bearer(keys, "recommender", "510700"), bearer(keys, "operator")
    upstream = container_factory(ApplicationsService, upstream_cfg)
    upstream.start()
    ids = []
    for n in (1, 2, 3):
        applicant = bearer(keys, "applicant", application(n)["credit_code"])
        ids.append(requests.post(base_url(upstream_cfg) + "/applications", json=application(n), headers=applicant).json()["id"])
        requests.post(f"{base_url(upstream_cfg)}/applications/{ids[-1]}/recommend", json={}, headers=city)
    wait_for("everything relayed", lambda: requests.get(base_url(upstream_cfg) + "/health").json()["relay_position"] == 6)

    # the review service was not running: its queue did not exist, so the broker kept nothing for it
    review = container_factory(ReviewService, review_cfg)
    review.start()

    def all_open():
        return all(requests.get(f"{base_url(review_cfg)}/applications/{i}/review", headers=operator).status_code == 200
                   for i in ids)

    wait_for("every review open", all_open, timeout=15)
    status = requests.get(base_url(review_cfg) + "/health").json()
    assert status["follows"] == {"applications": 6}
