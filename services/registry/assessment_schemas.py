"""HTTP payloads of the annual assessments and commendations (ADR 42)."""
from marshmallow import Schema, fields, validate

from shared.fields import Strict

YEAR = validate.Range(min=2000, max=2099)
NAME = validate.Regexp(r"^[a-z][a-z0-9_]*$", error="a result named in the program file, e.g. excellent")


class AssessmentSchema(Strict):
    year = fields.Integer(required=True, strict=True, validate=YEAR)
    result = fields.String(required=True, validate=NAME)
    remarks = fields.String(load_default="", validate=validate.Length(max=5_000))


class CommendationSchema(Strict):
    year = fields.Integer(required=True, strict=True, validate=YEAR)
    citation = fields.String(required=True, validate=validate.Length(min=1, max=1_000))


class AssessmentArgs(Strict):
    year = fields.Integer(validate=YEAR)


class AssessmentOut(Schema):
    id = fields.UUID()
    unit_id = fields.UUID()
    program_id = fields.String()
    certificate_no = fields.String()
    unit_name = fields.String()
    region_code = fields.String()
    year = fields.Integer()
    result = fields.String()
    commendable = fields.Boolean()
    recorded_on = fields.Date()
    commended_on = fields.Date(allow_none=True)
    citation = fields.String(allow_none=True)


class CommendationOut(AssessmentOut):
    """An assessment whose unit was commended (its own name in the OpenAPI document)."""
