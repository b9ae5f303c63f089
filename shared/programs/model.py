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
