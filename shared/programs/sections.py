"""Schemas of the program-file sections that later stage kinds read: grading, grants, plan revision,
joint approval and annual assessment (the intake and review sections are in schema.py)."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from shared.programs.schema_fields import NAME, Amount, Mapping, Strict, Whole

GRADE = validate.Regexp(r"^A{1,5}$", error="a grade is A, AA, AAA, ... (up to AAAAA)")
STANDARD_LEVELS = ("national", "industry", "local")  # 国家标准 / 行业标准 / 地方标准
ONCE_PER = ("standard", "unit", "year")


class BandSchema(Strict):
    grade = fields.String(required=True, validate=GRADE)
    min_score = Whole(required=True, validate=validate.Range(min=0, max=100))


class ShareTargetSchema(Strict):
    grade = fields.String(required=True, validate=GRADE)
    percent = Whole(required=True, validate=validate.Range(min=0, max=100))
    by = fields.String(load_default=None)
    source = fields.String(load_default="")


class GradingSchema(Strict):
    """Grades from the expert panel's mean score: the highest band whose min_score it reaches."""
    bands = fields.List(fields.Nested(BandSchema), required=True, validate=validate.Length(min=1))
    targets = Mapping(fields.Nested(ShareTargetSchema), load_default=dict)

    @validates_schema
    def _bands_descend(self, data, **kwargs):
        scores = [b["min_score"] for b in data["bands"]]
        grades = [b["grade"] for b in data["bands"]]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValidationError("bands run from the highest grade down, each with a lower min_score", "bands")
        if [len(g) for g in grades] != sorted((len(g) for g in grades), reverse=True) or len(set(grades)) != len(grades):
            raise ValidationError("bands run from the highest grade down (AAA, AA, A), each once", "bands")


class AmountRuleSchema(Strict):
    """How a scheme's amount is found. up_to: the province decides, at most `max` (or the cap of
    the standard's level); between: the province decides within [min, max]; rate: `rate` yuan per
    unit of the measure, at most `cap`; share: `percent` of a cost, at most `cap`."""
    rule = fields.String(required=True, validate=validate.OneOf(("up_to", "between", "rate", "share")))
    max = Amount(load_default=None)
    max_by_standard_level = Mapping(Amount(), load_default=None)
    min = Amount(load_default=None)
    rate = Amount(load_default=None)
    measure = fields.String(load_default=None)
    percent = Amount(load_default=None)
    cap = Amount(load_default=None)

    @validates_schema
    def _complete(self, data, **kwargs):
        needed = {"up_to": (), "between": ("min", "max"), "rate": ("rate", "measure", "cap"),
                  "share": ("percent", "cap")}[data["rule"]]
        missing = [k for k in needed if data.get(k) is None]
        if data["rule"] == "up_to" and (data.get("max") is None) == (data.get("max_by_standard_level") is None):
            missing.append("max or max_by_standard_level (one of them)")
        if missing:
            raise ValidationError(f"rule {data['rule']!r} needs {', '.join(missing)}")
        levels = data.get("max_by_standard_level") or {}
        unknown = sorted(set(levels) - set(STANDARD_LEVELS))
        if unknown:
            raise ValidationError(f"standard levels are {', '.join(STANDARD_LEVELS)}, not {', '.join(unknown)}")
        if data["rule"] == "between" and data["min"] > data["max"]:
            raise ValidationError("min is above max")


class SchemeSchema(Strict):
    label = fields.String(required=True)
    source = fields.String(required=True)
    once_per = fields.String(required=True, validate=validate.OneOf(ONCE_PER))
    amount = fields.Nested(AmountRuleSchema, required=True)
    holders_only = fields.Boolean(load_default=False)  # only units holding this program's title


class GrantsSchema(Strict):
    budget_per_year = Amount(required=True)
    schemes = Mapping(fields.Nested(SchemeSchema), required=True)


class PlanRevisionSchema(Strict):
    coordinator = fields.String(required=True)          # who gives revision opinions (协调小组)
    max_rounds = Whole(load_default=None, validate=validate.Range(min=1))


class JointApprovalSchema(Strict):
    approvers = Mapping(fields.String(validate=validate.Length(min=1)), key_pattern=r"^[a-z][a-z0-9-]*$",
                        required=True)


class AssessmentSchema(Strict):
    results = fields.List(fields.String(validate=validate.Regexp(NAME)), required=True,
                          validate=validate.Length(min=1))
    commendable = fields.List(fields.String(validate=validate.Regexp(NAME)), required=True)
