"""marshmallow fields for program files: exact amounts, strict integers, mappings keyed by name."""
from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.programs.amounts import parse_amount

NAME = r"^[a-z][a-z0-9_]*$"
REGION = validate.Regexp(r"^[1-8][0-9]{5}$", error="must be a 6-digit administrative division code")


class Strict(Schema):
    class Meta:
        unknown = RAISE


class Whole(fields.Integer):
    """A YAML integer, never a bool or a decimal."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"must be an integer, not {value!r}")
        return value


class Amount(fields.Field):
    """A non-negative exact number: int, decimal, or a "500万" / "5亿" shorthand."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_amount(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Mapping(fields.Field):
    """A mapping of snake_case names (or a key pattern) to values loaded by a field or schema;
    errors are keyed by the entry's own key."""

    def __init__(self, values, key_pattern: str = NAME, **kwargs):
        super().__init__(**kwargs)
        self.values, self.key_pattern = values, re.compile(key_pattern)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("must be a mapping")
        loaded, errors = {}, {}
        for key, item in value.items():
            if not isinstance(key, str) or not self.key_pattern.match(key):
                errors[key] = [f"{key!r} is not a valid key here (pattern {self.key_pattern.pattern})"]
                continue
            try:
                loaded[key] = self._load(item)
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        return loaded

    def _load(self, item):
        if isinstance(self.values, type) and issubclass(self.values, Schema):
            return self.values().load(item)
        return self.values.deserialize(item)
