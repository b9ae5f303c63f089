"""Input field types several services' schemas share: a business day within the years a program
can concern (a date outside them is a typing error, not a plan)."""
from datetime import date

from marshmallow import fields, validate

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class Day(fields.Date):
    """An ISO date from 2000-01-01 to 2099-12-31."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=FIRST_DAY, max=LAST_DAY,
                                                 error=f"must be a day from {FIRST_DAY} to {LAST_DAY}"), **kwargs)
