"""HTTP payloads of the review service (input refuses unknown fields)."""
from marshmallow import RAISE, Schema, fields, validate


class Strict(Schema):
    class Meta:
        unknown = RAISE


class ScoreSchema(Strict):
    """The scoring expert is the caller."""

    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))


class AssignSchema(Strict):
    expert_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                             validate=validate.Length(min=1, max=20))


class CloseNoticeSchema(Strict):
    """Closing takes no fields; the body is checked so a mistyped request is refused."""


class PublishNoticeSchema(Strict):
    review_ids = fields.List(fields.UUID(), validate=validate.Length(min=1, max=1000), load_default=None)


class ReviewOut(Schema):
    """A review as the public and operators see it: no expert identities, no single scores."""

    id = fields.UUID()
    application_id = fields.UUID()
    program_id = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    region_code = fields.String()
    experts_required = fields.Integer()
    experts_scored = fields.Function(lambda review: len(review.scores))
    pass_mark = fields.Integer()
    status = fields.String()
    mean_score = fields.Decimal(as_string=True, allow_none=True)
    notice_id = fields.UUID(allow_none=True)


class ReviewForOperatorOut(ReviewOut):
    """The province and auditors also see who is assigned."""

    experts = fields.List(fields.String())


OUTPUT_BY_ROLE = {
    "operator": ReviewForOperatorOut,
    "auditor": ReviewForOperatorOut,
    "expert": ReviewOut,
    "applicant": ReviewOut,
    "recommender": ReviewOut,
}


class EntryOut(Schema):
    application_id = fields.String()
    review_id = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    region_code = fields.String()
    achievements = fields.String()


class NoticeOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    status = fields.String()
    published_on = fields.Date()
    first_day = fields.Date()
    last_day = fields.Date()
    end_estimated = fields.Boolean()
    closed_on = fields.Date(allow_none=True)
    entries = fields.List(fields.Nested(EntryOut))
