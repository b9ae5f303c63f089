"""Commands and queries of the applications service, on its event store."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from shared.clock import china_date
from shared.contracts import applications as public
from shared.errors import Conflict, InvalidInput
from shared.eventstore import ServiceApplication
from shared.programs import load_program
from shared.regions import PROVINCE, recommender_for

from services.applications.domain import (DRAFT, Application, Quota, QuotaFull, Round, WrongState)

RETRIES = 5  # optimistic-concurrency retries of a recommendation racing another for a quota


class ApplicationsApp(ServiceApplication):
    name = "applications"
    public_events = {
        Round.Opened: public.RoundOpenedV1,
        Application.Drafted: public.ApplicationDraftedV1,
        Application.Amended: public.ApplicationAmendedV1,
        Application.Submitted: public.ApplicationSubmittedV1,
        Application.Returned: public.ApplicationReturnedV1,
        Application.Recommended: public.ApplicationRecommendedV1,
        Application.Declined: public.ApplicationDeclinedV1,
        Application.Withdrawn: public.ApplicationWithdrawnV1,
        Quota.Opened: public.QuotaOpenedV1,
        Quota.Taken: public.QuotaTakenV1,
        Quota.Raised: public.QuotaRaisedV1,
    }

    # -- rounds
    def open_round(self, program_id: str, label: str, submission_deadline: date, by: str, at: datetime) -> Round:
        program = _program(program_id)
        if not program.has_stage("intake_with_quota"):
            raise InvalidInput(f"{program.id} takes no applications in rounds (its stages: {', '.join(program.stages)})",
                               {"program_id": ["this program has no intake_with_quota stage"]})
        if self.exists(Round.create_id(program_id, label)):
            raise Conflict(f"{program_id} already has a round labelled {label!r}")
        round_ = Round(program_id=program.id, program_version=program.version, label=label,
                       submission_deadline=submission_deadline, by=by, at=at)
        self.save(round_)
        return round_

    def round(self, round_id: UUID) -> Round:
        return self.get(round_id, Round, "round")

    def rounds(self) -> list[Round]:
        return [self.round(i) for i in self.ids_with_events(Round.Opened)]

    # -- the applicant's side
    def draft(self, *, round_id: UUID, credit_code: str, unit_name: str, unit_type: str,
              subtype: str | None, region_code: str, provincial_level: bool, contact: dict,
              figures: dict, declarations: dict, by: str, at: datetime) -> Application:
        round_ = self.round(round_id)
        _guard(lambda: round_.require_open_for_submission(china_date(at)))
        program = _program(round_.program_id)
        _check_unit_type(program, unit_type, subtype)
        _check_region(program, region_code)
        application = Application(
            round_id=round_.id, program_id=round_.program_id, credit_code=credit_code,
            unit_name=unit_name, unit_type=unit_type, subtype=subtype, region_code=region_code,
            provincial_level=provincial_level,
            recommender=_recommender(region_code, provincial_level, program),
            contact=contact, figures=figures, declarations=declarations, by=by, at=at)
        self.save(application)
        return application

    def amend(self, application_id: UUID, changes: dict, by: str, at: datetime) -> Application:
        application = self.application(application_id)
        if "unit_type" in changes or "subtype" in changes:
            _check_unit_type(_program(application.program_id), changes.get("unit_type", application.unit_type),
                             changes.get("subtype", application.subtype))
        if "region_code" in changes or "provincial_level" in changes:  # its deciding authority follows
            program = _program(application.program_id)
            _check_region(program, changes.get("region_code", application.region_code))
            recommender = _recommender(changes.get("region_code", application.region_code),
                                       changes.get("provincial_level", application.provincial_level), program)
            if recommender != application.recommender:
                changes = {**changes, "recommender": recommender}
        _guard(lambda: application.amend(changes, by=by, at=at))
        self.save(application)
        return application

    def submit(self, application_id: UUID, by: str, at: datetime) -> Application:
        """Checks the application against its program (400 when incomplete) and the round's
        deadline (409 when late), and records the eligibility report it was judged by."""
        application = self.application(application_id)
        if application.status == DRAFT:
            _guard(lambda: self.round(application.round_id).require_open_for_submission(china_date(at)))
        program = _program(application.program_id)
        errors = program.validate_application(_as_program_input(application))
        if errors:
            raise InvalidInput("the application is incomplete or has invalid figures", errors)
        report = program.evaluate(_as_program_input(application)).as_dict()
        _guard(lambda: application.submit(program.version, report, by=by, at=at))
        self.save(application)
        return application

    def withdraw(self, application_id: UUID, by: str, reason: str, at: datetime) -> Application:
        application = self.application(application_id)
        _guard(lambda: application.withdraw(by=by, reason=reason, at=at))
        self.save(application)
        return application

    # -- the recommending authority's side
    def return_for_correction(self, application_id: UUID, reasons: list[str], by: str, at: datetime) -> Application:
        application = self.application(application_id)
        _guard(lambda: application.return_for_correction(reasons, by=by, at=at))
        self.save(application)
        return application

    def recommend(self, application_id: UUID, by: str, at: datetime, note: str = "") -> Application:
        """Recommends within the authority's quota: the application and the quota change in one
        transaction, so two clerks racing for the last slot cannot both have it."""
        for attempt in range(RETRIES):
            application = self.application(application_id)
            quota = self.quota(application.round_id, application.recommender, application.unit_type)
            _guard(lambda: application.recommend(by=by, note=note, at=at))
            _guard(lambda: quota.take(application.id))
            try:
                self.save(application, quota)
                return application
            except IntegrityError:
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def decline(self, application_id: UUID, by: str, reason: str, at: datetime) -> Application:
        application = self.application(application_id)
        _guard(lambda: application.decline(by=by, reason=reason, at=at))
        self.save(application)
        return application

    # -- quotas
    def quota(self, round_id: UUID, recommender: str, unit_type: str) -> Quota:
        """The quota, as stored or as it opens (unsaved) on first use."""
        try:
            return self.repository.get(Quota.create_id(round_id, recommender, unit_type))
        except AggregateNotFoundError:
            program = _program(self.round(round_id).program_id)
            limit = None if recommender in (PROVINCE, program.provincial_recommender) else \
                program.quota_for(recommender, unit_type)
            return Quota(round_id=round_id, recommender=recommender, unit_type=unit_type, limit=limit)

    def raise_quota(self, round_id: UUID, recommender: str, unit_type: str, extra: int, reason: str,
                    by: str, at: datetime) -> Quota:
        quota = self.quota(self.round(round_id).id, recommender, unit_type)
        _guard(lambda: quota.raise_limit(extra, reason, by=by, at=at))
        self.save(quota)
        return quota

    def quotas(self, round_id: UUID) -> list[Quota]:
        round_ = self.round(round_id)
        return [q for q in map(lambda i: self.get(i, Quota, "quota"), self.ids_with_events(Quota.Opened))
                if q.round_id == round_.id]

    # -- queries
    def application(self, application_id: UUID) -> Application:
        return self.get(application_id, Application, "application")

    def applications(self) -> list[Application]:
        return [self.application(i) for i in self.ids_with_events(Application.Drafted)]

    def progress(self, program_id: str) -> dict:
        """Applications of a program by unit type and status, against the program's targets."""
        program = _program(program_id)
        counts: dict[str, dict[str, int]] = {t: {} for t in program.targets}
        for application in self.applications():
            if application.program_id == program.id:
                by_status = counts.setdefault(application.unit_type, {})
                by_status[application.status] = by_status.get(application.status, 0) + 1
        return {unit_type: {"target": program.targets.get(unit_type), "by_status": counts[unit_type]}
                for unit_type in counts}


def _program(program_id: str):
    try:
        return load_program(program_id)
    except LookupError as exc:
        raise InvalidInput(str(exc), {"program_id": ["no such program"]}) from None


def _recommender(region_code: str, provincial_level: bool, program) -> str:
    """Who decides an application: the province for a provincial-level enterprise, else its city
    or pilot county."""
    if provincial_level:
        return program.provincial_recommender if program.quotas else PROVINCE
    return recommender_for(region_code)


def _check_region(program, region_code: str) -> None:
    if not program.in_province(region_code):
        raise InvalidInput(f"{region_code} is not in {program.province_name}, where {program.id} runs",
                           {"region_code": [f"must lie in {program.province_name} ({program.province_code[:2]}xxxx)"]})


def _check_unit_type(program, unit_type: str, subtype: str | None) -> None:
    subtypes = program.unit_types.get(unit_type)
    if subtypes is None:
        raise InvalidInput(f"{program.id} has no unit type {unit_type!r}",
                           {"unit_type": [f"must be one of {', '.join(program.unit_types)}"]})
    if (subtypes and subtype not in subtypes) or (not subtypes and subtype is not None):
        expected = f"one of {', '.join(subtypes)}" if subtypes else "absent for this unit type"
        raise InvalidInput(f"subtype {subtype!r} does not fit {unit_type}", {"subtype": [f"must be {expected}"]})


def _as_program_input(application: Application) -> dict:
    return {"unit_type": application.unit_type, "subtype": application.subtype,
            "region_code": application.region_code, "provincial_level": application.provincial_level,
            "figures": application.figures, "declarations": application.declarations}


def _guard(command) -> None:
    try:
        command()
    except QuotaFull as exc:
        raise Conflict(str(exc), {"quota": ["full"]}) from None
    except WrongState as exc:
        raise Conflict(str(exc)) from None
