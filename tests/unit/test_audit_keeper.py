"""The signer of tree heads inside a service: it signs once the log has grown and the interval has
passed (or enough events wait), never over an idle log, and wakes the relay to publish the head."""
import threading
import time

import pytest

from services.applications.app import ApplicationsApp
from shared.audit.keeper import TreeHeads
from shared.audit.plain import TREE_HEAD_TOPIC
from shared.keys import ensure_audit_key
from shared.messaging.log import read_public_log

from givens import submitted


def heads_in(app) -> int:
    return sum(1 for n in app.recorder.select_notifications(start=1, limit=1000) if n.topic == TREE_HEAD_TOPIC)


def eventually(what, probe, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def app(memory_env) -> ApplicationsApp:
    return ApplicationsApp(env=memory_env)


@pytest.fixture
def running(tmp_path):
    """Starts the signer of an application's tree heads on a thread, as EventSourced runs it."""
    started = []

    def start(app, **settings):
        woken = []
        heads = TreeHeads(app, {"AUDIT_KEY": str(ensure_audit_key(tmp_path, "applications")), **settings},
                          wake_relay=lambda: woken.append(True))
        stopping = threading.Event()
        thread = threading.Thread(target=heads.run, args=(stopping,))
        thread.start()
        started.append((stopping, thread))
        return heads, woken

    yield start
    for stopping, thread in started:
        stopping.set()
        thread.join()


def test_a_grown_log_is_signed_after_the_interval_and_an_idle_one_is_not(app, running):
    submitted(app)
    heads, woken = running(app, AUDIT_INTERVAL_SECONDS=0.05)

    eventually("a first tree head", lambda: heads_in(app) == 1)
    time.sleep(0.3)  # idle: only the head's own event is new, which needs no head of its own
    assert heads_in(app) == 1 and woken
    submitted(app, credit_code="91510104MA61ZZZZ0C")
    eventually("a later tree head", lambda: heads_in(app) >= 2)

    first, *later = [e for e in read_public_log(app, 0, 100) if e["type"].endswith("tree_head_signed.v1")]
    assert later[-1]["data"]["tree_size"] > first["data"]["tree_size"] and heads.status.healthy


def test_enough_waiting_events_are_signed_before_the_interval(app, running):
    submitted(app)  # a round and an application drafted and submitted: three events
    heads, _ = running(app, AUDIT_INTERVAL_SECONDS=3600, AUDIT_MAX_LEAVES=3)

    eventually("a tree head of three events", lambda: heads_in(app) == 1)
    assert heads.tree.head()["tree_size"] == 3
