"""What a messaging component reports for /health and /metrics, and how long it waits after failures."""
from shared.messaging.health import MAX_BACKOFF_SECONDS, ComponentStatus


def test_failures_are_counted_and_backoff_doubles_up_to_its_cap_then_resets_on_success():
    status = ComponentStatus("relay review.events")
    waits = []
    for _ in range(7):
        status.failed(ConnectionError("broker gone"))
        waits.append(status.backoff())
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0] and MAX_BACKOFF_SECONDS == 8.0
    assert not status.healthy and status.as_dict()["failures"] == 7
    assert status.as_dict()["last_error"] == "ConnectionError: broker gone"

    status.ok(3)
    assert status.healthy and status.backoff() == 0.5
    assert status.as_dict()["failures"] == 7 and status.processed == 3  # totals since start stay
