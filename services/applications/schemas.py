"""HTTP payloads of the applications service: input refuses unknown fields; output is chosen per role."""
from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.fields import Day, Strict, check_credit_code
from shared.regions import region_problem

from services.applications.domain import UNIT_TYPES


def _region_code(value: str) -> None:
    problem = region_problem(value)
    if problem:
        raise ValidationError(problem)


class Figure(fields.Field):
    """A figure: an exact non-negative number — an integer (yuan, count) or a decimal string
    ("10000.5" m², "35.5" %) — or a series {"2024": number, ...}. Floats are refused: amounts are exact.
    Whether a figure has the kind its program asks for is the program's check, at submission."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict) and value:
            series = {}
            for year, amount in value.items():
                if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
                    raise ValidationError(f"series years are 4-digit strings, not {year!r}")
                series[year] = _exact(amount, f"{year}: ")
            return series
        return _exact(value, "")

    def _serialize(self, value, attr, obj, **kwargs):
        return value


MAX_FIGURE = 10 ** 15  # 1000万亿 yuan: beyond any threshold or any real unit's figure


def _exact(value, where: str):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError(f"{where}must be an integer or a decimal string such as \"10000.5\" "
                              f"(floats are not exact), not {value!r}")
    if isinstance(value, str):
        if len(value) > 40:
            raise ValidationError(f"{where}a decimal string has at most 40 characters")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(f"{where}{value!r} is not a number") from None
        if not number.is_finite():
            raise ValidationError(f"{where}{value!r} is not a finite number")
    else:
        number = value
    if number < 0:
        raise ValidationError(f"{where}must not be negative")
    if number > MAX_FIGURE:
        raise ValidationError(f"{where}must be at most {MAX_FIGURE:,} (no figure a program judges comes near it)")
    return value


class Declared(fields.Boolean):
    """A declaration: JSON true or false, nothing that merely looks like one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value


class ContactSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    phone = fields.String(required=True, validate=validate.Regexp(r"^[0-9+\- ]{5,20}$"))


class _UnitFields(Strict):
    unit_name = fields.String(validate=validate.Length(min=2, max=100))
    unit_type = fields.String(validate=validate.OneOf(UNIT_TYPES))
    subtype = fields.String(allow_none=True, validate=validate.Length(max=40))
    region_code = fields.String(validate=_region_code)
    provincial_level = fields.Boolean()
    contact = fields.Nested(ContactSchema)
    figures = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)), values=Figure())
    declarations = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)),
                               values=Declared())


class DraftSchema(_UnitFields):
    round_id = fields.UUID(required=True)
    credit_code = fields.String(required=True, validate=check_credit_code)
    unit_name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    unit_type = fields.String(required=True, validate=validate.OneOf(UNIT_TYPES))
    subtype = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=40))
    region_code = fields.String(required=True, validate=_region_code)
    provincial_level = fields.Boolean(load_default=False)
    contact = fields.Nested(ContactSchema, required=True)
    figures = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)), values=Figure(),
                          load_default=dict)
    declarations = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)),
                               values=Declared(), load_default=dict)


class AmendSchema(_UnitFields):
    """The fields an applicant may change while its application is a draft or was returned."""

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("name at least one field to change")


class NoteSchema(Strict):
    note = fields.String(validate=validate.Length(max=2000), load_default="")


class ReasonSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=2000))


class ReturnSchema(Strict):
    reasons = fields.List(fields.String(validate=validate.Length(min=2, max=2000)), required=True,
                          validate=validate.Length(min=1, max=50))


class OpenRoundSchema(Strict):
    program_id = fields.String(required=True, validate=validate.Length(min=1, max=80))
    label = fields.String(required=True, validate=validate.Regexp(r"^[0-9A-Za-z._-]{1,40}$"))
    submission_deadline = Day(required=True)


class RaiseQuotaSchema(Strict):
    extra = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))
    reason = fields.String(required=True, validate=validate.Length(min=4, max=2000))


class ListApplicationsArgs(Strict):
    status = fields.String(validate=validate.OneOf(
        ("draft", "submitted", "returned", "recommended", "declined", "withdrawn")))
    round_id = fields.UUID()
    unit_type = fields.String(validate=validate.OneOf(UNIT_TYPES))


class RoundOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    program_version = fields.String()
    label = fields.String()
    submission_deadline = fields.Date()
    opened_by = fields.String()


class QuotaOut(Schema):
    round_id = fields.UUID()
    recommender = fields.String()
    unit_type = fields.String()
    limit = fields.Integer(allow_none=True)
    extra = fields.Integer()
    used = fields.Function(lambda quota: len(quota.used))
    remaining = fields.Integer(allow_none=True)
    raises = fields.List(fields.Dict())


class ApplicationOut(Schema):
    id = fields.UUID()
    round_id = fields.UUID()
    program_id = fields.String()
    program_version = fields.String(allow_none=True)
    credit_code = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    subtype = fields.String(allow_none=True)
    region_code = fields.String()
    provincial_level = fields.Boolean()
    recommender = fields.String()
    figures = fields.Dict()
    declarations = fields.Dict()
    status = fields.String()
    eligibility = fields.Dict(allow_none=True)
    return_reasons = fields.List(fields.String())
    submitted_at = fields.AwareDateTime(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)


class ApplicationWithContactOut(ApplicationOut):
    """For the parties who handle the application: the applicant itself, its recommending
    authority, the province and auditors. Never for the public or agencies."""

    contact = fields.Nested(ContactSchema)


OUTPUT_BY_ROLE = {
    "applicant": ApplicationWithContactOut,
    "recommender": ApplicationWithContactOut,
    "operator": ApplicationWithContactOut,
    "auditor": ApplicationWithContactOut,
}
