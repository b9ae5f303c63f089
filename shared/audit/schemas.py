"""HTTP payloads of the audit endpoints every service answers (input refuses unknown fields)."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.audit.replay import parse_at

class Strict(Schema):
    class Meta:
        unknown = RAISE


class SignSchema(Strict):
    """No fields: `{}` asks for a tree head of the log as it is now."""


class InclusionArgs(Strict):
    notification_id = fields.Integer(required=True, validate=validate.Range(min=1))
    tree_size = fields.Integer(validate=validate.Range(min=1),
                               metadata={"description": "default: the latest signed tree head's"})


class ConsistencyArgs(Strict):
    first = fields.Integer(required=True, validate=validate.Range(min=1))
    second = fields.Integer(validate=validate.Range(min=1),
                            metadata={"description": "default: the latest signed tree head's size"})


class MomentField(fields.Field):
    """A date (the end of that day in China) or an aware ISO datetime."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_at(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class ReplayArgs(Strict):
    at = MomentField(metadata={"description": "the state as it stood then: YYYY-MM-DD or an ISO datetime"})


class TreeHeadOut(Schema):
    service = fields.String()
    tree_size = fields.Integer()
    root_hash = fields.String()
    last_notification_id = fields.Integer()
    signed_at = fields.String()
    key_id = fields.String()
    algorithm = fields.String()
    signature = fields.String(metadata={"description": "Ed25519, base64url, over the canonical JSON of format "
                                                       "shifan.tree_head.v1 and the five fields before key_id"})
    notification_id = fields.Integer(metadata={"description": "the head's own event in the log"})


class InclusionOut(Schema):
    service = fields.String()
    notification_id = fields.Integer()
    leaf_index = fields.Integer()
    leaf_hash = fields.String()
    tree_size = fields.Integer()
    root_hash = fields.String()
    audit_path = fields.List(fields.String())


class ConsistencyOut(Schema):
    service = fields.String()
    first = fields.Integer()
    second = fields.Integer()
    first_root = fields.String()
    second_root = fields.String()
    proof = fields.List(fields.String())


class AuditKeyOut(Schema):
    service = fields.String()
    algorithm = fields.String()
    key_id = fields.String()
    pem = fields.String()
    jwk = fields.Dict()
