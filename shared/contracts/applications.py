"""Public events of the applications service (exchange `applications.events`). The applicant's
contact never appears here."""
from marshmallow import fields

from shared.contracts.base import EventData

_APPLICATION = {"application_id": "originator_id"}


class _UnitSummary(EventData):
    """The unit as its readers downstream need it."""

    round_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    credit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    subtype = fields.String(required=True, allow_none=True)
    region_code = fields.String(required=True)
    provincial_level = fields.Boolean(required=True)
    recommender = fields.String(required=True)


class _UnitRef(EventData):
    """Who an application is about and who decides it."""

    credit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    region_code = fields.String(required=True)
    recommender = fields.String(required=True)


class RoundOpenedV1(EventData):
    TYPE = "shifan.applications.round_opened.v1"
    FROM_EVENT = {"round_id": "originator_id", "opened_by": "by", "opened_at": "at"}
    round_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    program_version = fields.String(required=True)
    label = fields.String(required=True)
    submission_deadline = fields.Date(required=True)
    opened_by = fields.String(required=True)
    opened_at = fields.AwareDateTime(required=True)


class ApplicationDraftedV1(EventData):
    TYPE = "shifan.applications.application_drafted.v1"
    FROM_EVENT = {**_APPLICATION, "drafted_at": "at"}
    application_id = fields.UUID(required=True)
    round_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    unit_type = fields.String(required=True)
    drafted_at = fields.AwareDateTime(required=True)


class ApplicationAmendedV1(EventData):
    TYPE = "shifan.applications.application_amended.v1"
    FROM_EVENT = {**_APPLICATION, "amended_at": "at", "changed": lambda event: sorted(event.changes)}
    application_id = fields.UUID(required=True)
    changed = fields.List(fields.String(), required=True)
    amended_at = fields.AwareDateTime(required=True)


class ApplicationSubmittedV1(_UnitSummary):
    TYPE = "shifan.applications.application_submitted.v1"
    FROM_EVENT = {**_APPLICATION, "submitted_at": "at",
                  "eligible": lambda event: bool(event.eligibility.get("eligible"))}
    application_id = fields.UUID(required=True)
    program_version = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    resubmission = fields.Boolean(required=True)
    submitted_at = fields.AwareDateTime(required=True)


class ApplicationReturnedV1(_UnitRef):
    TYPE = "shifan.applications.application_returned.v1"
    FROM_EVENT = {**_APPLICATION, "returned_by": "by", "returned_at": "at"}
    application_id = fields.UUID(required=True)
    reasons = fields.List(fields.String(), required=True)
    returned_by = fields.String(required=True)
    returned_at = fields.AwareDateTime(required=True)


class ApplicationRecommendedV1(_UnitSummary):
    TYPE = "shifan.applications.application_recommended.v1"
    FROM_EVENT = {**_APPLICATION, "recommended_by": "by", "recommended_at": "at"}
    application_id = fields.UUID(required=True)
    recommended_by = fields.String(required=True)
    recommended_at = fields.AwareDateTime(required=True)
    program_version = fields.String(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    declarations = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)
    eligibility = fields.Dict(required=True)


class ApplicationDeclinedV1(_UnitRef):
    TYPE = "shifan.applications.application_declined.v1"
    FROM_EVENT = {**_APPLICATION, "declined_by": "by", "declined_at": "at"}
    application_id = fields.UUID(required=True)
    declined_by = fields.String(required=True)
    reason = fields.String(required=True)
    declined_at = fields.AwareDateTime(required=True)


class ApplicationWithdrawnV1(_UnitRef):
    TYPE = "shifan.applications.application_withdrawn.v1"
    FROM_EVENT = {**_APPLICATION, "withdrawn_at": "at"}
    application_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    withdrawn_at = fields.AwareDateTime(required=True)


class QuotaOpenedV1(EventData):
    TYPE = "shifan.applications.quota_opened.v1"
    FROM_EVENT = {"quota_id": "originator_id"}
    quota_id = fields.UUID(required=True)
    round_id = fields.UUID(required=True)
    recommender = fields.String(required=True)
    unit_type = fields.String(required=True)
    limit = fields.Integer(required=True, allow_none=True)


class QuotaTakenV1(EventData):
    TYPE = "shifan.applications.quota_taken.v1"
    FROM_EVENT = {"quota_id": "originator_id"}
    quota_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)


class QuotaRaisedV1(EventData):
    TYPE = "shifan.applications.quota_raised.v1"
    FROM_EVENT = {"quota_id": "originator_id", "raised_by": "by", "raised_at": "at"}
    quota_id = fields.UUID(required=True)
    extra = fields.Integer(required=True)
    reason = fields.String(required=True)
    raised_by = fields.String(required=True)
    raised_at = fields.AwareDateTime(required=True)
