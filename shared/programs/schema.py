"""The program file's shape, checked with marshmallow: unknown keys refused (criteria: criteria_schema)."""
from __future__ import annotations

from marshmallow import fields, validate

from shared.programs.criteria_schema import CriterionField
from shared.programs.model import KINDS
from shared.programs.schema_fields import NAME, REGION, Mapping, Strict, Whole


class FieldSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    label = fields.String(required=True)
    min_years = Whole(validate=validate.Range(min=1))


class SubtypeSchema(Strict):
    name = fields.String(required=True)
    figures = fields.List(fields.String(), load_default=list)
    declarations = fields.List(fields.String(), load_default=list)


class UnitTypeSchema(SubtypeSchema):
    subtypes = Mapping(SubtypeSchema, load_default=dict)


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
    title = Mapping(fields.String(validate=validate.Length(min=1)), required=True)
    fields_ = Mapping(fields.Nested(FieldSchema), required=True, data_key="fields", attribute="fields")
    declarations = Mapping(fields.String(validate=validate.Length(min=1)), load_default=dict)
    unit_types = Mapping(UnitTypeSchema, required=True)
    criteria = Mapping(Mapping(fields.List(CriterionField())), required=True)
    quotas = fields.Nested(QuotaSchema, required=True)
    targets = Mapping(Whole(validate=validate.Range(min=0)), required=True)
    review = fields.Nested(ReviewSchema, required=True)
    notice = fields.Nested(NoticeSchema, required=True)
    rereview_years = Whole(required=True, validate=validate.Range(min=1))
