"""One service's part of a unit's history: every stored event that concerns the unit, as its
public contract shows it, with who did it, its business time and its aggregate's state after it.

Generic over the services: an event concerns the unit when its public data names one of the
unit's references (its application id, unit id or certificate number) or it belongs to an
aggregate created about the unit (an application, a review, a unit, a delivery); the key fields
of those aggregates' events add references (a certificate number leads to the application id).
A scan of the log (ADR 4), decrypting each event once; it never writes."""
from __future__ import annotations

import json
import weakref
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from shared.audit.plain import TREE_HEAD_TOPIC
from shared.messaging.log import MAX_PAGE, schema_for

KEY_FIELDS = ("application_id", "unit_id", "certificate_no")
# the event attribute that says when it happened in business time: `at` unless named here
WHEN = {
    "shifan.review.notice_published.v1": "published_on",
    "shifan.review.notice_closed.v1": "closed_on",
    "shifan.review.rereview_concluded.v1": "concluded_on",
    "shifan.registry.unit_certified.v1": "valid_from",
    "shifan.registry.rereview_requested.v1": "due_on",
    "shifan.registry.unit_confirmed.v1": "confirmed_on",
    "shifan.registry.unit_revoked.v1": "revoked_on",
    "shifan.registry.unit_given_up.v1": "given_up_on",
    "shifan.registry.unit_amended.v1": "amended_on",
    "shifan.registry.report_submitted.v1": "submitted_on",
}
STATE_FIELDS = ("status", "certificate_no", "unit_name", "valid_from", "rereview_due", "ended_on", "mean_score",
                "decided_by", "closed_on")


def gather(app, refs) -> dict:
    """{"events": [...], "refs": [...], "scanned_with": [...]}: the events of `app`'s log concerning
    the references, the references they add, and those the whole log was scanned with (when they
    equal `refs`, another scan would find nothing more)."""
    refs, owned, aggregates, found = set(map(str, refs)), set(), {}, []
    _resolve(app, refs)
    scanned_with, after, needles = sorted(refs), 0, _needles(refs)
    while page := app.recorder.select_notifications(start=after, limit=MAX_PAGE, inclusive_of_start=False):
        for notification in page:
            if notification.topic == TREE_HEAD_TOPIC:
                continue
            subject, state = str(notification.originator_id), None
            if subject not in aggregates and subject not in refs:  # a cheap test before decoding
                state = _plain_state(app, notification)
                if not any(needle in state for needle in needles):
                    continue  # names no reference: most events of the log
            known = len(refs)
            entry = _consider(app, notification, state, refs, owned, aggregates)
            if entry is not None:
                found.append(entry)
            if len(refs) != known:
                needles = _needles(refs)
        after = page[-1].id
    return {"events": found, "refs": sorted(refs), "scanned_with": scanned_with}


def _resolve(app, refs: set) -> None:
    """Adds the references an aggregate named by a reference carries in its first event (a unit
    names its application and certificate): what the scan adds when it reaches that event, known
    before it starts, so that the references it returns are those it scanned with and the replay
    need not scan this log again (shared/audit/replay.py scans again whenever they differ)."""
    for _ in range(len(KEY_FIELDS)):
        known = len(refs)
        for ref in sorted(refs):
            try:
                first = next(iter(app.events.get(UUID(ref), lte=1)), None)
            except ValueError:  # not a UUID: a certificate number
                continue
            schema = app.public_events.get(type(first))
            if schema is None:
                continue
            data = _plain_tree(schema_for(schema).dump(first))
            if any(str(data.get(k)) in refs for k in KEY_FIELDS):
                refs.update(str(data[k]) for k in KEY_FIELDS if data.get(k) is not None)
        if len(refs) == known:
            return


def _needles(refs: set) -> list[bytes]:
    """How the references can appear in an event's stored JSON (a UUID as 32 hex digits)."""
    found = []
    for ref in refs:
        found.append(ref.encode("utf-8"))
        try:
            found.append(UUID(ref).hex.encode("ascii"))
        except ValueError:
            pass
    return found


def _plain_state(app, notification) -> bytes:
    """The event's stored JSON, decrypted (and decompressed), decoded only if it names a reference."""
    state = notification.state
    if app.mapper.cipher:
        state = app.mapper.cipher.decrypt(state)
    if app.mapper.compressor:
        state = app.mapper.compressor.decompress(state)
    return state


_plain_mappers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _decode(app, notification, state: bytes | None):
    """The domain event, from its already decrypted state when the scan has it (decrypted once)."""
    if state is None:
        return app.mapper.to_domain_event(notification)
    mapper = _plain_mappers.get(app)
    if mapper is None:
        mapper = _plain_mappers[app] = Mapper(app.mapper.transcoder)
    return mapper.to_domain_event(StoredEvent(originator_id=notification.originator_id, topic=notification.topic,
                                              originator_version=notification.originator_version, state=state))


def _consider(app, notification, state: bytes | None, refs: set, owned: set, aggregates: dict) -> dict | None:
    event = _decode(app, notification, state)
    schema = app.public_events[type(event)]
    data = _plain_tree(schema_for(schema).dump(event))
    subject = str(event.originator_id)
    concerns = subject in owned or _names(data, refs)
    if not concerns and subject not in aggregates:
        return None
    if subject not in aggregates and event.originator_version > 1:  # first seen mid-way: its earlier events
        aggregates[subject] = app.repository.get(event.originator_id, version=event.originator_version - 1)
    aggregates[subject] = event.mutate(aggregates.get(subject))
    if not concerns:
        return None  # an event of a shared aggregate (a notice) about another unit: its state only
    if event.originator_version == 1 and any(str(data.get(k)) in refs for k in KEY_FIELDS):
        owned.add(subject)
    if subject in owned:
        refs.update(str(data[k]) for k in KEY_FIELDS if data.get(k) is not None)
    aggregate = aggregates[subject]
    return {"service": app.name, "notification_id": notification.id, "id": f"{app.name}:{notification.id}",
            "type": schema.TYPE, "subject": subject, "version": event.originator_version,
            "recorded_at": event.timestamp.isoformat(), "on": _business_time(event, schema.TYPE), "by": _who(event),
            "aggregate": _label(aggregate), "state": _state(aggregate), "data": data}


def _names(value, refs: set) -> bool:
    if isinstance(value, dict):
        return any(_names(v, refs) for v in value.values())
    if isinstance(value, list):
        return any(_names(v, refs) for v in value)
    return isinstance(value, str) and value in refs


def _business_time(event, type_: str) -> str | None:
    value = getattr(event, WHEN.get(type_, "at"), None)
    return value.isoformat() if isinstance(value, (date, datetime)) else None


def _who(event) -> str | None:
    by = getattr(event, "by", None)
    if isinstance(by, str) and by:
        return by
    expert = getattr(event, "expert_id", None)
    return f"expert:{expert}" if expert else None


def _label(aggregate) -> str:
    label = type(aggregate).__name__.lower()
    return "rereview" if label == "review" and getattr(aggregate, "kind", None) == "rereview" else label


def _state(aggregate) -> dict:
    return {name: _plain(getattr(aggregate, name)) for name in STATE_FIELDS
            if getattr(aggregate, name, None) is not None}


def _plain_tree(value):
    """The dumped data as JSON would give it back (what json.loads(json.dumps(value)) returns)."""
    if isinstance(value, dict):
        return {_plain_key(k): _plain_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_tree(v) for v in value]
    return _plain(value)


def _plain_key(key) -> str:
    return key if isinstance(key, str) else json.dumps(key)


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    raise TypeError(f"cannot show {type(value).__name__} in a replay")
