"""The registry's commands and queries on standards, grants and yearly budgets (the `grant` stage)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from shared.errors import Conflict, InvalidInput, NotFound
from shared.programs import load_program
from shared.programs.grants import AmountRefused, grant_amount
from shared.search import search_key

from services.registry.domain import WrongState
from services.registry.grants import Grant, GrantBudget, Standard

RETRIES = 5


class Funding:
    """Mixed into RegistryApp."""

    # -- standards ------------------------------------------------------------------------------
    def register_standard(self, program_id: str, code: str, title: str, level: str, status: str,
                          drafters: list[dict], today: date) -> Standard:
        program = _grant_program(program_id)
        if self.exists(Standard.create_id(program.id, code)):
            raise Conflict(f"{program.id} already has standard {code}", {"code": ["already registered"]})
        standard = Standard(program_id=program.id, code=code, title=title, level=level, status=status,
                            drafters=drafters, registered_on=today)
        self.save(standard)
        return standard

    def advance_standard(self, standard_id: UUID, status: str, today: date) -> Standard:
        standard = self.standard(standard_id)
        _guard(lambda: standard.advance(status, today))
        self.save(standard)
        return standard

    def standard(self, standard_id: UUID) -> Standard:
        return self.get(standard_id, Standard, "standard")

    def standards(self, q: str | None = None, level: str | None = None, status: str | None = None,
                  program_id: str | None = None) -> list[Standard]:
        """Standards whose title or code contains `q` (simplified or traditional characters)."""
        key = search_key(q) if q else None
        found = [self.standard(i) for i in self.ids_with_events(Standard.Registered)]
        return [s for s in found
                if (key is None or key in search_key(s.title) or key in search_key(s.code))
                and level in (None, s.level) and status in (None, s.status) and program_id in (None, s.program_id)]

    # -- grants ---------------------------------------------------------------------------------
    def pay_grant(self, program_id: str, scheme: str, credit_code: str, unit_name: str, region_code: str,
                  year: int, today: date, standard_id: UUID | None = None, unit_id: UUID | None = None,
                  amount: int | None = None, quantity=None, cost: int | None = None) -> Grant:
        """Pays a scheme's grant once per subject, computed by the program's rule and charged to the
        year's budget in the same transaction (so two payments racing for the last yuan cannot both win)."""
        program = _grant_program(program_id)
        rule = program.grants.schemes.get(scheme)
        if rule is None:
            raise InvalidInput(f"{program.id} has no scheme {scheme!r}",
                               {"scheme": [f"must be one of {', '.join(program.grants.schemes)}"]})
        if not program.in_province(region_code):
            raise InvalidInput("the unit is not in the program's province",
                               {"region_code": [f"must lie in {program.province_name}"]})
        level, subject = None, credit_code
        if rule.once_per == "standard":
            standard = self._standard_for_grant(program.id, standard_id, credit_code)
            level, subject = standard.level, str(standard.id)
        elif rule.once_per == "year":
            subject = str(year)
        if unit_id is not None or rule.holders_only:
            self._check_holder(program.id, unit_id, credit_code)
        try:
            computed = grant_amount(rule, amount=amount, quantity=quantity, cost=cost, standard_level=level)
        except AmountRefused as exc:
            raise InvalidInput(str(exc), {exc.field: [str(exc)]}) from None
        grant_id = Grant.create_id(program.id, scheme, credit_code, subject)
        for attempt in range(RETRIES):
            if self.exists(grant_id):
                raise Conflict(f"{unit_name} ({credit_code}) has already been paid under {scheme} for "
                               f"{'this standard' if rule.once_per == 'standard' else subject}: one payment only")
            budget = self._budget(program, year)
            grant = Grant(program_id=program.id, scheme=scheme, subject=subject, credit_code=credit_code,
                          unit_name=unit_name, region_code=region_code, year=year, amount=computed.yuan,
                          basis=computed.basis, paid_on=today, standard_id=standard_id, unit_id=unit_id)
            _guard(lambda: budget.charge(grant.id, computed.yuan))
            try:
                self.save(grant, budget)
                return grant
            except IntegrityError:
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def grants_of_year(self, program_id: str, year: int) -> dict:
        """The year's grants of a program against its budget."""
        program = _grant_program(program_id, missing=NotFound)
        budget = self._budget(program, year)
        grants = [self.get(i, Grant, "grant") for i in budget.grants]
        return {"program_id": program.id, "year": year, "budget": budget.budget, "paid": budget.paid,
                "remaining": budget.remaining, "grants": grants}

    def _budget(self, program, year: int) -> GrantBudget:
        try:
            return self.repository.get(GrantBudget.create_id(program.id, year))
        except AggregateNotFoundError:
            return GrantBudget(program_id=program.id, year=year, budget=int(program.grants.budget_per_year))

    def _standard_for_grant(self, program_id: str, standard_id: UUID | None, credit_code: str) -> Standard:
        if standard_id is None:
            raise InvalidInput("this scheme pays for a standard", {"standard_id": ["required for this scheme"]})
        try:
            standard = self.repository.get(standard_id)
        except AggregateNotFoundError:
            raise InvalidInput("no such standard", {"standard_id": ["no such standard"]}) from None
        if not isinstance(standard, Standard) or standard.program_id != program_id:
            raise InvalidInput("no such standard in this program", {"standard_id": ["no such standard"]})
        if not standard.drafted_by(credit_code):
            raise Conflict(f"{credit_code} is not among the drafting units of {standard.code}")
        if standard.status != "published":
            raise Conflict(f"standard {standard.code} is {standard.status}; the grant is paid once it is published")
        return standard

    def _check_holder(self, program_id: str, unit_id: UUID | None, credit_code: str) -> None:
        if unit_id is None:
            raise InvalidInput("this scheme pays only title holders", {"unit_id": ["required for this scheme"]})
        try:
            unit = self.unit(unit_id)
        except NotFound:
            raise InvalidInput("no such unit", {"unit_id": ["no such unit"]}) from None
        if unit.program_id != program_id or unit.credit_code != credit_code:
            raise InvalidInput("the unit is not this program's unit with this credit code",
                               {"unit_id": ["not this program's unit with this credit code"]})
        if not unit.holds_title:
            raise Conflict(f"unit {unit.id} is {unit.status}; it holds no title to be paid for")


def _grant_program(program_id: str, missing=InvalidInput):
    try:
        program = load_program(program_id)
    except LookupError:
        raise (NotFound("program", program_id) if missing is NotFound
               else InvalidInput(f"no program {program_id}", {"program_id": ["no such program"]})) from None
    if not program.has_stage("grant"):
        if missing is NotFound:
            raise NotFound("grants of program", program_id)
        raise Conflict(f"{program.id} pays no grants (its stages: {', '.join(program.stages)})")
    return program


def _guard(command) -> None:
    try:
        command()
    except WrongState as exc:
        raise Conflict(str(exc)) from None
