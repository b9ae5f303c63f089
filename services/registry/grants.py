"""The Standard, Grant and GrantBudget aggregates: standards a program tracks from project to
publication, one-off grants and subsidies paid to units, and each year's budget they draw on."""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.registry.domain import WrongState

# 立项 -> 起草 -> 报批 -> 发布: a standard moves forward one step at a time
STANDARD_STATUSES = ("project", "drafting", "approval", "published")
STANDARD_LEVELS = ("national", "industry", "local")

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/registry/grants")


class Standard(Aggregate):
    """A national, industry or local standard, with the units that take part in drafting it."""

    @staticmethod
    def create_id(program_id: str, code: str, **_) -> UUID:
        return uuid5(_NS, f"standard/{program_id}/{code}")

    @event("Registered")
    def __init__(self, program_id: str, code: str, title: str, level: str, status: str, drafters: list,
                 registered_on: date):
        self.program_id = program_id
        self.code = code
        self.title = title
        self.level = level
        self.status = status
        self.drafters = drafters  # [{"credit_code", "unit_name"}]
        self.registered_on = registered_on
        self.history = [{"status": status, "on": registered_on}]

    def drafted_by(self, credit_code: str) -> bool:
        return any(d["credit_code"] == credit_code for d in self.drafters)

    def advance(self, status: str, today: date) -> None:
        """Moves to the next status (project, drafting, approval, published); never back, never skipping."""
        current = STANDARD_STATUSES.index(self.status)
        if status not in STANDARD_STATUSES or STANDARD_STATUSES.index(status) != current + 1:
            nxt = STANDARD_STATUSES[current + 1] if current + 1 < len(STANDARD_STATUSES) else None
            raise WrongState(f"standard {self.code} is {self.status}; " +
                             (f"its next status is {nxt}, not {status}" if nxt else "it is already published"))
        self._advanced(status=status, previous=self.status, on=today, program_id=self.program_id)

    @event("Advanced")
    def _advanced(self, status: str, previous: str, on: date, program_id: str) -> None:
        self.status = status
        self.history.append({"status": status, "on": on})


class Grant(Aggregate):
    """One payment of one scheme to one unit for one subject (a standard, the unit itself, or a
    year): its id follows from those, so the same unit is never paid twice for the same thing."""

    @staticmethod
    def create_id(program_id: str, scheme: str, credit_code: str, subject: str, **_) -> UUID:
        return uuid5(_NS, f"grant/{program_id}/{scheme}/{credit_code}/{subject}")

    @event("Paid")
    def __init__(self, program_id: str, scheme: str, subject: str, credit_code: str, unit_name: str,
                 region_code: str, year: int, amount: int, basis: str, paid_on: date,
                 standard_id: UUID | None = None, unit_id: UUID | None = None):
        self.program_id = program_id
        self.scheme = scheme
        self.subject = subject
        self.credit_code = credit_code
        self.unit_name = unit_name
        self.region_code = region_code
        self.year = year
        self.amount = amount
        self.basis = basis
        self.paid_on = paid_on
        self.standard_id = standard_id
        self.unit_id = unit_id


class BudgetExceeded(WrongState):
    """The year's budget cannot pay this grant."""


class GrantBudget(Aggregate):
    """A program's grant budget for one year and what has been paid from it."""

    @staticmethod
    def create_id(program_id: str, year: int, **_) -> UUID:
        return uuid5(_NS, f"budget/{program_id}/{year}")

    @event("Opened")
    def __init__(self, program_id: str, year: int, budget: int):
        self.program_id = program_id
        self.year = year
        self.budget = budget
        self.paid = 0
        self.grants: list[UUID] = []

    @property
    def remaining(self) -> int:
        return self.budget - self.paid

    def charge(self, grant_id: UUID, amount: int) -> None:
        if amount > self.remaining:
            raise BudgetExceeded(f"the {self.year} budget of {self.program_id} has {self.remaining} yuan left "
                                 f"of {self.budget}; {amount} cannot be paid from it")
        self._charged(grant_id=grant_id, amount=amount, year=self.year, program_id=self.program_id)

    @event("Charged")
    def _charged(self, grant_id: UUID, amount: int, year: int, program_id: str) -> None:
        self.paid += amount
        self.grants.append(grant_id)
