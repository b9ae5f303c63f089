"""Public events of the review service (exchange `review.events`). Expert identities and
individual scores stay inside the service."""
from marshmallow import EXCLUDE, Schema, fields, validate

from shared.contracts.base import Entry, EventData


class ExpertRegisteredV1(EventData):
    """An expert joined the province's pool: its id and region, never its name."""

    TYPE = "shifan.review.expert_registered.v1"
    FROM_EVENT = {"expert_key": "originator_id"}
    expert_key = fields.UUID(required=True)
    expert_id = fields.String(required=True)
    region_code = fields.String(required=True)


class ExpertInterestsDeclaredV1(EventData):
    """An expert declared interests (how many, not in whom)."""

    TYPE = "shifan.review.expert_interests_declared.v1"
    FROM_EVENT = {"expert_key": "originator_id", "interests_declared": lambda event: len(event.credit_codes)}
    expert_key = fields.UUID(required=True)
    interests_declared = fields.Integer(required=True)


class ReviewOpenedV1(EventData):
    TYPE = "shifan.review.review_opened.v1"
    FROM_EVENT = {"review_id": "originator_id", "opened_at": "at",
                  "eligible": lambda event: bool(event.eligibility.get("eligible"))}
    review_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("application", "rereview")))
    application_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True, allow_none=True)
    program_id = fields.String(required=True)
    program_version = fields.String(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    subtype = fields.String(required=True, allow_none=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    experts_required = fields.Integer(required=True)
    pass_mark = fields.Integer(required=True)
    eligible = fields.Boolean(required=True)
    opened_at = fields.AwareDateTime(required=True)


class ExpertRecusedV1(EventData):
    """An assigned expert stepped back: not who, nor why."""

    TYPE = "shifan.review.expert_recused.v1"
    FROM_EVENT = {"review_id": "originator_id"}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)


class CriterionOverriddenV1(EventData):
    TYPE = "shifan.review.criterion_overridden.v1"
    FROM_EVENT = {"review_id": "originator_id", "overridden_by": "by", "overridden_at": "at"}
    review_id = fields.UUID(required=True)
    application_id = fields.UUID(required=True)
    criterion_id = fields.String(required=True)
    reason = fields.String(required=True)
    overridden_by = fields.String(required=True)
    overridden_at = fields.AwareDateTime(required=True)


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
    reasons = fields.List(fields.String(), required=True)
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


class ObjectionFiledV1(EventData):
    """Somebody objected to a listed unit: not who, nor the text."""

    TYPE = "shifan.review.objection_filed.v1"
    FROM_EVENT = {"notice_id": "originator_id"}
    notice_id = fields.UUID(required=True)
    objection_id = fields.String(required=True)
    application_id = fields.UUID(required=True)
    filed_on = fields.Date(required=True)


class ObjectionResolvedV1(EventData):
    TYPE = "shifan.review.objection_resolved.v1"
    FROM_EVENT = {"notice_id": "originator_id", "resolved_at": "at"}
    notice_id = fields.UUID(required=True)
    objection_id = fields.String(required=True)
    application_id = fields.UUID(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(("upheld", "dismissed")))
    reason = fields.String(required=True)
    resolved_at = fields.AwareDateTime(required=True)


class NoticeClosedV1(EventData):
    TYPE = "shifan.review.notice_closed.v1"
    FROM_EVENT = {"notice_id": "originator_id"}
    notice_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    closed_on = fields.Date(required=True)
    approved = fields.List(fields.Nested(Entry), required=True)


class RereviewConcludedV1(EventData):
    """The outcome of a unit's re-review: confirm (the title stands for another period) or revoke
    (撤销授牌), with the reasons. The registry acts on it."""

    TYPE = "shifan.review.rereview_concluded.v1"
    FROM_EVENT = {"rereview_id": "originator_id"}
    rereview_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("confirm", "revoke")))
    reasons = fields.List(fields.String(), required=True)
    mean_score = fields.Decimal(required=True, as_string=True, allow_none=True)
    concluded_on = fields.Date(required=True)


# -- city plans and batches (the national demonstration cities, seed 004, ADR 42). The texts of a
# plan, of the coordination group's opinions and of a ministry's reasons stay in the review store;
# the parties read them over HTTP. The events say who acted, on which version, and when.
_PLAN = {"plan_id": "originator_id"}


class PlanProposedV1(EventData):
    """A city government proposed its creation plan (研究提出)."""

    TYPE = "shifan.review.plan_proposed.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    program_version = fields.String(required=True)
    city_name = fields.String(required=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    proposed_on = fields.Date(required=True)


class PlanOpinionGivenV1(EventData):
    """The coordination group gave revision opinions on a version of the plan (讨论修改): round `round`."""

    TYPE = "shifan.review.plan_opinion_given.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    city_name = fields.String(required=True)
    credit_code = fields.String(required=True)  # the city government's: its inbox
    round = fields.Integer(required=True)
    version = fields.Integer(required=True)
    given_on = fields.Date(required=True)


class PlanRevisedV1(EventData):
    """The city answered round `round` with version `version` of its plan."""

    TYPE = "shifan.review.plan_revised.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    city_name = fields.String(required=True)
    credit_code = fields.String(required=True)  # the city government's: its inbox
    round = fields.Integer(required=True)
    version = fields.Integer(required=True)
    revised_on = fields.Date(required=True)


class PlanAcceptedV1(EventData):
    """The coordination group formally accepted a version (正式受理); `approvers` must each approve it."""

    TYPE = "shifan.review.plan_accepted.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    city_name = fields.String(required=True)
    credit_code = fields.String(required=True)  # the city government's: its inbox
    version = fields.Integer(required=True)
    approvers = fields.List(fields.String(), required=True)
    accepted_on = fields.Date(required=True)


class PlanApprovedV1(EventData):
    """One approver approved the accepted version; `jointly_approved` once `remaining` is empty."""

    TYPE = "shifan.review.plan_approved.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    city_name = fields.String(required=True)
    credit_code = fields.String(required=True)  # the city government's: its inbox
    approver = fields.String(required=True)
    version = fields.Integer(required=True)
    approved_on = fields.Date(required=True)
    remaining = fields.List(fields.String(), required=True)
    jointly_approved = fields.Boolean(required=True)


class PlanSentBackV1(EventData):
    """An approver sent the plan back for revision: round `round` opens; the approvals in `lapsed` lapse."""

    TYPE = "shifan.review.plan_sent_back.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    city_name = fields.String(required=True)
    credit_code = fields.String(required=True)  # the city government's: its inbox
    approver = fields.String(required=True)
    round = fields.Integer(required=True)
    version = fields.Integer(required=True)
    sent_back_on = fields.Date(required=True)
    lapsed = fields.List(fields.String(), required=True)


class PlanBatchedV1(EventData):
    """A jointly approved plan's city was confirmed in batch `batch_id`."""

    TYPE = "shifan.review.plan_batched.v1"
    FROM_EVENT = _PLAN
    plan_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    city_name = fields.String(required=True)
    credit_code = fields.String(required=True)  # the city government's: its inbox
    batch_id = fields.UUID(required=True)
    batched_on = fields.Date(required=True)


class BatchCity(Schema):
    """A city confirmed in a batch."""

    class Meta:
        unknown = EXCLUDE

    plan_id = fields.UUID(required=True)
    city_name = fields.String(required=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)


class BatchApprovedV1(EventData):
    """A batch of cities is confirmed (确定第一批示范城市 ...): the registry certifies each."""

    TYPE = "shifan.review.batch_approved.v1"
    FROM_EVENT = {"batch_id": "originator_id"}
    batch_id = fields.UUID(required=True)
    program_id = fields.String(required=True)
    label = fields.String(required=True)
    approved_on = fields.Date(required=True)
    cities = fields.List(fields.Nested(BatchCity), required=True)
