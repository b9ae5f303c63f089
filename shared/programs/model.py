"""What a program is made of, once loaded: plain, immutable values (no I/O, no marshmallow)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SCALAR_KINDS = ("money_yuan", "count", "area_m2", "percent")
SERIES_KINDS = {"money_series": "money_yuan", "count_series": "count", "percent_series": "percent"}
KINDS = SCALAR_KINDS + tuple(SERIES_KINDS)
COMMON = "common"   # criteria/requirements that apply to every subtype of a unit type
OTHER = "other"     # the variant for every city not named in `cities`

Number = int | Decimal


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str
    label: str
    min_years: int | None = None  # series only

    @property
    def element_kind(self) -> str:
        return SERIES_KINDS.get(self.kind, self.kind)

    @property
    def is_series(self) -> bool:
        return self.kind in SERIES_KINDS


@dataclass(frozen=True)
class Test:
    """One operator and its operands; any_of/all_of hold their branches."""

    op: str
    field: str | None = None
    of: str | None = None
    threshold: Number | None = None
    percent: Number | None = None
    declaration: str | None = None
    branches: tuple[Test, ...] = ()


@dataclass(frozen=True)
class Variant:
    city: str
    rule: str
    test: Test


@dataclass(frozen=True)
class Criterion:
    id: str
    rule: str
    source: str
    test: Test | None = None            # either a test ...
    variants: tuple[Variant, ...] = ()  # ... or one test per city

    def tests(self) -> list[Test]:
        return [self.test] if self.test else [v.test for v in self.variants]


@dataclass(frozen=True)
class Subtype:
    name: str
    label: str
    figures: tuple[str, ...] = ()
    declarations: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True)
class UnitType:
    name: str
    label: str
    figures: tuple[str, ...] = ()
    declarations: tuple[str, ...] = ()
    subtypes: dict[str, Subtype] = field(default_factory=dict)


@dataclass(frozen=True)
class Quotas:
    per_recommender: dict[str, int]
    exempt_recommenders: tuple[str, ...]
    provincial_unit_types: tuple[str, ...]
    provincial_recommender: str


@dataclass(frozen=True)
class ScoringItem:
    id: str
    label: str
    weight: int


@dataclass(frozen=True)
class Review:
    experts_per_application: int
    pass_mark: int
    scoring: dict[str, tuple[ScoringItem, ...]]


@dataclass(frozen=True)
class Band:
    grade: str
    min_score: int


@dataclass(frozen=True)
class ShareTarget:
    grade: str
    percent: int
    by: str | None
    source: str


@dataclass(frozen=True)
class Grading:
    bands: tuple[Band, ...]                 # highest grade first
    targets: dict[str, ShareTarget]         # unit type -> share at or above a grade

    def grade_for(self, score: Number) -> str | None:
        """The highest band the score reaches (its min_score included: 以上), or None."""
        return next((b.grade for b in self.bands if score >= b.min_score), None)

    def rank(self, grade: str) -> int:
        """Higher is better: AAA ranks above AA."""
        return len(self.bands) - [b.grade for b in self.bands].index(grade)


@dataclass(frozen=True)
class AmountRule:
    rule: str  # up_to | between | rate | share
    max: Number | None = None
    max_by_standard_level: dict[str, Number] | None = None
    min: Number | None = None
    rate: Number | None = None
    measure: str | None = None
    percent: Number | None = None
    cap: Number | None = None


@dataclass(frozen=True)
class Scheme:
    id: str
    label: str
    source: str
    once_per: str  # standard | unit | year
    amount: AmountRule
    holders_only: bool = False


@dataclass(frozen=True)
class Grants:
    budget_per_year: Number
    schemes: dict[str, Scheme]
