"""What the rules engine says about one application: a result per criterion, JSON-ready on request."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Outcome:
    """One test's result: `threshold` and `actual` are the exact numbers compared."""

    passed: bool
    description: str
    threshold: object = None
    actual: object = None
    detail: str = ""
    branches: tuple[Outcome, ...] = ()
    kind: str | None = None  # the kind of the figure compared (money_yuan, percent, ...)
    op: str = ""             # the operator: at_least, any_of, ...


@dataclass(frozen=True)
class CriterionResult:
    id: str
    rule: str               # the seed's wording; of the variant that applied, if any
    source: str             # e.g. 附件1 第9条(2)
    variant: str | None     # the city key of the variant that applied ('510100', 'other'), or None
    variant_name: str | None
    passed: bool
    threshold: object
    actual: object
    detail: str
    branches: tuple[Outcome, ...] = ()
    kind: str | None = None
    op: str = ""

    @property
    def passed_branches(self) -> list[int]:
        return [i for i, b in enumerate(self.branches) if b.passed]


@dataclass(frozen=True)
class EligibilityReport:
    program_id: str
    program_version: str
    unit_type: str
    subtype: str | None
    region_code: str
    city: str
    eligible: bool
    criteria: tuple[CriterionResult, ...]

    def criterion(self, ident: str) -> CriterionResult:
        return next(c for c in self.criteria if c.id == ident)

    @property
    def failed(self) -> list[CriterionResult]:
        return [c for c in self.criteria if not c.passed]

    def as_dict(self) -> dict:
        data = asdict(self)
        for result, item in zip(self.criteria, data["criteria"]):
            item["passed_branches"] = result.passed_branches
        return jsonable(data)


def jsonable(value):
    """Decimals as strings, years as string keys, tuples as lists: ready for json.dumps."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
