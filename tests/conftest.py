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


def pytest_generate_tests(metafunc):
    """A test marked `stores` runs once on SQLite files and once on PostgreSQL."""
    if metafunc.definition.get_closest_marker("stores") and "store" in metafunc.fixturenames:
        metafunc.parametrize("store", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def store(request, tmp_path):
    """The eventsourcing settings a test's services add to their own: none for the default SQLite
    files, or a fresh PostgreSQL database (each service then in its own schema) dropped afterwards."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield {}
        return
    url = os.environ.get("SHIFAN_POSTGRES_URL")
    if not url:
        pytest.fail("SHIFAN_POSTGRES_URL is not set: run the tests with `make test`, which starts PostgreSQL")
    from support import postgres_database

    with postgres_database(url) as env:
        yield env


@pytest.fixture
def stack(tmp_path, amqp_uri, store):
    """The four services as real processes on the real broker, their stores in tmp_path (SQLite)
    or, for a test marked `stores`, also in a fresh PostgreSQL database."""
    from support import new_stack

    stack, clock = new_stack(tmp_path, amqp_uri, store)
    stack.clock = clock
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        for log in sorted(tmp_path.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-15:]
            print(f"--- {log.name} (last lines)\n" + "\n".join(tail))
