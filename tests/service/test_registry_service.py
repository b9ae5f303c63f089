"""The registry in a nameko container on the real broker, with an in-memory store: the configured
signing key is the one certificates are signed with, queries see writes made just before them,
and the timer asks for a due re-review on the service clock."""
from datetime import date, datetime, timezone
from uuid import uuid4

import pytest
import requests
from nameko.testing.services import entrypoint_hook

from services.registry.service import RegistryService
from shared.bus import drop_follower_queues
from shared.certificates import generate_signing_key, key_id, load_private_key, loads, verify
from shared.clock import FileClock
from shared.keys import ensure_local_keys
from shared.runtime import EventSourced
from support import free_port, wait_for


def certified(app, closed_on: date = date(2026, 12, 15), unit_name: str = "成都蜀锦电子商务有限公司"):
    """A unit certified from a closed notice, as the registry's policy does it."""
    approved = {"application_id": uuid4(), "unit_name": unit_name, "unit_type": "enterprise",
                "subtype": "b2b_platform", "region_code": "510104", "credit_code": "91510104MA61XXXX0A"}
    aggregates = app.prepare_certification(uuid4(), "sichuan-ecommerce-demo", [approved], closed_on)
    app.save(*aggregates)
    return aggregates[-1]

pytestmark = pytest.mark.usefixtures("fresh_queues")


@pytest.fixture
def fresh_queues(amqp_uri):
    drop_follower_queues(amqp_uri)


@pytest.fixture
def registry_container(container_factory, amqp_uri, tmp_path):
    keys = ensure_local_keys(tmp_path / "stack")  # tokens; the registry key comes from the config below
    clock = FileClock(tmp_path / "clock")
    clock.set(datetime(2027, 1, 5, 1, 0, tzinfo=timezone.utc))
    signing_key = generate_signing_key(tmp_path / "secrets" / "registry.pem")
    config = {"AMQP_URI": amqp_uri, "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
              "TOKEN_PUBLIC_KEYS": str(keys.public_keys_dir), "CLOCK": f"file:{clock.path}",
              "EVENTSOURCING": {"PERSISTENCE_MODULE": "eventsourcing.popo"}, "VAR_DIR": str(tmp_path),
              "READ_MODEL": ":memory:", "CERTIFICATE_KEY": str(signing_key),
              "RELAY_POLL_SECONDS": 0.2, "CATCH_UP_SECONDS": 0.5}
    container = container_factory(RegistryService, config)
    container.start()
    app = next(d for d in container.dependencies if isinstance(d, EventSourced)).app
    return container, app, clock, "http://" + config["WEB_SERVER_ADDRESS"], signing_key


def test_certificates_are_signed_with_the_key_the_configuration_names(registry_container, tmp_path):
    container, app, clock, url, signing_key = registry_container
    unit = certified(app)

    published = requests.get(f"{url}/certificate-key").json()
    document = loads(requests.get(f"{url}/units/{unit.id}/certificate").content)

    public_key = load_private_key(signing_key).public_key()
    assert published["key_id"] == key_id(public_key) == document["signature"]["key_id"]
    assert verify(document, public_key)["unit_id"] == str(unit.id)
    assert not (tmp_path / "keys" / "registry").exists()  # no local key was made


def test_a_query_sees_a_unit_saved_just_before_it(registry_container):
    container, app, clock, url, _ = registry_container

    unit = certified(app, unit_name="成都蜀锦電子商務有限公司")

    found = requests.get(f"{url}/units", params={"q": "电子商务"}).json()
    assert [u["id"] for u in found["units"]] == [str(unit.id)] and found["total"] == 1


def test_the_timer_asks_for_a_re_review_once_its_day_has_come_on_the_service_clock(registry_container):
    container, app, clock, url, _ = registry_container
    unit = certified(app, closed_on=date(2025, 1, 5))  # due 2027-01-05, today on the service clock

    wait_for("the re-review requested", lambda: app.unit(unit.id).status == "under_rereview", timeout=10)
    with entrypoint_hook(container, "request_due_rereviews") as run_timer:
        run_timer()

    assert [e.__class__.__name__ for e in app.events_of(unit.id)] == ["Certified", "RereviewRequested"]
