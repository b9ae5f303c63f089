"""The fault suite's checker, after Jepsen's total-queue checker: compares what the clients were
told (acknowledged recommendations) with what the system ends up holding, and every read model
with the registry's log.

- lost: acknowledged, but no unit was certified for it
- duplicated: more than one unit, certificate event or review for one application, or one
  certificate number on two units
- unexpected: a unit for an application no client was told was recommended
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

CERTIFIED = "shifan.registry.unit_certified.v1"
OPENED = "shifan.review.review_opened.v1"


@dataclass
class Verdict:
    lost: list = field(default_factory=list)
    duplicated: list = field(default_factory=list)
    unexpected: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)  # read models that do not show the log's state

    @property
    def counts(self) -> str:
        return f"lost {len(self.lost)} / duplicated {len(self.duplicated)} / unexpected {len(self.unexpected)}"

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unexpected or self.disagreements)


def check(acknowledged: set[str], registry_log: list[dict], review_log: list[dict], units: list[dict],
          deliveries: list[dict], agency_ids: list[str]) -> Verdict:
    """`registry_log`, `review_log`: the services' public events (GET /events); `units`: the
    registry's /units; `deliveries`: notify's /deliveries; `agency_ids`: what the agency wrote."""
    verdict = Verdict()
    certified = [e for e in registry_log if e["type"] == CERTIFIED]
    certified_apps = Counter(e["data"]["application_id"] for e in certified)
    unit_apps = Counter(u["application_id"] for u in units)
    listed_numbers = Counter(u["certificate_no"] for u in units)
    issued_numbers = Counter(e["data"]["certificate_no"] for e in certified)
    opened = Counter(e["data"]["application_id"] for e in review_log if e["type"] == OPENED)

    verdict.lost = sorted(a for a in acknowledged if certified_apps[a] == 0 or unit_apps[a] == 0)
    verdict.unexpected = sorted({a for a in list(certified_apps) + list(unit_apps) if a not in acknowledged})
    verdict.duplicated = sorted(
        [f"application {a}: {n} units" for a, n in unit_apps.items() if n > 1]
        + [f"application {a}: certified {n} times" for a, n in certified_apps.items() if n > 1]
        + [f"certificate {c}: on {n} units" for c, n in listed_numbers.items() if n > 1]
        + [f"certificate {c}: issued {n} times" for c, n in issued_numbers.items() if n > 1]
        + [f"application {a}: {n} reviews opened" for a, n in opened.items() if n > 1])

    # every read model shows the log's state
    by_unit = {e["subject"]: e["data"] for e in certified}
    listed = {u["id"]: (u["application_id"], u["certificate_no"]) for u in units}
    logged = {unit_id: (d["application_id"], d["certificate_no"]) for unit_id, d in by_unit.items()}
    if listed != logged:
        verdict.disagreements.append(f"registry /units: {len(listed)} units, the log certified {len(logged)}; "
                                     f"{len(set(listed.items()) ^ set(logged.items()))} differ")
    delivered = Counter(d["event_id"] for d in deliveries if d["event_type"] == CERTIFIED)
    undelivered = [e["id"] for e in certified if delivered[e["id"]] == 0]
    if undelivered:
        verdict.disagreements.append(f"notify: no delivery of {len(undelivered)} unit_certified events, "
                                     f"e.g. {undelivered[:3]}")
    if agency_ids != [e["id"] for e in registry_log]:
        verdict.disagreements.append(_sequence_difference("agency", agency_ids, [e["id"] for e in registry_log]))
    return verdict


def _sequence_difference(name: str, seen: list[str], log: list[str]) -> str:
    twice = [i for i, n in Counter(seen).items() if n > 1]
    missing = sorted(set(log) - set(seen))
    extra = sorted(set(seen) - set(log))
    in_order = [i for i in seen if i in set(log)] == [i for i in log if i in set(seen)]
    return (f"{name}: {len(seen)} events for the log's {len(log)}: {len(twice)} twice, {len(missing)} missing "
            f"(e.g. {missing[:3]}), {len(extra)} not in the log, {'in' if in_order else 'OUT OF'} order")
