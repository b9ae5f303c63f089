"""Commands and queries of the registry service, on its event store."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shared.contracts import registry as public
from shared.eventstore import ServiceApplication
from shared.programs import Program, load_program

from services.registry.domain import CertificateBook, Unit


class RegistryApp(ServiceApplication):
    name = "registry"
    public_events = {
        Unit.Certified: public.UnitCertifiedV1,
        CertificateBook.Opened: public.CertificateBookOpenedV1,
        CertificateBook.Issued: public.CertificateNumbersIssuedV1,
    }

    def prepare_certification(self, notice_id: UUID, program_id: str, approved: list[dict],
                              closed_on: date) -> list:
        """Unsaved aggregates certifying every approved unit not yet certified."""
        new = [e for e in approved if not self.exists(Unit.create_id(e["application_id"]))]
        if not new:
            return []
        program = load_program(program_id)
        book = self._book(program)
        numbers = book.issue(len(new), closed_on.year)
        units = [
            Unit(application_id=entry["application_id"], certificate_no=number,
                 title=program.title[entry["unit_type"]], unit_name=entry["unit_name"],
                 unit_type=entry["unit_type"], region_code=entry["region_code"],
                 credit_code=entry["credit_code"], program_id=program.id, notice_id=notice_id,
                 valid_from=closed_on, rereview_due=_years_later(closed_on, program.rereview_years))
            for entry, number in zip(new, numbers)
        ]
        return [book, *units]

    def units(self) -> list[Unit]:
        return [self.unit(i) for i in self.ids_with_events(Unit.Certified)]

    def unit(self, unit_id: UUID) -> Unit:
        return self.get(unit_id, Unit, "unit")

    def unit_of_application(self, application_id: UUID) -> Unit:
        return self.unit(Unit.create_id(application_id))

    def units_of_application(self, application_id: UUID) -> list[Unit]:
        unit_id = Unit.create_id(application_id)
        return [self.unit(unit_id)] if self.exists(unit_id) else []

    def _book(self, program: Program) -> CertificateBook:
        try:
            return self.repository.get(CertificateBook.create_id(program.id))
        except AggregateNotFoundError:
            return CertificateBook(program_id=program.id, prefix=program.certificate_prefix)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
