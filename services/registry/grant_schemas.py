"""HTTP payloads of the registry's standards and grants (input refuses unknown fields; money is
whole yuan as a JSON integer, a quantity an integer or a decimal string: never a float)."""
from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validate

from shared.fields import Strict, check_credit_code

from services.registry.grants import STANDARD_LEVELS, STANDARD_STATUSES

MAX_YUAN = 10 ** 15
NAME = validate.Length(min=1, max=200)


class Yuan(fields.Integer):
    """Whole yuan: a JSON integer from 0 to 10^15; no float, no bool, no string."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"must be a whole number of yuan (a JSON integer), not {value!r}")
        if not 0 <= value <= MAX_YUAN:
            raise ValidationError(f"must be from 0 to {MAX_YUAN}")
        return value


class Quantity(fields.Field):
    """A measured quantity (m²): an integer or a decimal string with at most 2 decimals."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, str) and len(value) > 20):
            raise ValidationError("must be an integer or a decimal string such as \"1200.5\" (floats are not exact)")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValidationError(f"{value!r} is not a number") from None
        if not number.is_finite() or number < 0 or number > 10 ** 9 or number.as_tuple().exponent < -2:
            raise ValidationError("must be from 0 to 10^9 with at most 2 decimals")
        return number

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)


class DrafterSchema(Strict):
    credit_code = fields.String(required=True, validate=check_credit_code)
    unit_name = fields.String(required=True, validate=NAME)


class StandardSchema(Strict):
    program_id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,80}$"))
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9/ .\-]{1,39}$",
                                                                 error="a standard or project number, e.g. DB35/T 1701-2017"))
    title = fields.String(required=True, validate=NAME)
    level = fields.String(required=True, validate=validate.OneOf(STANDARD_LEVELS))
    status = fields.String(load_default="project", validate=validate.OneOf(STANDARD_STATUSES))
    drafters = fields.List(fields.Nested(DrafterSchema), required=True, validate=validate.Length(min=1, max=100))


class AdvanceSchema(Strict):
    status = fields.String(required=True, validate=validate.OneOf(STANDARD_STATUSES))


class ListStandardsArgs(Strict):
    q = fields.String(validate=validate.Length(min=1, max=100),
                      metadata={"description": "part of the title or number; simplified and traditional match alike"})
    level = fields.String(validate=validate.OneOf(STANDARD_LEVELS))
    status = fields.String(validate=validate.OneOf(STANDARD_STATUSES))
    program_id = fields.String(validate=validate.Length(max=80))


class StandardOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    code = fields.String()
    title = fields.String()
    level = fields.String()
    status = fields.String()
    drafters = fields.List(fields.Dict())
    history = fields.List(fields.Dict())


class GrantSchema(Strict):
    scheme = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,60}$"))
    credit_code = fields.String(required=True, validate=check_credit_code)
    unit_name = fields.String(required=True, validate=NAME)
    region_code = fields.String(required=True, validate=validate.Regexp(r"^[1-8][0-9]{5}$"))
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2099))
    standard_id = fields.UUID()
    unit_id = fields.UUID()
    amount = Yuan(metadata={"description": "schemes the province decides (up_to, between)"})
    quantity = Quantity(metadata={"description": "rate schemes: the measure (m²)"})
    cost = Yuan(metadata={"description": "share schemes: the year's actual cost in yuan"})


class YearArgs(Strict):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2099))


class GrantOut(Schema):
    id = fields.UUID()
    program_id = fields.String()
    scheme = fields.String()
    subject = fields.String()
    credit_code = fields.String()
    unit_name = fields.String()
    region_code = fields.String()
    year = fields.Integer()
    amount = fields.Integer()
    basis = fields.String()
    paid_on = fields.Date()
    standard_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID(allow_none=True)


class GrantsOfYearOut(Schema):
    program_id = fields.String()
    year = fields.Integer()
    budget = fields.Integer()
    paid = fields.Integer()
    remaining = fields.Integer()
    grants = fields.List(fields.Nested(GrantOut))
