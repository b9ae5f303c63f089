"""The program file's shape, checked with marshmallow: unknown keys refused (criteria: criteria_schema)."""
from __future__ import annotations

from marshmallow import fields, validate

from shared.programs.criteria_schema import CriterionField
from shared.programs.sections import (AssessmentSchema, GradingSchema, GrantsSchema, JointApprovalSchema,
                                      PlanRevisionSchema)
from shared.programs.model import KINDS
from shared.programs.schema_fields import NAME, REGION, Mapping, Strict, Whole


class FieldSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    label = fields.String(required=True)
    min_years = Whole(validate=validate.Range(min=1))


class SubtypeSchema(Strict):
    name = fields.String(required=True)
    title = fields.String(validate=validate.Length(min=1))  # a subtype's own title (a level of the title)
    figures = fields.List(fields.String(), load_default=list)
    declarations = fields.List(fields.String(), load_default=list)


class UnitTypeSchema(SubtypeSchema):
    subtypes = Mapping(SubtypeSchema, load_default=dict)

    class Meta(Strict.Meta):
        exclude = ("title",)  # a unit type's title is in `title`


class ProvincialSchema(Strict):
    unit_types = fields.List(fields.String(), required=True)
    recommender = fields.String(required=True, validate=REGION)


class QuotaSchema(Strict):
    per_recommender = Mapping(Whole(validate=validate.Range(min=0)), required=True)
    exempt_recommenders = fields.List(fields.String(validate=REGION), load_default=list)
    provincial_level = fields.Nested(ProvincialSchema, required=True)


class ScoringItemSchema(Strict):
    id = fields.String(required=True, validate=validate.Regexp(NAME))
    label = fields.String(required=True)
    weight = Whole(required=True, validate=validate.Range(min=0, max=100))


class ReviewSchema(Strict):
    experts_per_application = Whole(required=True, validate=validate.Range(min=1))
    pass_mark = Whole(required=True, validate=validate.Range(min=0, max=100))
    scoring = Mapping(fields.List(fields.Nested(ScoringItemSchema)), load_default=dict)


class ProvinceSchema(Strict):
    code = fields.String(required=True, validate=validate.Regexp(r"^[1-8][0-9]0000$"))
    name = fields.String(required=True)


class CitySchema(Strict):
    name = fields.String(required=True)


class NoticeSchema(Strict):
    working_days = Whole(required=True, validate=validate.Range(min=1))


class ProgramFileSchema(Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]*$"))
    name = fields.String(required=True)
    version_label = fields.String(required=True)
    certificate_prefix = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2,8}$"))
    province = fields.Nested(ProvinceSchema, required=True)
    cities = Mapping(fields.Nested(CitySchema), key_pattern=r"^[1-8][0-9]{3}00$", load_default=dict)
    other_cities_name = fields.String(load_default="其他市(州)")
    title = Mapping(fields.String(validate=validate.Length(min=1)), load_default=dict)
    fields_ = Mapping(fields.Nested(FieldSchema), required=True, data_key="fields", attribute="fields")
    declarations = Mapping(fields.String(validate=validate.Length(min=1)), load_default=dict)
    unit_types = Mapping(UnitTypeSchema, required=True)
    stages = fields.List(fields.String(), required=True)
    # The sections below are read by the stage kinds that need them (shared/programs/stages.py).
    criteria = Mapping(Mapping(fields.List(CriterionField())), load_default=None)
    quotas = fields.Nested(QuotaSchema, load_default=None)
    targets = Mapping(Whole(validate=validate.Range(min=0)), load_default=dict)
    review = fields.Nested(ReviewSchema, load_default=None)
    notice = fields.Nested(NoticeSchema, load_default=None)
    rereview_years = Whole(load_default=None, validate=validate.Range(min=1))
    grading = fields.Nested(GradingSchema, load_default=None)
    grants = fields.Nested(GrantsSchema, load_default=None)
    plan_revision = fields.Nested(PlanRevisionSchema, load_default=None)
    joint_approval = fields.Nested(JointApprovalSchema, load_default=None)
    assessment = fields.Nested(AssessmentSchema, load_default=None)
