"""HTTP payloads of the registry service (input refuses unknown fields). The registry holds no
contact data; the free texts of the province and of the unit are shown to the province and
auditors only."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.fields import Day, Strict
from shared.programs.sections import GRADE

from services.registry.domain import AMENDABLE, PROVINCE_REASONS
from services.registry.readmodel import ANY_STATUS, HOLDING_ONLY, SORTS

STATUSES = (HOLDING_ONLY, ANY_STATUS, "certified", "under_rereview", "confirmed", "revoked", "given_up")


class AsOfArgs(Strict):
    as_of = Day(metadata={"description": "answer as things stood at the end of this day (China)"})


class ListUnitsArgs(AsOfArgs):
    q = fields.String(validate=validate.Length(min=1, max=100),
                      metadata={"description": "part of the name; simplified and traditional match alike"})
    unit_type = fields.String()
    subtype = fields.String()
    city = fields.String(validate=validate.Regexp(r"^[0-9]{6}$"))
    region_code = fields.String(validate=validate.Regexp(r"^[0-9]{6}$"))
    status = fields.String(load_default=HOLDING_ONLY, validate=validate.OneOf(STATUSES))
    program_id = fields.String()
    round = fields.String(metadata={"description": "round id or label"})
    application_id = fields.UUID()
    grade = fields.String(validate=GRADE, metadata={"description": "in a grading program: units of this grade"})
    sort = fields.String(load_default="certificate_no",
                         validate=validate.OneOf([*SORTS, *(f"-{s}" for s in SORTS)]))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class ReportSchema(Strict):
    """A year's figures and declarations, named as the program names them for the unit's type."""

    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    figures = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    declarations = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class RevokeSchema(Strict):
    reason_code = fields.String(required=True, validate=validate.OneOf(PROVINCE_REASONS))
    evidence_ref = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 metadata={"description": "the decision or finding it rests on, e.g. a penalty decision number"})
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class GradeSchema(Strict):
    """The province sets a unit's grade (a downgrade after a finding, say), with its reason."""

    grade = fields.String(required=True, validate=GRADE)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class GiveUpSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class AmendSchema(Strict):
    unit_name = fields.String(validate=validate.Length(min=1, max=100))
    region_code = fields.String(validate=validate.Regexp(r"^[1-8][0-9]{5}$"))
    subtype = fields.String(allow_none=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))

    @validates_schema
    def _changes_something(self, data, **kwargs):
        if not set(data) & set(AMENDABLE):
            raise ValidationError(f"give at least one of {', '.join(AMENDABLE)}", "_schema")


class _Unit(Schema):
    id = fields.UUID()
    application_id = fields.UUID()
    certificate_no = fields.String()
    title = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    subtype = fields.String(allow_none=True)
    region_code = fields.String()
    credit_code = fields.String()
    program_id = fields.String()
    round_id = fields.String(allow_none=True)
    round_label = fields.String(allow_none=True)
    status = fields.String()
    holds_title = fields.Boolean()
    valid_from = fields.Date()
    rereview_due = fields.Date()
    ended_on = fields.Date(allow_none=True)
    grade = fields.String(allow_none=True, metadata={"description": "in a grading program (AAA, AA, A); else null"})


class UnitOut(_Unit):
    """A unit as the public registry lists it, at a date (today unless as_of says otherwise)."""

    city_code = fields.String()
    state_since = fields.Date(metadata={"description": "the day its listed state began"})


class ReportSummaryOut(Schema):
    year = fields.Integer()
    submitted_on = fields.Date()


class OverdueOut(Schema):
    year = fields.Integer()
    due_by = fields.Date()


class GradeOut(Schema):
    grade = fields.String()
    previous = fields.String(allow_none=True)
    change = fields.String(metadata={"description": "graded, kept, upgraded or downgraded"})
    score = fields.Decimal(as_string=True, allow_none=True)
    basis = fields.String(metadata={"description": "award, rereview or province"})
    on = fields.Date()


class UnitDetailOut(_Unit):
    """One unit today, from its own history: its reports and any that are overdue."""

    city_code = fields.Function(lambda unit: unit.region_code[:4] + "00")
    ended_on = fields.Date(allow_none=True)
    certificate_issued_on = fields.Date()
    reports = fields.Function(lambda unit: ReportSummaryOut(many=True).dump(
        [unit.reports[y] for y in sorted(unit.reports)]))
    grades = fields.List(fields.Nested(GradeOut), metadata={"description": "the grade's history, oldest first"})


class NoteOut(Schema):
    on = fields.Date()
    event = fields.String()
    text = fields.String()
    evidence_ref = fields.String(allow_none=True)


class UnitForProvinceOut(UnitDetailOut):
    """The province and auditors also read the free texts: the revocation note, the reason given."""

    notes = fields.List(fields.Nested(NoteOut))


DETAIL_BY_ROLE = {"operator": UnitForProvinceOut, "auditor": UnitForProvinceOut}


class ReportOut(Schema):
    year = fields.Integer()
    figures = fields.Dict()
    declarations = fields.Dict()
    submitted_on = fields.Date()


class VerificationOut(Schema):
    certificate_no = fields.String()
    as_of = fields.Date()
    status = fields.String(metadata={"description": "valid, revoked or given_up"})
    unit_status = fields.String()
    title = fields.String()
    unit_name = fields.String()
    program_id = fields.String()
    valid_from = fields.Date()
    rereview_due = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    timeline = fields.List(fields.Dict())


class ProgressOut(Schema):
    program_id = fields.String()
    as_of = fields.Date()
    unit_types = fields.Dict()
    certified = fields.Integer()
    target = fields.Integer()


class GradeTargetOut(Schema):
    grade = fields.String()
    percent = fields.Integer()
    by = fields.String(allow_none=True)
    source = fields.String()
    at_or_above = fields.Integer()
    share_percent = fields.Decimal(as_string=True, allow_none=True)
    met = fields.Boolean()


class GradesOfTypeOut(Schema):
    holders = fields.Integer()
    by_grade = fields.Dict(keys=fields.String(), values=fields.Integer())
    ungraded = fields.Integer()
    target = fields.Nested(GradeTargetOut, allow_none=True)


class GradingOut(Schema):
    """A grading program's title holders by grade, and the share at or above each target grade."""

    program_id = fields.String()
    as_of = fields.Date()
    grades = fields.List(fields.String())
    unit_types = fields.Dict(keys=fields.String(), values=fields.Nested(GradesOfTypeOut))


class CertificateKeyOut(Schema):
    algorithm = fields.String()
    key_id = fields.String()
    pem = fields.String()
    jwk = fields.Dict()


class SignatureOut(Schema):
    algorithm = fields.String()
    key_id = fields.String()
    value = fields.String()


class CertificateOut(Schema):
    """The signed certificate: `certificate` is signed as canonical JSON (sorted keys, no spaces, UTF-8)."""

    certificate = fields.Dict()
    signature = fields.Nested(SignatureOut)
