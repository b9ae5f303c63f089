"""The Review and Notice aggregates: expert scores, the conclusion, and the public notice."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

OPEN = "open"
PASSED = "passed"
FAILED = "failed"
NOTICE_OPEN = "open"
NOTICE_CLOSED = "closed"

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/review")


class WrongState(Exception):
    """The review or notice is not in a state that allows the command."""


class Review(Aggregate):
    """One application's review; its id follows from the application's, so it opens only once."""

    @staticmethod
    def create_id(application_id: UUID, **_) -> UUID:
        return uuid5(_NS, f"review/{application_id}")

    @event("Opened")
    def __init__(self, application_id: UUID, program_id: str, unit_name: str, unit_type: str,
                 region_code: str, credit_code: str, experts_required: int, pass_mark: int,
                 at: datetime):
        self.application_id = application_id
        self.program_id = program_id
        self.unit_name = unit_name
        self.unit_type = unit_type
        self.region_code = region_code
        self.credit_code = credit_code
        self.experts_required = experts_required
        self.pass_mark = pass_mark
        self.experts: list[str] = []
        self.scores: dict[str, int] = {}
        self.status = OPEN
        self.mean_score: Decimal | None = None
        self.notice_id: UUID | None = None

    def assign(self, expert_ids: list[str]) -> None:
        if self.status != OPEN:
            raise WrongState(f"review {self.id} is {self.status}; no expert can join it")
        already = sorted(set(expert_ids) & set(self.experts))
        if already:
            raise WrongState(f"already assigned to review {self.id}: {', '.join(already)}")
        if len(set(expert_ids)) != len(expert_ids):
            raise ValueError("an expert is named twice")
        if len(self.experts) + len(expert_ids) > self.experts_required:
            raise WrongState(f"review {self.id} takes {self.experts_required} expert(s); "
                             f"{len(self.experts)} already assigned")
        self._assigned(expert_ids=list(expert_ids), application_id=self.application_id)

    def score(self, expert_id: str, score: int, at: datetime) -> None:
        if self.status != OPEN:
            raise WrongState(f"review {self.id} is {self.status}; it takes no more scores")
        if expert_id not in self.experts:
            raise WrongState(f"expert {expert_id} is not assigned to review {self.id}")
        if expert_id in self.scores:
            raise WrongState(f"expert {expert_id} has already scored review {self.id}")
        if not 0 <= score <= 100:
            raise ValueError("a score lies between 0 and 100")
        self._scored(expert_id=expert_id, score=score, at=at, application_id=self.application_id)
        if len(self.scores) >= self.experts_required:
            mean = (Decimal(sum(self.scores.values())) / len(self.scores)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
            self._concluded(passed=mean >= self.pass_mark, mean_score=mean, at=at,
                            application_id=self.application_id)

    def list_on(self, notice_id: UUID) -> None:
        if self.status != PASSED:
            raise WrongState(f"review {self.id} is {self.status}; only a passed review is noticed")
        if self.notice_id is not None:
            raise WrongState(f"review {self.id} is already on notice {self.notice_id}")
        self._listed(notice_id=notice_id, application_id=self.application_id)

    @event("ExpertsAssigned")
    def _assigned(self, expert_ids: list, application_id: UUID) -> None:
        self.experts.extend(expert_ids)

    @event("Scored")
    def _scored(self, expert_id: str, score: int, at: datetime, application_id: UUID) -> None:
        self.scores[expert_id] = score

    @event("Concluded")
    def _concluded(self, passed: bool, mean_score: Decimal, at: datetime, application_id: UUID) -> None:
        self.status = PASSED if passed else FAILED
        self.mean_score = mean_score

    @event("Listed")
    def _listed(self, notice_id: UUID, application_id: UUID) -> None:
        self.notice_id = notice_id

    def entry(self) -> dict:
        """This unit as a notice lists it."""
        return {"application_id": str(self.application_id), "review_id": str(self.id),
                "unit_name": self.unit_name, "unit_type": self.unit_type,
                "region_code": self.region_code, "credit_code": self.credit_code,
                "program_id": self.program_id,
                "achievements": f"专家评审平均分 {self.mean_score}"}


class Notice(Aggregate):
    """A public notice (公示) of the units that passed review, open for a period of working days."""

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
        self.closed_on: date | None = None

    def close(self, today: date) -> None:
        if self.status != NOTICE_OPEN:
            raise WrongState(f"notice {self.id} is already {self.status}")
        if today <= self.last_day:
            raise WrongState(f"notice {self.id} runs until {self.last_day}; it cannot close on {today}")
        self._closed(closed_on=today, approved=list(self.entries), program_id=self.program_id)

    @event("Closed")
    def _closed(self, closed_on: date, approved: list, program_id: str) -> None:
        self.status = NOTICE_CLOSED
        self.closed_on = closed_on
        self.approved = approved
