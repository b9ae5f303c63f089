"""The review service's Expert and Review aggregates: the province's pool of experts, and the
expert review of one recommended application (or one certified unit's re-review)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

OPEN = "open"
PASSED = "passed"
FAILED = "failed"
APPLICATION = "application"   # a review of a recommended application
REREVIEW = "rereview"         # a certified unit's two-yearly re-review (复核)

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/review")


class WrongState(Exception):
    """The aggregate is not in a state that allows the command."""


class Expert(Aggregate):
    """An expert of the province's pool: organisation, region and declared interests."""

    @staticmethod
    def create_id(expert_id: str, **_) -> UUID:
        return uuid5(_NS, f"expert/{expert_id}")

    @event("Registered")
    def __init__(self, expert_id: str, name: str, organisation: str, organisation_credit_code: str | None,
                 region_code: str, interests: list, by: str):
        self.expert_id = expert_id
        self.name = name  # personal data: never published
        self.organisation = organisation
        self.organisation_credit_code = organisation_credit_code
        self.region_code = region_code
        self.interests = list(interests)

    def declare_interests(self, credit_codes: list[str], by: str) -> None:
        new = [c for c in dict.fromkeys(credit_codes) if c not in self.interests]
        if new:
            self._interests_declared(credit_codes=new, by=by)

    @event("InterestsDeclared")
    def _interests_declared(self, credit_codes: list, by: str) -> None:
        self.interests.extend(credit_codes)

    def conflict_with(self, credit_code: str) -> str | None:
        """Why this expert may not review the unit with this credit code, or None."""
        if self.organisation_credit_code and self.organisation_credit_code == credit_code:
            return f"expert {self.expert_id} works for the applicant ({self.organisation})"
        if credit_code in self.interests:
            return f"expert {self.expert_id} declared an interest in {credit_code}"
        return None


class Review(Aggregate):
    """Expert review of one unit. An application's review has an id that follows from the
    application's, a re-review one that follows from the unit and its due date: each opens once."""

    @staticmethod
    def create_id(application_id: UUID, kind: str = APPLICATION, unit_id: UUID | None = None,
                  due_on: date | None = None, **_) -> UUID:
        if kind == REREVIEW:
            return uuid5(_NS, f"rereview/{unit_id}/{due_on}")
        return uuid5(_NS, f"review/{application_id}")

    @event("Opened")
    def __init__(self, application_id: UUID, program_id: str, program_version: str, unit_name: str,
                 unit_type: str, subtype: str | None, region_code: str, credit_code: str,
                 experts_required: int, pass_mark: int, scoring: list, eligibility: dict, at: datetime,
                 kind: str = APPLICATION, unit_id: UUID | None = None, due_on: date | None = None,
                 round_id: UUID | None = None):
        self.application_id = application_id
        self.program_id = program_id
        self.program_version = program_version
        self.unit_name = unit_name
        self.unit_type = unit_type
        self.subtype = subtype
        self.region_code = region_code
        self.credit_code = credit_code
        self.experts_required = experts_required
        self.pass_mark = pass_mark
        self.scoring = scoring            # [{"id", "label", "weight"}] from the program file
        self.eligibility = eligibility    # the rules engine's report the review opened with
        self.kind = kind
        self.round_id = round_id
        self.unit_id = unit_id
        self.due_on = due_on
        self.experts: list[str] = []
        self.recused: dict[str, str] = {}
        self.scores: dict[str, dict] = {}  # expert -> {"items": {...}, "total": Decimal}
        self.overrides: dict[str, str] = {}
        self.status = OPEN
        self.mean_score: Decimal | None = None
        self.outcome_reasons: list[str] = []
        self.notice_id: UUID | None = None

    # -- experts
    def assign(self, expert_ids: list[str]) -> None:
        self._require_open("no expert can join it")
        if len(set(expert_ids)) != len(expert_ids):
            raise ValueError("an expert is named twice")
        again = sorted(set(expert_ids) & (set(self.experts) | set(self.recused)))
        if again:
            raise WrongState(f"already assigned to review {self.id} (or recused from it): {', '.join(again)}")
        if len(self.experts) + len(expert_ids) > self.experts_required:
            raise WrongState(f"review {self.id} takes {self.experts_required} expert(s); "
                             f"{len(self.experts)} already assigned")
        self._assigned(expert_ids=list(expert_ids), application_id=self.application_id)

    def recuse(self, expert_id: str, reason: str) -> None:
        self._require_open("there is nothing to recuse from")
        if expert_id not in self.experts:
            raise WrongState(f"expert {expert_id} is not assigned to review {self.id}")
        if expert_id in self.scores:
            raise WrongState(f"expert {expert_id} has already scored review {self.id}")
        self._recused(expert_id=expert_id, reason=reason, application_id=self.application_id)

    @property
    def places_left(self) -> int:
        return self.experts_required - len(self.experts)

    # -- scores and the conclusion
    def score(self, expert_id: str, items: dict, at: datetime) -> None:
        self._require_open("it takes no more scores")
        if expert_id not in self.experts:
            raise WrongState(f"expert {expert_id} is not assigned to review {self.id}")
        if expert_id in self.scores:
            raise WrongState(f"expert {expert_id} has already scored review {self.id}")
        expected = [item["id"] for item in self.scoring]
        if sorted(items) != sorted(expected):
            raise ValueError(f"score every criterion of the program, and only those: {', '.join(expected)}")
        if any(not 0 <= value <= 100 for value in items.values()):
            raise ValueError("each criterion is scored from 0 to 100")
        weights = {item["id"]: item["weight"] for item in self.scoring}
        total = (Decimal(sum(weights[k] * v for k, v in items.items())) / sum(weights.values())).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        self._scored(expert_id=expert_id, items=dict(items), total=total, at=at,
                     application_id=self.application_id)
        self._conclude_if_complete(at)

    def override(self, criterion_id: str, reason: str, by: str, at: datetime) -> None:
        """The province accepts a failed eligibility criterion, with a recorded reason."""
        self._require_open("its conclusion stands")
        if criterion_id not in self.failed_criteria():
            raise WrongState(f"{criterion_id} did not fail in the eligibility report of review {self.id}")
        self._overridden(criterion_id=criterion_id, reason=reason, by=by, at=at,
                         application_id=self.application_id)
        self._conclude_if_complete(at)

    def failed_criteria(self) -> list[str]:
        return [c["id"] for c in self.eligibility.get("criteria", []) if not c.get("passed")]

    def _conclude_if_complete(self, at: datetime) -> None:
        if len(self.scores) < self.experts_required or len(self.experts) < self.experts_required:
            return
        mean = (sum((s["total"] for s in self.scores.values()), Decimal(0)) / len(self.scores)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
        reasons = [f"{c['id']}: {c.get('rule', '')}".strip() for c in self.eligibility.get("criteria", [])
                   if not c.get("passed") and c["id"] not in self.overrides]
        if not self.eligibility.get("criteria") and not self.eligibility.get("eligible", False):
            reasons.append(self.eligibility.get("problem", "no eligibility report"))
        if mean < self.pass_mark:
            reasons.append(f"mean score {mean} is below the pass mark {self.pass_mark}")
        if self.kind == REREVIEW:
            self._rereview_concluded(outcome="revoke" if reasons else "confirm", reasons=reasons,
                                     mean_score=mean, concluded_on=_china_date(at), unit_id=self.unit_id, at=at)
        else:
            self._concluded(passed=not reasons, mean_score=mean, reasons=reasons, at=at,
                            application_id=self.application_id)

    def require_listable(self) -> None:
        if self.kind != APPLICATION or self.status != PASSED:
            raise WrongState(f"review {self.id} is {self.status}; only a passed application is noticed")
        if self.notice_id is not None:
            raise WrongState(f"review {self.id} is already on notice {self.notice_id}")

    def list_on(self, notice_id: UUID) -> None:
        self.require_listable()
        self._listed(notice_id=notice_id, application_id=self.application_id)

    def entry(self, achievements: str | None = None) -> dict:
        """This unit as a notice lists it, with its main achievements."""
        return {"application_id": str(self.application_id), "review_id": str(self.id),
                "unit_name": self.unit_name, "unit_type": self.unit_type, "subtype": self.subtype,
                "region_code": self.region_code, "credit_code": self.credit_code,
                "program_id": self.program_id, "round_id": str(self.round_id) if self.round_id else None,
                "mean_score": str(self.mean_score),
                "achievements": achievements or f"专家评审平均分 {self.mean_score}"}

    def _require_open(self, why: str) -> None:
        if self.status != OPEN:
            raise WrongState(f"review {self.id} is {self.status}; {why}")

    # -- events
    @event("ExpertsAssigned")
    def _assigned(self, expert_ids: list, application_id: UUID) -> None:
        self.experts.extend(expert_ids)

    @event("ExpertRecused")
    def _recused(self, expert_id: str, reason: str, application_id: UUID) -> None:
        self.experts.remove(expert_id)
        self.recused[expert_id] = reason

    @event("Scored")
    def _scored(self, expert_id: str, items: dict, total: Decimal, at: datetime, application_id: UUID) -> None:
        self.scores[expert_id] = {"items": items, "total": total}

    @event("CriterionOverridden")
    def _overridden(self, criterion_id: str, reason: str, by: str, at: datetime, application_id: UUID) -> None:
        self.overrides[criterion_id] = reason

    @event("Concluded")
    def _concluded(self, passed: bool, mean_score: Decimal, reasons: list, at: datetime,
                   application_id: UUID) -> None:
        self.status = PASSED if passed else FAILED
        self.mean_score = mean_score
        self.outcome_reasons = reasons

    @event("RereviewConcluded")
    def _rereview_concluded(self, outcome: str, reasons: list, mean_score: Decimal, concluded_on: date,
                            unit_id: UUID, at: datetime) -> None:
        self.status = PASSED if outcome == "confirm" else FAILED
        self.mean_score = mean_score
        self.outcome_reasons = reasons

    @event("Listed")
    def _listed(self, notice_id: UUID, application_id: UUID) -> None:
        self.notice_id = notice_id


def _china_date(moment: datetime) -> date:
    """Days are China's days (ADR 9)."""
    return moment.astimezone(timezone(timedelta(hours=8))).date()
