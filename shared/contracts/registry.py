"""Public events of the registry service (exchange `registry.events`)."""
from marshmallow import fields

from shared.contracts.base import EventData


class UnitCertifiedV1(EventData):
    TYPE = "shifan.registry.unit_certified.v1"
    FROM_EVENT = {"unit_id": "originator_id"}
    unit_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    title = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    program_id = fields.String(required=True)
    notice_id = fields.UUID(required=True)
    valid_from = fields.Date(required=True)
    rereview_due = fields.Date(required=True)


class CertificateNumbersIssuedV1(EventData):
    TYPE = "shifan.registry.certificate_numbers_issued.v1"
    FROM_EVENT = {"book_id": "originator_id"}
    book_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    numbers = fields.List(fields.String(), required=True)


class CertificateBookOpenedV1(EventData):
    TYPE = "shifan.registry.certificate_book_opened.v1"
    FROM_EVENT = {"book_id": "originator_id"}
    book_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    prefix = fields.String(required=True)
