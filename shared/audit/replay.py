"""A unit's whole history across the services: each service's part (shared/audit/gather.py)
merged into one timeline in causal order, with the unit's state after every event, and the state
as it stood on a given date. Pure: it reads, never writes, and the same stores give the same answer.

Causal order: each service's events in its log order; a reaction after its trigger (a review
after the recommendation, a certification after the notice closed, a delivery after the event it
tells of); otherwise by the time each was stored."""
from __future__ import annotations

import heapq
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Mapping
from uuid import UUID

from shared.errors import NotFound

CHINA = timezone(timedelta(hours=8))
ORDER = ("registry", "review", "applications", "notify")  # the registry binds every reference of a unit
# (service, aggregate) whose state is the unit's: what `state` shows after each event
UNIT_STATE = {("applications", "application"): "application", ("review", "review"): "review",
              ("review", "notice"): "notice", ("review", "rereview"): "rereview", ("registry", "unit"): "unit"}
CERTIFICATE_NO = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{4}-[0-9]{5}$")


def _trigger(type_: str, data: dict):
    """(type, field, value) of the event that caused this one, for reactions to upstream events."""
    if type_ == "shifan.review.review_opened.v1":
        if data.get("kind") == "rereview":
            return "shifan.registry.rereview_requested.v1", "unit_id", data.get("unit_id")
        return "shifan.applications.application_recommended.v1", "application_id", data.get("application_id")
    if type_ == "shifan.registry.unit_certified.v1":
        return "shifan.review.notice_closed.v1", "notice_id", data.get("notice_id")
    if type_ in ("shifan.registry.unit_confirmed.v1", "shifan.registry.unit_revoked.v1") and data.get("rereview_id"):
        return "shifan.review.rereview_concluded.v1", "rereview_id", data.get("rereview_id")
    return None


def check_reference(ident: str) -> str:
    """A unit id, an application id or a certificate number; anything else names no unit."""
    try:
        return str(UUID(ident))
    except ValueError:
        if CERTIFICATE_NO.match(ident):
            return ident
    raise NotFound("unit", ident)


def replay(ident: str, sources: Mapping[str, Callable[[list], dict]], at: date | datetime | None = None) -> dict:
    """The timeline of the unit `ident` names, from `sources` (service -> gather(refs))."""
    ident = check_reference(ident)
    refs, parts, scanned_with = {ident}, {}, {}
    services = [s for s in ORDER if s in sources] + sorted(set(sources) - set(ORDER))
    for _ in range(3):  # until no service was scanned with fewer references than are known
        stale = [s for s in services if scanned_with.get(s) != refs]
        if not stale:
            break
        for service in stale:
            answer = sources[service](sorted(refs))
            # the references the service scanned its whole log with: those sent, or more when it
            # found some before scanning (shared/audit/gather.py); a source that does not say, those sent
            scanned_with[service] = set(answer.get("scanned_with", ())) | refs
            parts[service] = answer["events"]
            refs |= set(answer["refs"])
    events = [e for s in services for e in parts.get(s, [])]
    if not events:
        raise NotFound("unit", ident)
    timeline = _causal_order(events)
    _annotate(timeline)
    shown = timeline if at is None else [e for e in timeline if _on_or_before(e["effective"], at)]
    return {"query": ident, "unit": _references(timeline), "at": _iso(at), "events": shown,
            "state": shown[-1]["unit_state"] if shown else {}, "as_of_event": shown[-1]["id"] if shown else None}


def parse_at(text: str) -> date | datetime:
    """`--at`: a day (YYYY-MM-DD, to its end in China) or an ISO datetime with its offset."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is neither a date (YYYY-MM-DD) nor an ISO datetime") from None


def _causal_order(events: list[dict]) -> list[dict]:
    key = {e["id"]: (e["recorded_at"], ORDER.index(e["service"]) if e["service"] in ORDER else 9,
                     e["notification_id"]) for e in events}
    after: dict[str, set] = {e["id"]: set() for e in events}  # id -> ids that must come first
    by_service: dict[str, list] = {}
    for e in sorted(events, key=lambda e: e["notification_id"]):
        chain = by_service.setdefault(e["service"], [])
        if chain:
            after[e["id"]].add(chain[-1]["id"])
        chain.append(e)
    by_id, by_type = {e["id"]: e for e in events}, {}
    for e in events:
        by_type.setdefault(e["type"], []).append(e)
    for e in events:
        cause = _cause(e, by_id, by_type)
        if cause is not None:
            e["cause"] = cause["id"]
            after[e["id"]].add(cause["id"])
    ready = [(key[i], i) for i, deps in after.items() if not deps]
    heapq.heapify(ready)
    waiting = {i: set(deps) for i, deps in after.items() if deps}
    followers: dict[str, list] = {}  # id -> ids waiting for it
    for j, deps in waiting.items():
        for i in deps:
            followers.setdefault(i, []).append(j)
    ordered, placed = [], set()
    while ready or waiting:
        if not ready:  # a cycle would be a bug in the causes: fall back to storage order
            i = min(waiting, key=key.get)
            heapq.heappush(ready, (key[i], i))
            del waiting[i]
        _, i = heapq.heappop(ready)
        if i in placed:
            continue
        placed.add(i)
        ordered.append(by_id[i])
        for j in followers.get(i, ()):
            if j in waiting:
                waiting[j].discard(i)
                if not waiting[j]:
                    del waiting[j]
                    heapq.heappush(ready, (key[j], j))
    return ordered


def _cause(event: dict, by_id: dict, by_type: dict) -> dict | None:
    if event["type"].endswith(".delivery_recorded.v1"):
        return by_id.get(event["data"].get("event_id"))
    trigger = _trigger(event["type"], event["data"])
    if trigger is None:
        return None
    type_, field, value = trigger
    candidates = [e for e in by_type.get(type_, ()) if e["data"].get(field) == value]
    before = [e for e in candidates if e["recorded_at"] <= event["recorded_at"]]
    return max(before, key=lambda e: e["recorded_at"]) if before else (candidates[0] if candidates else None)


def _annotate(timeline: list[dict]) -> None:
    """Who (a reaction: the service itself), when in business time (never before the event
    before it), and the unit's state after each event."""
    state, effective = {}, None
    for e in timeline:
        if e["by"] is None:  # nobody is named in the event: the service recorded it (reacting to its cause)
            e["by"] = e["service"] + (f" (on {e['cause']})" if e.get("cause") else "")
        own = _moment(e["on"]) if e["on"] else _moment(e["recorded_at"])
        effective = own if effective is None or own > effective else effective
        e["effective"] = effective.isoformat()
        e["on"] = effective.astimezone(CHINA).date().isoformat()
        label = UNIT_STATE.get((e["service"], e["aggregate"]))
        if label is not None:
            state = {**state, label: e["state"]}
        e["unit_state"] = state


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if len(text) == 10:  # a business date: the start of that day in China
        return datetime.combine(value.date(), time(0), CHINA)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _on_or_before(effective: str, at: date | datetime) -> bool:
    moment = datetime.fromisoformat(effective)
    if isinstance(at, datetime):
        return moment <= (at if at.tzinfo else at.replace(tzinfo=CHINA))
    return moment.astimezone(CHINA).date() <= at


def _references(timeline: list[dict]) -> dict:
    found = {}
    for e in timeline:
        for name in ("application_id", "unit_id", "certificate_no"):
            if (e["service"], e["aggregate"]) in UNIT_STATE and e["data"].get(name) and name not in found:
                found[name] = e["data"][name]
    return found


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
