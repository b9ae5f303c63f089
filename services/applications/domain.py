"""The Application aggregate: one unit's application and the city department's decision on it."""
from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate, event

SUBMITTED = "submitted"
RECOMMENDED = "recommended"
DECLINED = "declined"

UNIT_TYPES = ("enterprise", "base", "rural_county")


class WrongState(Exception):
    """The application is not in a state that allows the command."""


class Application(Aggregate):
    @event("Submitted")
    def __init__(self, program_id: str, round_id: str, credit_code: str, unit_name: str,
                 unit_type: str, region_code: str, contact: dict, figures: dict, at: datetime):
        self.program_id = program_id
        self.round_id = round_id
        self.credit_code = credit_code
        self.unit_name = unit_name
        self.unit_type = unit_type
        self.region_code = region_code
        self.contact = contact  # personal data: never published
        self.figures = figures
        self.submitted_at = at
        self.status = SUBMITTED
        self.decided_by: str | None = None
        self.decision_reason: str | None = None

    def recommend(self, by: str, at: datetime) -> None:
        self._require(SUBMITTED, "recommend")
        self._recommended(by=by, at=at, **self._summary())

    def decline(self, by: str, reason: str, at: datetime) -> None:
        self._require(SUBMITTED, "decline")
        self._declined(by=by, reason=reason, at=at)

    # The Recommended event carries the unit's summary, so the review needs nothing else.
    @event("Recommended")
    def _recommended(self, by: str, at: datetime, program_id: str, round_id: str, credit_code: str,
                     unit_name: str, unit_type: str, region_code: str, figures: dict) -> None:
        self.status = RECOMMENDED
        self.decided_by = by

    @event("Declined")
    def _declined(self, by: str, reason: str, at: datetime) -> None:
        self.status = DECLINED
        self.decided_by = by
        self.decision_reason = reason

    def _summary(self) -> dict:
        return {"program_id": self.program_id, "round_id": self.round_id,
                "credit_code": self.credit_code, "unit_name": self.unit_name,
                "unit_type": self.unit_type, "region_code": self.region_code,
                "figures": dict(self.figures)}

    def _require(self, status: str, action: str) -> None:
        if self.status != status:
            raise WrongState(f"cannot {action} application {self.id}: it is {self.status}, not {status}")
