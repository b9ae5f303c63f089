"""HTTP payloads of the applications service (input refuses unknown fields)."""
from marshmallow import RAISE, Schema, fields, validate

from services.applications.domain import UNIT_TYPES

CREDIT_CODE = validate.Regexp(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                              error="must be an 18-character unified social credit code")
REGION_CODE = validate.Regexp(r"^[1-8][0-9]{5}$", error="must be a 6-digit administrative division code")


class Strict(Schema):
    class Meta:
        unknown = RAISE


class ContactSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    phone = fields.String(required=True, validate=validate.Regexp(r"^[0-9+\- ]{5,20}$"))


class SubmitSchema(Strict):
    program_id = fields.String(load_default="sichuan-ecommerce-demo")
    round_id = fields.String(load_default="2026")
    credit_code = fields.String(required=True, validate=CREDIT_CODE)
    unit_name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    unit_type = fields.String(required=True, validate=validate.OneOf(UNIT_TYPES))
    region_code = fields.String(required=True, validate=REGION_CODE)
    contact = fields.Nested(ContactSchema, required=True)
    figures = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)),
                          values=fields.Integer(strict=True, validate=validate.Range(min=0)),
                          load_default=dict)


class RecommendSchema(Strict):
    """The recommending department is the caller; the body may only carry a note."""

    note = fields.String(validate=validate.Length(max=2000), load_default="")


class DeclineSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=2000))


class ApplicationOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    round_id = fields.String()
    credit_code = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    region_code = fields.String()
    figures = fields.Dict()
    status = fields.String()
    submitted_at = fields.AwareDateTime()
    decided_by = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)


class ApplicationWithContactOut(ApplicationOut):
    """For the parties who handle the application: the applicant itself, its department, the
    province and auditors. Never for the public or agencies."""

    contact = fields.Nested(ContactSchema)


OUTPUT_BY_ROLE = {
    "applicant": ApplicationWithContactOut,
    "recommender": ApplicationWithContactOut,
    "operator": ApplicationWithContactOut,
    "auditor": ApplicationWithContactOut,
}


class HistoryOut(Schema):
    """One stored event of an aggregate, as its public contract shows it."""

    type = fields.String()
    version = fields.Integer()
    at = fields.AwareDateTime()
    data = fields.Dict()
