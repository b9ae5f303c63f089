"""HTTP payloads of the registry service: what the public registry shows of a unit."""
from marshmallow import RAISE, Schema, fields, validate


class ListUnitsArgs(Schema):
    class Meta:
        unknown = RAISE

    application_id = fields.UUID()
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class UnitOut(Schema):
    id = fields.UUID()
    application_id = fields.UUID()
    certificate_no = fields.String()
    title = fields.String()
    unit_name = fields.String()
    unit_type = fields.String()
    region_code = fields.String()
    credit_code = fields.String()
    program_id = fields.String()
    status = fields.String()
    valid_from = fields.Date()
    rereview_due = fields.Date()
