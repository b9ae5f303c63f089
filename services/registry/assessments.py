"""The Assessment aggregate (seed 004, ADR 42): one city's annual assessment for one year, with
the program's result, and the commendation a commendable result allows (嘉奖), recorded."""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.registry.domain import WrongState

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/registry/assessments")


class Assessment(Aggregate):
    """A certified unit's assessment for a year: its id follows from unit and year, so a year is
    assessed once (a second is a conflict, never a silent replacement)."""

    @staticmethod
    def create_id(unit_id: UUID, year: int, **_) -> UUID:
        return uuid5(_NS, f"assessment/{unit_id}/{year}")

    @event("Recorded")
    def __init__(self, unit_id: UUID, program_id: str, certificate_no: str, unit_name: str, region_code: str,
                 credit_code: str, year: int, result: str, commendable: bool, recorded_on: date, by: str,
                 remarks: str = ""):
        self.unit_id = unit_id
        self.program_id = program_id
        self.certificate_no = certificate_no
        self.unit_name = unit_name
        self.region_code = region_code
        self.credit_code = credit_code
        self.year = year
        self.result = result
        self.commendable = commendable
        self.recorded_on = recorded_on
        self.by = by
        self.remarks = remarks  # the assessors' free text: never published
        self.commended_on: date | None = None
        self.citation: str | None = None

    def commend(self, citation: str, by: str, today: date) -> None:
        if not self.commendable:
            raise WrongState(f"{self.unit_name}'s {self.year} result is {self.result!r}, which allows no commendation")
        if self.commended_on is not None:
            raise WrongState(f"{self.unit_name} was commended for {self.year} on {self.commended_on}")
        self._commended(commended_on=today, citation=citation, by=by, year=self.year, unit_id=self.unit_id,
                        program_id=self.program_id, certificate_no=self.certificate_no, unit_name=self.unit_name,
                        credit_code=self.credit_code)

    @event("Commended")
    def _commended(self, commended_on: date, citation: str, by: str, year: int, unit_id: UUID, program_id: str,
                   certificate_no: str, unit_name: str, credit_code: str) -> None:
        self.commended_on = commended_on
        self.citation = citation
