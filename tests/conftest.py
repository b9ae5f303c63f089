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
