"""The public event contract: a golden example per type, domain events all published, producers and
consumers agreeing on every envelope."""
import inspect
import pkgutil
import json
from datetime import datetime, timezone
from importlib import import_module
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.domain import Aggregate, AggregateEvent
from marshmallow import RAISE

from services.applications.app import ApplicationsApp
from services.notify.app import NotifyApp
from services.registry.app import RegistryApp
from services.review.app import ReviewApp
import shared
from shared.audit.tree import ServiceTree
from shared.contracts import CONTRACTS, Envelope
from shared.messaging.log import read_public_log

GOLDEN = Path(__file__).parent / "golden"
APPS = [ApplicationsApp, ReviewApp, RegistryApp, NotifyApp]


def golden(type_: str) -> dict:
    return json.loads((GOLDEN / f"{type_}.json").read_text(encoding="utf-8"))


def aggregates_of(app_cls) -> list[type]:
    """The aggregate classes defined in any module of the app's service package."""
    package = import_module(f"services.{app_cls.name}")
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = import_module(f"{package.__name__}.{info.name}")
        found += [c for c in vars(module).values()
                  if inspect.isclass(c) and issubclass(c, Aggregate) and c.__module__ == module.__name__]
    return found


def shared_aggregates() -> list[type]:
    """The aggregate classes defined in any module of the shared package: every service's
    application records them (its signed tree heads, shared/audit/treehead.py)."""
    found = []
    for info in pkgutil.walk_packages(shared.__path__, "shared."):
        module = import_module(info.name)
        found += [c for c in vars(module).values()
                  if inspect.isclass(c) and issubclass(c, Aggregate) and c.__module__ == module.__name__]
    return found


def events_of(aggregate: type) -> set[type]:
    """The event classes an aggregate records: its nested events, without the generic bases
    (`Event`, and `Created` when the aggregate names its own creation event)."""
    nested = {c for c in vars(aggregate).values() if inspect.isclass(c) and issubclass(c, AggregateEvent)}
    named_creation = any(issubclass(c, Aggregate.Created) and c.__name__ != "Created" for c in nested)
    return {c for c in nested
            if c.__name__ != "Event" and not (c.__name__ == "Created" and named_creation)}


# -- (a) a golden example for every public type, and none for a type nobody publishes
def test_every_public_event_type_has_a_golden_example_and_every_example_a_type():
    examples = {p.name.removesuffix(".json") for p in GOLDEN.glob("*.json")}

    assert sorted(set(CONTRACTS) - examples) == [], "public types without a golden example"
    assert sorted(examples - set(CONTRACTS)) == [], "golden examples of unknown types"


# -- (b) every golden example loads as an envelope, and its data with its type's schema
@pytest.mark.parametrize("type_", sorted(CONTRACTS))
def test_the_golden_example_loads_with_the_envelope_and_its_types_schema(type_):
    example = golden(type_)

    envelope = Envelope().load(example)
    data = CONTRACTS[type_].schema().load(example["data"], unknown=RAISE)

    assert envelope["type"] == type_
    assert example["id"].startswith(f"{example['source']}:") and type_.startswith(f"shifan.{example['source']}.")
    assert CONTRACTS[type_].schema().dump(data) == example["data"], "the example is not in the producer's form"


# -- (c) every domain event is public, through a schema in the catalog
@pytest.mark.parametrize("app_cls", APPS, ids=lambda c: c.__name__)
def test_every_domain_event_of_the_services_aggregates_is_public(app_cls):
    aggregates = aggregates_of(app_cls) + shared_aggregates()
    recorded = set().union(*map(events_of, aggregates))

    assert aggregates_of(app_cls), f"no aggregates found for {app_cls.__name__}"
    assert shared_aggregates(), "no aggregates found in shared/ (the tree heads every service signs)"
    assert sorted(c.__qualname__ for c in recorded - set(app_cls.public_events)) == []
    assert sorted(c.__qualname__ for c in set(app_cls.public_events) - recorded) == []


@pytest.mark.parametrize("app_cls", APPS, ids=lambda c: c.__name__)
def test_every_schema_a_service_publishes_with_is_in_the_catalog(app_cls):
    for schema in app_cls.public_events.values():
        assert schema.TYPE in CONTRACTS, f"{schema.__name__} is not in CONTRACTS"
        assert CONTRACTS[schema.TYPE].schema is schema
        assert schema.TYPE.startswith(f"shifan.{app_cls.name}.")


# -- (d) what the producers emit, the consumers load
@pytest.fixture(scope="module")
def tree_heads(produced) -> list[dict]:
    """Each service's first signed tree head, as its relay publishes it."""
    heads = []
    for app_cls in APPS:
        app = app_cls(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        ServiceTree(app, Ed25519PrivateKey.generate()).sign(datetime.now(timezone.utc))
        heads += read_public_log(app, 0, 10)
    return heads


def test_the_course_of_one_application_produces_every_public_type(produced, tree_heads):
    assert sorted({e["type"] for e in produced + tree_heads}) == sorted(CONTRACTS)


def test_every_produced_envelope_loads_with_the_consumers_schemas(produced, tree_heads):
    loaded = set()
    for envelope in produced + tree_heads:  # a ValidationError fails the test, naming the field
        Envelope().load(envelope)
        CONTRACTS[envelope["type"]].schema().load(envelope["data"], unknown=RAISE)
        loaded.add(envelope["type"])

    assert loaded == set(CONTRACTS)


def test_no_produced_envelope_carries_the_applicants_contact(produced):
    wire = json.dumps(produced, ensure_ascii=False)

    assert "李四" not in wire and "13800001111" not in wire
