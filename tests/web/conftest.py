"""Fixtures of the browser tests: the four services and the gateway as real processes (one stack
per module), and the browser driver (one chromium for the session, in its own interpreter)."""
from pathlib import Path

import pytest

from browsing import CHROMIUM, BrowserDriver
from support import free_port, new_stack


@pytest.fixture(scope="module")
def site(tmp_path_factory, amqp_uri):
    """The stack behind one site: pages and /api/<service>/ on the gateway's port."""
    stack, clock = new_stack(tmp_path_factory.mktemp("site"), amqp_uri)
    stack.clock = clock
    stack.gateway_port = free_port()
    # no SMTP server listens there: an email subscription's deliveries fail at once and are given
    # up after one attempt, so the province's failed-deliveries page has something to show
    stack.extra_env.update({"SHIFAN_SMTP_PORT": str(free_port()), "SHIFAN_NOTIFY_MAX_ATTEMPTS": "1",
                            "SHIFAN_NOTIFY_RETRY_BASE_SECONDS": "0.2"})
    stack.start()
    try:
        stack.start_gateway()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei")
    driver = BrowserDriver()
    yield driver
    driver.close()
