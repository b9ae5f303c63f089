"""Public events of the review service (exchange `review.events`). Expert identities and
individual scores stay inside the service."""
from marshmallow import fields

from shared.contracts.base import Entry, EventData


class ReviewOpenedV1(EventData):
    TYPE = "shifan.review.review_opened.v1"
    FROM_EVENT = {"review_id": "originator_id", "opened_at": "at"}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    experts_required = fields.Integer(required=True)
    pass_mark = fields.Integer(required=True)
    opened_at = fields.AwareDateTime(required=True)


class ExpertsAssignedV1(EventData):
    """That experts were assigned, and how many: never who they are."""

    TYPE = "shifan.review.experts_assigned.v1"
    FROM_EVENT = {"review_id": "originator_id", "experts_assigned": lambda event: len(event.expert_ids)}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    experts_assigned = fields.Integer(required=True)


class ReviewScoredV1(EventData):
    TYPE = "shifan.review.review_scored.v1"
    FROM_EVENT = {"review_id": "originator_id", "scored_at": "at"}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    scored_at = fields.AwareDateTime(required=True)


class ReviewConcludedV1(EventData):
    TYPE = "shifan.review.review_concluded.v1"
    FROM_EVENT = {"review_id": "originator_id", "concluded_at": "at"}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    passed = fields.Boolean(required=True)
    mean_score = fields.Decimal(required=True, as_string=True)
    concluded_at = fields.AwareDateTime(required=True)


class ReviewListedV1(EventData):
    TYPE = "shifan.review.review_listed.v1"
    FROM_EVENT = {"review_id": "originator_id"}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    notice_id = fields.UUID(required=True)


class NoticePublishedV1(EventData):
    TYPE = "shifan.review.notice_published.v1"
    FROM_EVENT = {"notice_id": "originator_id"}
    notice_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    published_on = fields.Date(required=True)
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)
    end_estimated = fields.Boolean(required=True)
    entries = fields.List(fields.Nested(Entry), required=True)


class NoticeClosedV1(EventData):
    TYPE = "shifan.review.notice_closed.v1"
    FROM_EVENT = {"notice_id": "originator_id"}
    notice_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    closed_on = fields.Date(required=True)
    approved = fields.List(fields.Nested(Entry), required=True)
