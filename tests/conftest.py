"""Test-wide setup: eventlet first (nameko needs it), then fixtures for the broker and stores."""
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402

import os  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def amqp_uri() -> str:
    """The broker `make test` started (scripts/with-broker.sh exports AMQP_URI)."""
    uri = os.environ.get("AMQP_URI")
    if not uri:
        pytest.fail("AMQP_URI is not set: run the tests with `make test`, which starts a broker")
    return uri


@pytest.fixture
def memory_env() -> dict:
    """eventsourcing settings for an in-memory store (unit tests)."""
    return {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@pytest.fixture
def stack(tmp_path, amqp_uri):
    """The four services as real processes on the real broker, SQLite files in tmp_path."""
    from support import new_stack

    stack, clock = new_stack(tmp_path, amqp_uri)
    stack.clock = clock
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        for log in sorted(tmp_path.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-15:]
            print(f"--- {log.name} (last lines)\n" + "\n".join(tail))
