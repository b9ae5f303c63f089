"""HTTP payloads of city plans and batches (ADR 42): input refuses unknown fields."""
from marshmallow import Schema, fields, validate

from shared.fields import Strict

PROGRAM_ID = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,80}$")
TEXT = validate.Length(min=1, max=20_000)       # a plan's text (or the reference of its document)
OPINION = validate.Length(min=1, max=5_000)
CITY_CODE = validate.Regexp(r"^[1-8][0-9]{3}00$", error="a city's region code (GB/T 2260), e.g. 440300")


class ProposePlanSchema(Strict):
    program_id = fields.String(required=True, validate=PROGRAM_ID)
    city_name = fields.String(required=True, validate=validate.Length(min=2, max=50))
    region_code = fields.String(required=True, validate=CITY_CODE)
    text = fields.String(required=True, validate=TEXT)


class OpinionSchema(Strict):
    opinion = fields.String(required=True, validate=OPINION)


class ReviseSchema(Strict):
    text = fields.String(required=True, validate=TEXT)


class ApproveSchema(Strict):
    pass


class SendBackSchema(Strict):
    reasons = fields.List(fields.String(validate=OPINION), required=True, validate=validate.Length(min=1, max=50))


class BatchSchema(Strict):
    program_id = fields.String(required=True, validate=PROGRAM_ID)
    label = fields.String(required=True, validate=validate.Length(min=1, max=50))
    plan_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=500))


class ListPlansArgs(Strict):
    program_id = fields.String(validate=PROGRAM_ID)


class _Version(Schema):
    version = fields.Integer()
    text = fields.String()
    on = fields.Date()


class _Round(Schema):
    round = fields.Integer()
    kind = fields.String()          # opinion (the coordination group) or sent_back (an approver)
    by = fields.String()
    opinion = fields.String()
    given_on = fields.Date()
    on_version = fields.Integer()
    revised_on = fields.Date(allow_none=True)
    version = fields.Integer(allow_none=True)


class _Acceptance(Schema):
    version = fields.Integer()
    opinion = fields.String()
    by = fields.String()
    on = fields.Date()
    approvers = fields.List(fields.String())


class PlanOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    program_version = fields.String()
    city_name = fields.String()
    region_code = fields.String()
    credit_code = fields.String()
    status = fields.String()
    proposed_on = fields.Date()
    text_version = fields.Integer()
    versions = fields.List(fields.Nested(_Version))
    rounds = fields.List(fields.Nested(_Round))
    acceptances = fields.List(fields.Nested(_Acceptance))
    approvers = fields.List(fields.String())
    approvals = fields.Dict(keys=fields.String(), values=fields.Date())
    remaining = fields.List(fields.String())
    batch_id = fields.UUID(allow_none=True)


class _BatchCity(Schema):
    plan_id = fields.UUID()
    city_name = fields.String()
    region_code = fields.String()
    credit_code = fields.String()


class BatchOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    label = fields.String()
    approved_on = fields.Date()
    cities = fields.List(fields.Nested(_BatchCity))
