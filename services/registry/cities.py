"""The registry's commands and queries for the national demonstration cities (seed 004, ADR 42):
certifying the cities of an approved batch (the `award` stage after `joint_approval`), and their
annual assessments and commendations (the `annual_assessment` stage). Mixed into RegistryApp."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.errors import Conflict, InvalidInput, guarded
from shared.programs import load_program

from services.registry.assessments import Assessment
from services.registry.domain import Unit, WrongState

FIRST_ASSESSMENT_AFTER_YEARS = 1  # a unit_certified.v1 needs a date in rereview_due (ADR 42)


class CityTitles:
    """Mixed into RegistryApp (which provides `_book`, `unit` and `years_later`)."""

    def prepare_batch_certification(self, batch_id: UUID, program_id: str, label: str, cities: list[dict],
                                    approved_on: date) -> list:
        """Unsaved aggregates certifying every city of the batch not yet certified; [] when the
        program's joint approval leads to no award."""
        from services.registry.app import years_later

        program = load_program(program_id)
        if program.next_stage("joint_approval") != "award":
            return []
        new = [c for c in cities if not self.exists(Unit.create_id(c["plan_id"]))]
        if not new:
            return []
        unit_type = next(iter(program.types))  # a program with a joint approval has one unit type (checks.py)
        book = self._book(program)
        numbers = book.issue(len(new), approved_on.year)
        units = [Unit(application_id=city["plan_id"], certificate_no=number, title=program.title_of(unit_type),
                      unit_name=city["city_name"], unit_type=unit_type, region_code=city["region_code"],
                      credit_code=city["credit_code"], program_id=program.id, notice_id=batch_id, round_label=label,
                      valid_from=approved_on, rereview_due=years_later(approved_on, FIRST_ASSESSMENT_AFTER_YEARS))
                 for city, number in zip(new, numbers)]
        return [book, *units]

    # -- annual assessment ------------------------------------------------------------------------
    def record_assessment(self, unit_id: UUID, year: int, result: str, by: str, today: date,
                          remarks: str = "") -> Assessment:
        """One result per unit and year, from the program's list, for a whole year of the title."""
        unit = self.unit(unit_id)
        program = load_program(unit.program_id)
        if not program.has_stage("annual_assessment"):
            raise Conflict(f"{program.id} has no annual assessment among its stages")
        if not unit.holds_title:
            raise Conflict(f"unit {unit.id} is {unit.status}; it is assessed no more")
        errors = {}
        if result not in program.assessment["results"]:
            errors["result"] = [f"must be one of {', '.join(program.assessment['results'])}"]
        if not unit.valid_from.year <= year < today.year:
            errors["year"] = [f"must be a whole year of the title, {unit.valid_from.year} to {today.year - 1}"]
        if errors:
            raise InvalidInput("the assessment is invalid", errors)
        if self.exists(Assessment.create_id(unit.id, year)):
            raise Conflict(f"{unit.unit_name} has already been assessed for {year}", {"year": ["already assessed"]})
        assessment = Assessment(unit_id=unit.id, program_id=program.id, certificate_no=unit.certificate_no,
                                unit_name=unit.unit_name, region_code=unit.region_code, credit_code=unit.credit_code,
                                year=year, result=result, commendable=result in program.assessment["commendable"],
                                recorded_on=today, by=by, remarks=remarks)
        self.save(assessment)
        return assessment

    def commend(self, unit_id: UUID, year: int, citation: str, by: str, today: date) -> Assessment:
        unit = self.unit(unit_id)
        if not self.exists(Assessment.create_id(unit.id, year)):
            raise Conflict(f"{unit.unit_name} has no assessment for {year} to commend it on", {"year": ["not assessed"]})
        assessment = self.assessment(Assessment.create_id(unit.id, year))
        guarded(lambda: assessment.commend(citation, by, today), WrongState)
        self.save(assessment)
        return assessment

    def assessment(self, assessment_id: UUID) -> Assessment:
        return self.get(assessment_id, Assessment, "assessment")

    def assessments(self, program_id: str | None = None, unit_id: UUID | None = None,
                    year: int | None = None, commended: bool | None = None) -> list[Assessment]:
        """Assessments by year, then certificate number."""
        found = [self.assessment(i) for i in self.ids_with_events(Assessment.Recorded)]
        found = [a for a in found if program_id in (None, a.program_id) and unit_id in (None, a.unit_id)
                 and year in (None, a.year) and commended in (None, a.commended_on is not None)]
        return sorted(found, key=lambda a: (a.year, a.certificate_no))
