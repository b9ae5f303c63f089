"""Commands and queries of the registry service, on its event store."""
from __future__ import annotations

import logging
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shared.certificates import FORMAT
from shared.contracts import registry as public
from shared.errors import Conflict, InvalidInput, NotFound, guarded
from shared.eventstore import ServiceApplication
from shared.programs import Program, load_program

from services.registry.assessments import Assessment
from services.registry.cities import CityTitles
from services.registry.domain import HOLDING, CertificateBook, Unit, WrongState
from services.registry.funding import Funding
from services.registry.grants import Grant, GrantBudget, Standard

log = logging.getLogger(__name__)

REPORT_GRACE = (3, 31)  # last year's figures are due by 31 March


class RegistryApp(CityTitles, Funding, ServiceApplication):
    name = "registry"
    public_events = {
        Unit.Certified: public.UnitCertifiedV1,
        Unit.RereviewRequested: public.RereviewRequestedV1,
        Unit.Confirmed: public.UnitConfirmedV1,
        Unit.Revoked: public.UnitRevokedV1,
        Unit.GivenUp: public.UnitGivenUpV1,
        Unit.Amended: public.UnitAmendedV1,
        Unit.ReportSubmitted: public.ReportSubmittedV1,
        Unit.Graded: public.UnitGradedV1,
        CertificateBook.Opened: public.CertificateBookOpenedV1,
        CertificateBook.Issued: public.CertificateNumbersIssuedV1,
        Standard.Registered: public.StandardRegisteredV1,
        Standard.Advanced: public.StandardAdvancedV1,
        Grant.Paid: public.GrantPaidV1,
        GrantBudget.Opened: public.GrantBudgetOpenedV1,
        GrantBudget.Charged: public.GrantBudgetChargedV1,
        Assessment.Recorded: public.AssessmentRecordedV1,   # the national cities (ADR 42)
        Assessment.Commended: public.UnitCommendedV1,
    }

    # -- certification ----------------------------------------------------------------------------
    def prepare_certification(self, notice_id: UUID, program_id: str, approved: list[dict],
                              closed_on: date) -> list:
        """Unsaved aggregates certifying every approved unit not yet certified."""
        program = load_program(program_id)
        if program.next_stage("public_notice") not in ("award",):
            return []  # the program's notice leads to no award
        new = [e for e in approved if not self.exists(Unit.create_id(e["application_id"]))]
        if not new:
            return []
        book = self._book(program)
        numbers = book.issue(len(new), closed_on.year)
        units = [
            Unit(application_id=entry["application_id"], certificate_no=number,
                 title=program.title_of(entry["unit_type"], entry.get("subtype")), unit_name=entry["unit_name"],
                 unit_type=entry["unit_type"], subtype=entry.get("subtype"), region_code=entry["region_code"],
                 credit_code=entry["credit_code"], program_id=program.id, notice_id=notice_id,
                 round_id=entry.get("round_id"), round_label=entry.get("round_label"),
                 valid_from=closed_on, rereview_due=years_later(closed_on, program.rereview_years))
            for entry, number in zip(new, numbers)
        ]
        if program.has_stage("grading"):
            for unit, entry in zip(units, new):
                _grade_from_score(program, unit, entry.get("mean_score"), "award", closed_on)
        return [book, *units]

    # -- re-review --------------------------------------------------------------------------------
    def request_due_rereviews(self, today: date, candidates: Iterable) -> list[UUID]:
        """Asks for the re-review of each candidate whose re-review is due and not yet asked for
        (the check is the aggregate's, so a repeated or concurrent call asks only once)."""
        requested = []
        for unit_id in candidates:
            unit = self.unit(UUID(str(unit_id)))
            if unit.rereview_is_due(today) and load_program(unit.program_id).has_stage("re_review"):
                unit.request_rereview(today)
                self.save(unit)
                requested.append(unit.id)
        return requested

    def prepare_rereview_conclusion(self, rereview_id: UUID, unit_id: UUID, outcome: str, reasons: list[str],
                                    concluded_on: date, mean_score: Decimal | None = None) -> list:
        """The unit confirmed (next re-review due `rereview_years` after the conclusion; in a
        grading program, graded again from the panel's score) or revoked with the reasons; []
        when already applied or the title had ended meanwhile."""
        if not self.exists(unit_id):
            log.warning("re-review %s concluded for unit %s, which this registry never certified; ignored",
                        rereview_id, unit_id)
            return []
        unit = self.unit(unit_id)
        program = load_program(unit.program_id)
        next_due = years_later(concluded_on, program.rereview_years)
        changed = unit.conclude_rereview(rereview_id, outcome, reasons, concluded_on, next_due)
        if changed and unit.holds_title and program.has_stage("grading"):
            _grade_from_score(program, unit, mean_score, "rereview", concluded_on, rereview_id=rereview_id)
        return [unit] if changed else []

    # -- the province's and the unit's commands ---------------------------------------------------
    def revoke(self, unit_id: UUID, reason_code: str, evidence_ref: str, note: str, today: date) -> Unit:
        unit = self.unit(unit_id)
        _guard(lambda: unit.revoke(reason_code, evidence_ref, note, today))
        self.save(unit)
        return unit

    def give_up(self, unit_id: UUID, reason: str, today: date) -> Unit:
        unit = self.unit(unit_id)
        _guard(lambda: unit.give_up(reason, today))
        self.save(unit)
        return unit

    def amend(self, unit_id: UUID, changes: dict, reason: str, today: date) -> Unit:
        unit = self.unit(unit_id)
        _check_amendment(load_program(unit.program_id), unit, changes)
        _guard(lambda: unit.amend(changes, reason, today))
        self.save(unit)
        return unit

    def regrade(self, unit_id: UUID, grade: str, reason: str, today: date) -> Unit:
        """The province sets a unit's grade, with a reason (a downgrade after a finding, say)."""
        unit = self.unit(unit_id)
        program = load_program(unit.program_id)
        if not program.has_stage("grading"):
            raise Conflict(f"{program.id} grades no units")
        grades = [b.grade for b in program.grading.bands]
        if grade not in grades:
            raise InvalidInput("the grade is invalid", {"grade": [f"must be one of {', '.join(grades)}"]})
        _guard(lambda: unit.set_grade(grade, program.grading.rank(grade), None, "province", today, reason=reason))
        self.save(unit)
        return unit

    def grading(self, program_id: str, holders_by_grade: dict[str, dict[str, int]], as_of: date) -> dict:
        """Title holders by unit type and grade, and each unit type's share at or above its
        target grade against the target (Zhejiang: 50% of bases at AAA or above)."""
        program = self.program(program_id)
        if not program.has_stage("grading"):
            raise NotFound("grading program", program_id)
        bands = program.grading.bands
        types = {}
        for unit_type in program.types:
            counts = holders_by_grade.get(unit_type, {})
            holders = sum(counts.values())
            entry = {"holders": holders, "by_grade": {b.grade: counts.get(b.grade, 0) for b in bands},
                     "ungraded": counts.get(None, 0), "target": None}
            target = program.grading.targets.get(unit_type)
            if target is not None:
                at_or_above = sum(counts.get(b.grade, 0) for b in bands
                                  if program.grading.rank(b.grade) >= program.grading.rank(target.grade))
                entry["target"] = {
                    "grade": target.grade, "percent": target.percent, "by": target.by, "source": target.source,
                    "at_or_above": at_or_above,
                    "share_percent": (Decimal(100 * at_or_above) / holders).quantize(Decimal("0.01"),
                                                                                  rounding=ROUND_HALF_UP)
                    if holders else None,
                    "met": holders > 0 and 100 * at_or_above >= target.percent * holders}
            types[unit_type] = entry
        return {"program_id": program.id, "as_of": as_of, "grades": [b.grade for b in bands], "unit_types": types}

    def submit_report(self, unit_id: UUID, year: int, figures: dict, declarations: dict, today: date) -> Unit:
        """A yearly statistical report, checked as an application of the unit's type is."""
        unit = self.unit(unit_id)
        if not unit.holds_title:
            raise Conflict(f"unit {unit.id} is {unit.status}; it reports no more")
        if not load_program(unit.program_id).has_stage("periodic_report"):
            raise Conflict(f"{unit.program_id} asks for no periodic reports")
        errors = load_program(unit.program_id).validate_application({
            "unit_type": unit.unit_type, "subtype": unit.subtype, "region_code": unit.region_code,
            "figures": figures, "declarations": declarations})
        if not unit.valid_from.year <= year < today.year:
            errors["year"] = [f"must be a whole year of the title, {unit.valid_from.year} to {today.year - 1}"]
        if errors:
            raise InvalidInput("the report is invalid", errors)
        _guard(lambda: unit.submit_report(year, figures, declarations, today))
        self.save(unit)
        return unit

    # -- reads ------------------------------------------------------------------------------------
    def unit(self, unit_id: UUID) -> Unit:
        return self.get(unit_id, Unit, "unit")

    def units(self) -> list[Unit]:
        return [self.unit(i) for i in self.ids_with_events(Unit.Certified)]

    def unit_of_application(self, application_id: UUID) -> Unit:
        return self.unit(Unit.create_id(application_id))

    def missing_reports(self, unit: Unit, today: date) -> list[dict]:
        return unit.missing_reports(today, REPORT_GRACE)

    def certificate(self, unit_id: UUID) -> dict:
        """The content of the unit's certificate (to be signed): what it was certified as, and
        the edition's date (certification, a confirmation or an amendment). Strings only."""
        unit = self.unit(unit_id)
        program = load_program(unit.program_id)
        return {"format": FORMAT, "certificate_no": unit.certificate_no, "unit_id": str(unit.id),
                "unit_name": unit.unit_name, "credit_code": unit.credit_code, "title": unit.title,
                "unit_type": unit.unit_type, "subtype": unit.subtype, "region_code": unit.region_code,
                "program_id": program.id, "program_name": program.name, "province": program.province_name,
                "round_id": _text(unit.round_id), "round_label": unit.round_label,
                "valid_from": unit.valid_from.isoformat(), "rereview_due": unit.rereview_due.isoformat(),
                "issued_on": unit.certificate_issued_on.isoformat()}

    def verification(self, unit_id: UUID, state: dict, as_of: date) -> dict:
        """A certificate's status at the end of `as_of` (`state`, the read model's row then) and
        its timeline until then: dates, events and reason codes, no personal data."""
        unit = self.unit(unit_id)
        timeline = [{k: _text(v) if isinstance(v, date) else v for k, v in entry.items()}
                    for entry in unit.timeline if entry["on"] <= as_of]
        return {"certificate_no": unit.certificate_no, "as_of": as_of,
                "status": "valid" if state["status"] in HOLDING else state["status"],
                "unit_status": state["status"], "title": state["title"], "unit_name": state["unit_name"],
                "program_id": state["program_id"], "valid_from": state["valid_from"],
                "rereview_due": state["rereview_due"] if state["status"] in HOLDING
                and load_program(unit.program_id).has_stage("re_review") else None,
                "ended_on": state["ended_on"], "timeline": timeline}

    def progress(self, program_id: str, holders_by_type: dict[str, int], as_of: date) -> dict:
        """Title holders by unit type against the program's targets (50 / 20 / 15 for Sichuan)."""
        program = self.program(program_id)
        types = {t: {"target": program.targets.get(t), "certified": holders_by_type.get(t, 0)}
                 for t in program.types}
        return {"program_id": program.id, "as_of": as_of, "unit_types": types,
                "certified": sum(holders_by_type.values()), "target": sum(program.targets.values())}

    @staticmethod
    def program(program_id: str) -> Program:
        """The program, or 404 naming it."""
        try:
            return load_program(program_id)
        except LookupError:
            raise NotFound("program", program_id) from None

    def _book(self, program: Program) -> CertificateBook:
        try:
            return self.repository.get(CertificateBook.create_id(program.id))
        except AggregateNotFoundError:
            return CertificateBook(program_id=program.id, prefix=program.certificate_prefix)


def years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _grade_from_score(program: Program, unit: Unit, score, basis: str, on: date,
                      rereview_id: UUID | None = None) -> None:
    """Grades the unit from its panel's mean score by the program's bands. A passed review's score
    reaches the lowest band (the program check makes it start at the pass mark)."""
    if score is None:
        raise ValueError(f"{program.id} grades its units, but the {basis} of unit {unit.id} came without a score")
    score = Decimal(str(score))
    grade = program.grading.grade_for(score)
    if grade is None:
        raise ValueError(f"unit {unit.id}: score {score} is below every band of {program.id}")
    unit.set_grade(grade, program.grading.rank(grade), score, basis, on, rereview_id=rereview_id)


def _check_amendment(program: Program, unit: Unit, changes: dict) -> None:
    errors = {}
    region = changes.get("region_code")
    if region is not None and not program.in_province(region):
        errors["region_code"] = [f"must be a region of {program.province_name}"]
    if "subtype" in changes:
        subtypes = program.unit_types[unit.unit_type]
        if (subtypes and changes["subtype"] not in subtypes) or (not subtypes and changes["subtype"] is not None):
            expected = f"one of {', '.join(subtypes)}" if subtypes else "null for this unit type"
            errors["subtype"] = [f"must be {expected}"]
    if errors:
        raise InvalidInput("the amendment is invalid", errors)


def _text(value) -> str | None:
    return None if value is None else str(value) if not isinstance(value, date) else value.isoformat()


def _guard(command) -> None:
    guarded(command, WrongState)
