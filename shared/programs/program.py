"""A loaded program: its settings, its standards, and the questions services ask of it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shared.programs.applications import validate_application
from shared.programs.model import COMMON, OTHER, Criterion, FieldSpec, Grading, Grants, Quotas, Review, UnitType
from shared.programs.report import EligibilityReport
from shared.programs.rules import evaluate


NATIONAL = "100000"  # the province code of a national program (the whole country)


@dataclass(frozen=True, eq=False)
class Program:
    id: str
    name: str
    version: str  # sha256 of the file's bytes, first 16 hex digits
    version_label: str
    path: Path
    certificate_prefix: str
    province_code: str
    province_name: str
    cities: dict[str, str]  # city code -> name, the cities with thresholds of their own
    other_cities_name: str
    title: dict[str, str]   # unit type -> the title awarded
    fields: dict[str, FieldSpec]
    declarations: dict[str, str]  # name -> the statement the applicant makes
    types: dict[str, UnitType]
    criteria: dict[str, dict[str, tuple[Criterion, ...]]]
    quotas: Quotas | None
    targets: dict[str, int]
    review: Review | None
    notice_working_days: int | None
    rereview_years: int | None
    stages: tuple[str, ...] = ()
    grading: Grading | None = None
    grants: Grants | None = None
    plan_revision: dict | None = None
    joint_approval: dict | None = None
    assessment: dict | None = None

    # -- stages (shared/programs/stages.py): what the services consult before acting
    def has_stage(self, kind: str) -> bool:
        return kind in self.stages

    def next_stage(self, kind: str) -> str | None:
        """The stage declared after `kind`, or None when it is the last (or not declared)."""
        if kind not in self.stages:
            return None
        i = self.stages.index(kind)
        return self.stages[i + 1] if i + 1 < len(self.stages) else None

    def title_of(self, unit_type: str, subtype: str | None = None) -> str:
        """The title awarded: the subtype's own (a level of the title) or the unit type's."""
        sub = self.types[unit_type].subtypes.get(subtype) if subtype else None
        return (sub.title if sub and sub.title else None) or self.title[unit_type]

    @property
    def experts_per_application(self) -> int:
        return self.review.experts_per_application

    @property
    def pass_mark(self) -> int:
        return self.review.pass_mark

    @property
    def unit_types(self) -> dict[str, list[str]]:
        return {name: list(t.subtypes) for name, t in self.types.items()}

    def required_fields(self, unit_type: str, subtype: str | None = None) -> list[FieldSpec]:
        unit = self.types[unit_type]
        names = unit.figures + (unit.subtypes[subtype].figures if subtype else ())
        return [self.fields[n] for n in dict.fromkeys(names)]

    def required_declarations(self, unit_type: str, subtype: str | None = None) -> list[str]:
        unit = self.types[unit_type]
        return list(dict.fromkeys(unit.declarations + (unit.subtypes[subtype].declarations if subtype else ())))

    def criteria_for(self, unit_type: str, subtype: str | None = None) -> list[Criterion]:
        scopes = self.criteria.get(unit_type, {})
        return list(scopes.get(COMMON, ())) + (list(scopes.get(subtype, ())) if subtype else [])

    # -- places and recommenders
    def city_of(self, region_code: str) -> str:
        """The prefecture-level city of a region code: '510703' -> '510700', '510104' -> '510100'."""
        return region_code[:4] + "00"

    def threshold_city(self, region_code: str) -> str:
        """The key of the `variants` that apply: a city named in the program, or 'other'."""
        city = self.city_of(region_code)
        return city if city in self.cities else OTHER

    def city_name(self, key: str) -> str:
        return self.cities.get(key, self.other_cities_name)

    def in_province(self, region_code: str) -> bool:
        """In the program's province; any region for a national program (province code 100000, ADR 42)."""
        return self.province_code == NATIONAL or region_code[:2] == self.province_code[:2]

    @property
    def approvers(self) -> dict[str, str]:
        """The joint approval's approvers (key -> name), in the file's order; {} without that stage."""
        return dict(self.joint_approval["approvers"]) if self.joint_approval else {}

    @property
    def provincial_recommender(self) -> str:
        """Where provincial-level applicants apply directly (the province's code, '510000')."""
        return self.quotas.provincial_recommender

    def quota_for(self, recommender_region_code: str, unit_type: str) -> int | None:
        """Units of a type one recommender may put forward in a round; None when not limited
        (an exempt city, any department within it, or the province for provincial-level units)."""
        code = recommender_region_code
        if code == self.quotas.provincial_recommender:
            return None
        if code in self.quotas.exempt_recommenders or self.city_of(code) in self.quotas.exempt_recommenders:
            return None
        return self.quotas.per_recommender[unit_type]

    # -- applications
    def validate_application(self, data: dict) -> dict:
        return validate_application(self, data)

    def evaluate(self, data: dict) -> EligibilityReport:
        """An EligibilityReport; raises ApplicationInvalid when validate_application finds errors."""
        return evaluate(self, data)
