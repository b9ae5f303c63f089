"""The Notice aggregate: the public notice (公示) of the units that passed review, its period of
working days, and the objections anyone may file during it."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.review.domain import WrongState

NOTICE_OPEN = "open"
NOTICE_CLOSED = "closed"
UPHELD = "upheld"
DISMISSED = "dismissed"


class Notice(Aggregate):
    @event("Published")
    def __init__(self, program_id: str, entries: list, published_on: date, first_day: date,
                 last_day: date, end_estimated: bool):
        self.program_id = program_id
        self.entries = entries
        self.published_on = published_on
        self.first_day = first_day
        self.last_day = last_day
        self.end_estimated = end_estimated
        self.status = NOTICE_OPEN
        self.objections: dict[str, dict] = {}
        self.closed_on: date | None = None
        self.approved: list = []

    def file_objection(self, objection_id: str, application_id: str, name: str, contact: str, reason: str,
                       today: date, at: datetime) -> None:
        if self.status != NOTICE_OPEN:
            raise WrongState(f"notice {self.id} is closed; objections are no longer taken")
        if not self.first_day <= today <= self.last_day:
            raise WrongState(f"objections to notice {self.id} are taken from {self.first_day} to {self.last_day};"
                             f" it is {today}")
        if application_id not in {e["application_id"] for e in self.entries}:
            raise ValueError(f"application {application_id} is not listed on notice {self.id}")
        self._objection_filed(objection_id=objection_id, application_id=application_id, name=name,
                              contact=contact, reason=reason, filed_on=today, at=at)

    def resolve_objection(self, objection_id: str, decision: str, reason: str, by: str, at: datetime) -> None:
        objection = self.objections.get(objection_id)
        if objection is None:
            raise LookupError(objection_id)
        if objection["decision"] is not None:
            raise WrongState(f"objection {objection_id} was already {objection['decision']}")
        if decision not in (UPHELD, DISMISSED):
            raise ValueError("the decision is upheld or dismissed")
        self._objection_resolved(objection_id=objection_id, application_id=objection["application_id"],
                                 decision=decision, reason=reason, by=by, at=at)

    @property
    def open_objections(self) -> list[str]:
        return [i for i, o in self.objections.items() if o["decision"] is None]

    def close(self, today: date) -> None:
        if self.status != NOTICE_OPEN:
            raise WrongState(f"notice {self.id} is already {self.status}")
        if today <= self.last_day:
            raise WrongState(f"notice {self.id} runs until {self.last_day}; it cannot close on {today}")
        if self.open_objections:
            raise WrongState(f"notice {self.id} has {len(self.open_objections)} objection(s) to resolve first")
        upheld = {o["application_id"] for o in self.objections.values() if o["decision"] == UPHELD}
        approved = [e for e in self.entries if e["application_id"] not in upheld]
        self._closed(closed_on=today, approved=approved, program_id=self.program_id)

    @event("ObjectionFiled")
    def _objection_filed(self, objection_id: str, application_id: str, name: str, contact: str, reason: str,
                         filed_on: date, at: datetime) -> None:
        self.objections[objection_id] = {"application_id": application_id, "name": name, "contact": contact,
                                         "reason": reason, "filed_on": filed_on, "decision": None,
                                         "resolution": None}

    @event("ObjectionResolved")
    def _objection_resolved(self, objection_id: str, application_id: str, decision: str, reason: str, by: str,
                            at: datetime) -> None:
        self.objections[objection_id].update(decision=decision, resolution=reason)

    @event("Closed")
    def _closed(self, closed_on: date, approved: list, program_id: str) -> None:
        self.status = NOTICE_CLOSED
        self.closed_on = closed_on
        self.approved = approved
