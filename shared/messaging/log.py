"""A service's notification log seen as public events: what the relay publishes and read_log serves."""
from __future__ import annotations

from eventsourcing.persistence import Notification

from shared.contracts.envelope import encode, make_envelope
from shared.correlation import of_event
from shared.messaging.envelopes import envelope_cache

MAX_PAGE = 500


class UnpublishedEventType(LookupError):
    """A stored event has no public contract: a programming error, never skipped silently."""


def envelope_of(app, notification: Notification) -> dict:
    """The CloudEvent for one stored notification of a ServiceApplication."""
    event = app.mapper.to_domain_event(notification)
    schema_cls = app.public_events.get(type(event))
    if schema_cls is None:
        raise UnpublishedEventType(
            f"{type(event).__qualname__} (notification {notification.id} of {app.name}) "
            "has no entry in public_events"
        )
    return make_envelope(
        service=app.name,
        notification_id=notification.id,
        type_=schema_cls.TYPE,
        subject=str(event.originator_id),
        time=event.timestamp,
        data=schema_for(schema_cls).dump(event),
        correlation_id=of_event(event),
    )


def read_public_log(app, after: int, limit: int) -> list[dict]:
    """Public events with notification ids greater than `after`, oldest first, at most `limit`
    (capped at MAX_PAGE)."""
    limit = max(1, min(int(limit), MAX_PAGE))
    notifications = app.recorder.select_notifications(
        start=max(int(after), 0), limit=limit, inclusive_of_start=False
    )
    return [envelope_of(app, n) for n in notifications]


def encoded_public_log(app, after: int, limit: int) -> list[tuple[int, bytes]]:
    """(notification id, encoded envelope) of the public events read_public_log would return: what
    the paged feed serves, from the envelope cache beside the store (shared/messaging/envelopes.py),
    each built and kept there the first time it is read."""
    limit = max(1, min(int(limit), MAX_PAGE))
    notifications = app.recorder.select_notifications(
        start=max(int(after), 0), limit=limit, inclusive_of_start=False
    )
    cache = envelope_cache(app)
    found = cache.get(notifications) if cache is not None else {}
    built = [(n, encode(envelope_of(app, n))) for n in notifications if n.id not in found]
    if cache is not None:
        cache.put(built)
    found.update((n.id, body) for n, body in built)
    return [(n.id, found[n.id]) for n in notifications]


_schemas: dict[type, object] = {}


def schema_for(schema_cls):
    schema = _schemas.get(schema_cls)
    if schema is None:
        schema = _schemas[schema_cls] = schema_cls()
    return schema


def public_history(app, aggregate_id) -> list[dict]:
    """One aggregate's stored events as their public contracts show them, oldest first."""
    history = []
    for event in app.events.get(aggregate_id):
        schema_cls = app.public_events[type(event)]
        history.append({"type": schema_cls.TYPE, "version": event.originator_version,
                        "at": event.timestamp.isoformat(), "data": schema_for(schema_cls).dump(event)})
    return history
