"""The Unit and CertificateBook aggregates: a certified unit, and the numbers its program issues."""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

CERTIFIED = "certified"

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/registry")


class Unit(Aggregate):
    """A unit holding a demonstration title; one per application, so it is certified only once."""

    @staticmethod
    def create_id(application_id: UUID, **_) -> UUID:
        return uuid5(_NS, f"unit/{application_id}")

    @event("Certified")
    def __init__(self, application_id: UUID, certificate_no: str, title: str, unit_name: str,
                 unit_type: str, region_code: str, credit_code: str, program_id: str,
                 notice_id: UUID, valid_from: date, rereview_due: date):
        self.application_id = application_id
        self.certificate_no = certificate_no
        self.title = title
        self.unit_name = unit_name
        self.unit_type = unit_type
        self.region_code = region_code
        self.credit_code = credit_code
        self.program_id = program_id
        self.notice_id = notice_id
        self.valid_from = valid_from
        self.rereview_due = rereview_due
        self.status = CERTIFIED


class CertificateBook(Aggregate):
    """A program's certificate numbers: issued in sequence, never reused."""

    @staticmethod
    def create_id(program_id: str, **_) -> UUID:
        return uuid5(_NS, f"certificate-book/{program_id}")

    @event("Opened")
    def __init__(self, program_id: str, prefix: str):
        self.program_id = program_id
        self.prefix = prefix
        self.issued = 0

    def issue(self, count: int, year: int) -> list[str]:
        numbers = [f"{self.prefix}-{year}-{self.issued + i:05d}" for i in range(1, count + 1)]
        self._issued(numbers=numbers, program_id=self.program_id)
        return numbers

    @event("Issued")
    def _issued(self, numbers: list, program_id: str) -> None:
        self.issued += len(numbers)
