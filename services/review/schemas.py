"""HTTP payloads of the review service: input refuses unknown fields; output is chosen per role."""
from marshmallow import Schema, fields, validate

from shared.fields import Strict, check_credit_code


EXPERT_ID = validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$", error="letters, digits, - and _ (at most 32)")


class RegisterExpertSchema(Strict):
    expert_id = fields.String(required=True, validate=EXPERT_ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    organisation = fields.String(required=True, validate=validate.Length(min=2, max=100))
    organisation_credit_code = fields.String(load_default=None, allow_none=True, validate=check_credit_code)
    region_code = fields.String(required=True, validate=validate.Regexp(r"^[1-8][0-9]{5}$"))
    interests = fields.List(fields.String(validate=check_credit_code), load_default=list)


class InterestsSchema(Strict):
    credit_codes = fields.List(fields.String(validate=check_credit_code), required=True,
                               validate=validate.Length(min=1, max=100))


class AssignSchema(Strict):
    expert_ids = fields.List(fields.String(validate=EXPERT_ID), required=True, validate=validate.Length(min=1, max=20))


class RecuseSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=2000))


class ScoreSchema(Strict):
    """The scoring expert is the caller; one score from 0 to 100 per criterion of the program."""

    scores = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)),
                         values=fields.Integer(strict=True, validate=validate.Range(min=0, max=100)),
                         required=True)


class OverrideSchema(Strict):
    criterion_id = fields.String(required=True, validate=validate.Length(min=1, max=80))
    reason = fields.String(required=True, validate=validate.Length(min=4, max=2000))


class PublishNoticeSchema(Strict):
    review_ids = fields.List(fields.UUID(), validate=validate.Length(min=1, max=1000), load_default=None)
    achievements = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(max=2000)),
                               load_default=dict)


class CloseNoticeSchema(Strict):
    """Closing takes no fields; the body is checked so a mistyped request is refused."""


class ObjectionSchema(Strict):
    application_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    contact = fields.String(required=True, validate=validate.Length(min=3, max=100))
    reason = fields.String(required=True, validate=validate.Length(min=5, max=5000))


class ResolveObjectionSchema(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(("upheld", "dismissed")))
    reason = fields.String(required=True, validate=validate.Length(min=2, max=2000))


class ExpertOut(Schema):
    expert_id = fields.String()
    name = fields.String()
    organisation = fields.String()
    organisation_credit_code = fields.String(allow_none=True)
    region_code = fields.String()
    interests = fields.List(fields.String())


class ReviewOut(Schema):
    """A review as applicants, departments and experts see it: no expert identities, no scores."""

    id = fields.UUID()
    kind = fields.String()
    application_id = fields.UUID()
    unit_id = fields.UUID(allow_none=True)
    program_id = fields.String()
    program_version = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    subtype = fields.String(allow_none=True)
    region_code = fields.String()
    experts_required = fields.Integer()
    experts_scored = fields.Function(lambda review: len(review.scores))
    pass_mark = fields.Integer()
    scoring = fields.List(fields.Dict())
    eligibility = fields.Dict()
    overrides = fields.Dict()
    status = fields.String()
    mean_score = fields.Decimal(as_string=True, allow_none=True)
    outcome_reasons = fields.List(fields.String())
    notice_id = fields.UUID(allow_none=True)


class ReviewForOperatorOut(ReviewOut):
    """The province and auditors also see who is assigned, who recused and each expert's scores."""

    experts = fields.List(fields.String())
    recused = fields.Dict()
    scores = fields.Dict()


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
    subtype = fields.String(allow_none=True)
    region_code = fields.String()
    achievements = fields.String()


class NoticeOut(Schema):
    """The public notice: who is listed and when anyone may object; no objector's details."""

    id = fields.UUID()
    program_id = fields.String()
    status = fields.String()
    published_on = fields.Date()
    first_day = fields.Date()
    last_day = fields.Date()
    end_estimated = fields.Boolean()
    closed_on = fields.Date(allow_none=True)
    entries = fields.List(fields.Nested(EntryOut))
    approved = fields.List(fields.Nested(EntryOut))
    objections_open = fields.Function(lambda notice: len(notice.open_objections))


class ObjectionOut(Schema):
    id = fields.String()
    application_id = fields.String()
    name = fields.String()
    contact = fields.String()
    reason = fields.String()
    filed_on = fields.Date()
    decision = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
