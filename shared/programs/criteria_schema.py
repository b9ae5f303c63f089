"""The criteria in a program file: one schema per operator, picked by `op`; thresholds exact."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate

from shared.programs.model import Test
from shared.programs.schema_fields import NAME, Amount, Strict


class _Test(Strict):
    op = fields.String(required=True)

    @post_load
    def make(self, data, **kwargs):
        """Adds the Test; a group's branches are loaded one by one afterwards (load_test)."""
        operands = {k: data[k] for k in Test.__dataclass_fields__ if k in data and k != "branches"}
        return {**data, "test": Test(**operands)}


class _FieldTest(_Test):
    field = fields.String(required=True)


class _Compare(_FieldTest):
    threshold = Amount(required=True)


class _Share(_FieldTest):
    of = fields.String(required=True)
    percent = Amount(required=True)


class _Growth(_FieldTest):
    percent = Amount(required=True)


class _Declared(_Test):
    declaration = fields.String(required=True)


class _Group(_Test):
    branches = fields.List(fields.Raw(), required=True, validate=validate.Length(min=2))


TESTS = {"at_least": _Compare, "greater_than": _Compare, "share_at_least": _Share,
         "each_year_at_least": _Compare, "growth_each_year_at_least": _Growth,
         "increasing_each_year": _FieldTest, "declared": _Declared, "any_of": _Group, "all_of": _Group}


class _Head(Schema):
    rule = fields.String(validate=validate.Length(min=1))


class _CriterionHead(_Head):
    id = fields.String(required=True, validate=validate.Regexp(NAME))
    source = fields.String(load_default="")


class _VariantHead(_Head):
    city = fields.String(required=True, validate=validate.Regexp(r"^([0-9]{6}|other)$",
                                                                 error="must be a city code or 'other'"))


_SCHEMAS: dict[tuple, type] = {}


def load_test(value: dict, head: type | None = None) -> dict:
    """A test (with `head`'s keys when given) loaded by the schema its `op` names."""
    if not isinstance(value, dict):
        raise ValidationError("must be a mapping")
    op = value.get("op")
    if op not in TESTS:
        raise ValidationError({"op": [f"unknown operator {op!r}; one of {', '.join(TESTS)}"
                                      if op is not None else "Missing data for required field."]})
    key = (head, op)
    if key not in _SCHEMAS:
        bases = (head, TESTS[op]) if head else (TESTS[op],)
        _SCHEMAS[key] = type(f"{op}_{head.__name__ if head else 'branch'}", bases, {})
    loaded = _SCHEMAS[key]().load(value)
    if op in ("any_of", "all_of"):
        branches, errors = [], {}
        for i, branch in enumerate(loaded["branches"]):
            try:
                branches.append(load_test(branch)["test"])
            except ValidationError as exc:
                errors[i] = exc.messages
        if errors:
            raise ValidationError({"branches": errors})
        loaded["test"] = Test(op=op, branches=tuple(branches))
    return loaded


class CriterionField(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict) and "variants" in value:
            return _VariantCriterion().load(value)
        loaded = load_test(value, _CriterionHead)
        if "rule" not in loaded and loaded["op"] != "declared":
            raise ValidationError({"rule": ["Missing data for required field."]})
        return loaded


class VariantField(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        loaded = load_test(value, _VariantHead)
        if "rule" not in loaded:
            raise ValidationError({"rule": ["Missing data for required field."]})
        return loaded


class _VariantCriterion(_CriterionHead, Strict):
    rule = fields.String(required=True, validate=validate.Length(min=1))
    variants = fields.List(VariantField(), required=True, validate=validate.Length(min=1))
