"""Public events of the applications service (exchange `applications.events`)."""
from marshmallow import fields

from shared.contracts.base import EventData


class ApplicationSubmittedV1(EventData):
    TYPE = "shifan.applications.application_submitted.v1"
    FROM_EVENT = {"application_id": "originator_id", "submitted_at": "at"}
    application_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    round_id = fields.String(required=True)
    credit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    region_code = fields.String(required=True)
    submitted_at = fields.AwareDateTime(required=True)


class ApplicationRecommendedV1(EventData):
    TYPE = "shifan.applications.application_recommended.v1"
    FROM_EVENT = {"application_id": "originator_id", "recommender": "by", "recommended_at": "at"}
    application_id = fields.UUID(required=True)
    recommender = fields.String(required=True)
    recommended_at = fields.AwareDateTime(required=True)
    program_id = fields.String(required=True)
    round_id = fields.String(required=True)
    credit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    region_code = fields.String(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class ApplicationDeclinedV1(EventData):
    TYPE = "shifan.applications.application_declined.v1"
    FROM_EVENT = {"application_id": "originator_id", "recommender": "by", "declined_at": "at"}
    application_id = fields.UUID(required=True)
    recommender = fields.String(required=True)
    reason = fields.String(required=True)
    declined_at = fields.AwareDateTime(required=True)
