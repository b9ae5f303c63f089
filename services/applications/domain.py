"""The applications service's aggregates: a Round of a program, an Application's life up to the
city's decision, and the Quota a recommending authority may fill in a round."""
from __future__ import annotations

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
RECOMMENDED = "recommended"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

UNIT_TYPES = ("enterprise", "base", "rural_county")
EDITABLE = (DRAFT, RETURNED)

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/applications")


class WrongState(Exception):
    """The aggregate is not in a state that allows the command."""


class QuotaFull(WrongState):
    """The recommending authority has used its quota for this unit type in this round."""


class Round(Aggregate):
    """A call for applications under one program, with a submission deadline."""

    @staticmethod
    def create_id(program_id: str, label: str, **_) -> UUID:
        return uuid5(_NS, f"round/{program_id}/{label}")

    @event("Opened")
    def __init__(self, program_id: str, program_version: str, label: str, submission_deadline: date,
                 by: str, at: datetime):
        self.program_id = program_id
        self.program_version = program_version
        self.label = label
        self.submission_deadline = submission_deadline
        self.opened_by = by
        self.opened_at = at

    def require_open_for_submission(self, today: date) -> None:
        if today > self.submission_deadline:
            raise WrongState(f"round {self.label} closed for submissions on {self.submission_deadline}; "
                             f"it is {today}, so this submission is late")


class Application(Aggregate):
    """One unit's application: drafted and submitted by the applicant, returned, recommended or
    declined by its recommending authority (the province for provincial-level enterprises)."""

    @event("Drafted")
    def __init__(self, round_id: UUID, program_id: str, credit_code: str, unit_name: str,
                 unit_type: str, subtype: str | None, region_code: str, provincial_level: bool,
                 recommender: str, contact: dict, figures: dict, declarations: dict, by: str,
                 at: datetime):
        self.round_id = round_id
        self.program_id = program_id
        self.credit_code = credit_code
        self.unit_name = unit_name
        self.unit_type = unit_type
        self.subtype = subtype
        self.region_code = region_code
        self.provincial_level = provincial_level
        self.recommender = recommender
        self.contact = contact  # personal data: never published
        self.figures = figures
        self.declarations = declarations
        self.status = DRAFT
        self.drafted_at = at
        self.submitted_at: datetime | None = None
        self.program_version: str | None = None
        self.eligibility: dict | None = None
        self.return_reasons: list[str] = []
        self.decided_by: str | None = None
        self.decision_reason: str | None = None

    def amend(self, changes: dict, by: str, at: datetime) -> None:
        self._require(EDITABLE, "amend")
        if changes:
            self._amended(changes=changes, by=by, at=at)

    def submit(self, program_version: str, eligibility: dict, by: str, at: datetime) -> None:
        self._require(EDITABLE, "submit")
        self._submitted(program_version=program_version, eligibility=eligibility,
                        resubmission=self.status == RETURNED, by=by, at=at, summary=self.summary())

    def return_for_correction(self, reasons: list[str], by: str, at: datetime) -> None:
        self._require((SUBMITTED,), "return")
        self._returned(reasons=list(reasons), by=by, at=at, unit=self.unit_ref())

    def recommend(self, by: str, note: str, at: datetime) -> None:
        self._require((SUBMITTED,), "recommend")
        self._recommended(by=by, note=note, at=at, program_version=self.program_version,
                          eligibility=self.eligibility, summary=self.summary())

    def decline(self, by: str, reason: str, at: datetime) -> None:
        self._require((SUBMITTED,), "decline")
        self._declined(by=by, reason=reason, at=at, unit=self.unit_ref())

    def withdraw(self, by: str, reason: str, at: datetime) -> None:
        self._require((DRAFT, SUBMITTED, RETURNED), "withdraw")
        self._withdrawn(by=by, reason=reason, at=at, unit=self.unit_ref())

    @event("Amended")
    def _amended(self, changes: dict, by: str, at: datetime) -> None:
        for name, value in changes.items():
            setattr(self, name, value)

    # Submitted and Recommended carry the unit's summary, so their readers need nothing else.
    @event("Submitted")
    def _submitted(self, program_version: str, eligibility: dict, resubmission: bool, by: str,
                   at: datetime, summary: dict) -> None:
        self.status = SUBMITTED
        self.submitted_at = at
        self.program_version = program_version
        self.eligibility = eligibility

    @event("Returned")
    def _returned(self, reasons: list, by: str, at: datetime, unit: dict) -> None:
        self.status = RETURNED
        self.return_reasons = reasons

    @event("Recommended")
    def _recommended(self, by: str, note: str, at: datetime, program_version: str, eligibility: dict,
                     summary: dict) -> None:
        self.status = RECOMMENDED
        self.decided_by = by

    @event("Declined")
    def _declined(self, by: str, reason: str, at: datetime, unit: dict) -> None:
        self.status = DECLINED
        self.decided_by = by
        self.decision_reason = reason

    @event("Withdrawn")
    def _withdrawn(self, by: str, reason: str, at: datetime, unit: dict) -> None:
        self.status = WITHDRAWN
        self.decision_reason = reason

    def unit_ref(self) -> dict:
        """Who the application is about and who decides it: what every later event carries."""
        return {"credit_code": self.credit_code, "unit_name": self.unit_name,
                "region_code": self.region_code, "recommender": self.recommender}

    def summary(self) -> dict:
        """What the unit is, as its readers downstream need it (no personal data)."""
        return {"round_id": self.round_id, "program_id": self.program_id,
                "credit_code": self.credit_code, "unit_name": self.unit_name,
                "unit_type": self.unit_type, "subtype": self.subtype,
                "region_code": self.region_code, "provincial_level": self.provincial_level,
                "recommender": self.recommender, "figures": dict(self.figures),
                "declarations": dict(self.declarations)}

    def _require(self, statuses: tuple, action: str) -> None:
        if self.status not in statuses:
            raise WrongState(f"cannot {action} application {self.id}: it is {self.status}, "
                             f"not {' or '.join(statuses)}")


class Quota(Aggregate):
    """How many units of one type a recommending authority may recommend in a round.

    The limit is "in principle" (原则上): the province can raise it, with a recorded reason.
    A limit of None means the authority is exempt (Chengdu)."""

    @staticmethod
    def create_id(round_id: UUID, recommender: str, unit_type: str, **_) -> UUID:
        return uuid5(_NS, f"quota/{round_id}/{recommender}/{unit_type}")

    @event("Opened")
    def __init__(self, round_id: UUID, recommender: str, unit_type: str, limit: int | None):
        self.round_id = round_id
        self.recommender = recommender
        self.unit_type = unit_type
        self.limit = limit
        self.extra = 0
        self.used: list[UUID] = []
        self.raises: list[dict] = []

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else self.limit + self.extra - len(self.used)

    def take(self, application_id: UUID) -> None:
        if self.remaining is not None and self.remaining <= 0:
            raise QuotaFull(f"the quota of {self.recommender} for {self.unit_type} in this round is full "
                            f"({len(self.used)} of {self.limit + self.extra} recommended); going over it "
                            "takes a provincial decision with a reason")
        self._taken(application_id=application_id)

    def raise_limit(self, extra: int, reason: str, by: str, at: datetime) -> None:
        if self.limit is None:
            raise WrongState(f"{self.recommender} has no quota for {self.unit_type}: it is exempt")
        self._raised(extra=extra, reason=reason, by=by, at=at)

    @event("Taken")
    def _taken(self, application_id: UUID) -> None:
        self.used.append(application_id)

    @event("Raised")
    def _raised(self, extra: int, reason: str, by: str, at: datetime) -> None:
        self.extra += extra
        self.raises.append({"extra": extra, "reason": reason, "by": by, "at": at.isoformat()})
