"""What several services' input schemas share: `Strict` (unknown fields refused), the credit-code
check, and a business day within the years a program can concern (a date outside them is a typing
error, not a plan)."""
from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.codes import uscc_problem

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class Strict(Schema):
    """An input schema: a field it does not declare is an error, never ignored."""

    class Meta:
        unknown = RAISE


def check_credit_code(value: str) -> None:
    """Validator: a unified social credit code with its check character."""
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(f"not a unified social credit code (GB 32100-2015): {problem}")


class Day(fields.Date):
    """An ISO date from 2000-01-01 to 2099-12-31."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=FIRST_DAY, max=LAST_DAY,
                                                 error=f"must be a day from {FIRST_DAY} to {LAST_DAY}"), **kwargs)
