"""Public events of the registry service (exchange `registry.events`). The free texts of the
province and of the unit (a revocation's note, the reason for giving up or amending) stay inside."""
from marshmallow import fields, validate

from shared.contracts.base import EventData, StatisticalReport


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
    subtype = fields.String(load_default=None, allow_none=True)
    round_id = fields.UUID(load_default=None, allow_none=True)
    round_label = fields.String(load_default=None, allow_none=True)


class UnitGradedV1(EventData):
    """A unit's grade (等级评定) in a grading program: first given at the award, then kept, raised or
    lowered by a re-review's score or by the province (whose reason stays inside)."""

    TYPE = "shifan.registry.unit_graded.v1"
    FROM_EVENT = {"unit_id": "originator_id"}
    unit_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    grade = fields.String(required=True)
    previous = fields.String(required=True, allow_none=True)
    change = fields.String(required=True, validate=validate.OneOf(("graded", "kept", "upgraded", "downgraded")))
    score = fields.Decimal(required=True, as_string=True, allow_none=True)
    basis = fields.String(required=True, validate=validate.OneOf(("award", "rereview", "province")))
    graded_on = fields.Date(required=True)
    rereview_id = fields.UUID(required=True, allow_none=True)


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


class RereviewRequestedV1(EventData):
    """A certified unit is due for its re-review (每两年复核): the review service opens one.
    `report` is the unit's latest statistical report, or null when it has filed none."""

    TYPE = "shifan.registry.rereview_requested.v1"
    FROM_EVENT = {"unit_id": "originator_id"}
    unit_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    program_id = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    subtype = fields.String(required=True, allow_none=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    due_on = fields.Date(required=True)
    report = fields.Nested(StatisticalReport, required=True, allow_none=True)


_UNIT = {"unit_id": "originator_id"}


class UnitConfirmedV1(EventData):
    """A re-review confirmed the title: it stands until the next re-review."""

    TYPE = "shifan.registry.unit_confirmed.v1"
    FROM_EVENT = _UNIT
    unit_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    rereview_id = fields.UUID(required=True)
    confirmed_on = fields.Date(required=True)
    rereview_due = fields.Date(required=True)


class UnitRevokedV1(EventData):
    """The title is revoked (撤销), by a re-review or by the province, from `revoked_on`."""

    TYPE = "shifan.registry.unit_revoked.v1"
    FROM_EVENT = _UNIT
    unit_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    revoked_on = fields.Date(required=True)
    by = fields.String(required=True, validate=validate.OneOf(("rereview", "province")))
    reason_code = fields.String(required=True)
    reasons = fields.List(fields.String(), required=True)
    evidence_ref = fields.String(required=True, allow_none=True)
    rereview_id = fields.UUID(required=True, allow_none=True)


class UnitGivenUpV1(EventData):
    """The unit gave its title up (主动放弃), from `given_up_on`."""

    TYPE = "shifan.registry.unit_given_up.v1"
    FROM_EVENT = _UNIT
    unit_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    given_up_on = fields.Date(required=True)


class UnitAmendedV1(EventData):
    """Details of the unit changed (its name, say); earlier events keep the earlier values."""

    TYPE = "shifan.registry.unit_amended.v1"
    FROM_EVENT = _UNIT
    unit_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
    previous = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
    amended_on = fields.Date(required=True)


class ReportSubmittedV1(EventData):
    """A certified unit's yearly statistical report (the figures its program's criteria read)."""

    TYPE = "shifan.registry.report_submitted.v1"
    FROM_EVENT = _UNIT
    unit_id = fields.UUID(required=True)
    certificate_no = fields.String(required=True)
    year = fields.Integer(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    declarations = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)
    submitted_on = fields.Date(required=True)


class StandardRegisteredV1(EventData):
    """A standard a program tracks (national, industry or local), with its drafting units."""

    TYPE = "shifan.registry.standard_registered.v1"
    FROM_EVENT = {"standard_id": "originator_id"}
    standard_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(("national", "industry", "local")))
    status = fields.String(required=True)
    drafters = fields.List(fields.Dict(keys=fields.String(), values=fields.String()), required=True)
    registered_on = fields.Date(required=True)


class StandardAdvancedV1(EventData):
    """A standard moved to its next status (project, drafting, approval, published)."""

    TYPE = "shifan.registry.standard_advanced.v1"
    FROM_EVENT = {"standard_id": "originator_id"}
    standard_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    status = fields.String(required=True)
    previous = fields.String(required=True)
    on = fields.Date(required=True)


class GrantPaidV1(EventData):
    """A one-off grant or subsidy paid to a unit: `amount` whole yuan, found as `basis` says."""

    TYPE = "shifan.registry.grant_paid.v1"
    FROM_EVENT = {"grant_id": "originator_id"}
    grant_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    scheme = fields.String(required=True)
    subject = fields.String(required=True)
    credit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    region_code = fields.String(required=True)
    year = fields.Integer(required=True)
    amount = fields.Integer(required=True)
    basis = fields.String(required=True)
    paid_on = fields.Date(required=True)
    standard_id = fields.UUID(load_default=None, allow_none=True)
    unit_id = fields.UUID(load_default=None, allow_none=True)


class GrantBudgetOpenedV1(EventData):
    TYPE = "shifan.registry.grant_budget_opened.v1"
    FROM_EVENT = {"budget_id": "originator_id"}
    budget_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    year = fields.Integer(required=True)
    budget = fields.Integer(required=True)


class GrantBudgetChargedV1(EventData):
    TYPE = "shifan.registry.grant_budget_charged.v1"
    FROM_EVENT = {"budget_id": "originator_id"}
    budget_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    year = fields.Integer(required=True)
    grant_id = fields.UUID(required=True)
    amount = fields.Integer(required=True)


# -- the national demonstration cities' annual assessment (seed 004, ADR 42); the assessors'
# remarks stay inside, the citation of a commendation is public (嘉奖 is announced)
class AssessmentRecordedV1(EventData):
    """A certified unit's annual assessment for `year`, with the program's result."""

    TYPE = "shifan.registry.assessment_recorded.v1"
    FROM_EVENT = {"assessment_id": "originator_id"}
    assessment_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    certificate_no = fields.String(required=True)
    unit_name = fields.String(required=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    year = fields.Integer(required=True)
    result = fields.String(required=True)
    commendable = fields.Boolean(required=True)
    recorded_on = fields.Date(required=True)


class UnitCommendedV1(EventData):
    """A unit commended (嘉奖) for a year whose assessment result allows it."""

    TYPE = "shifan.registry.unit_commended.v1"
    FROM_EVENT = {"assessment_id": "originator_id"}
    assessment_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    certificate_no = fields.String(required=True)
    unit_name = fields.String(required=True)
    credit_code = fields.String(required=True)
    year = fields.Integer(required=True)
    citation = fields.String(required=True)
    commended_on = fields.Date(required=True)
