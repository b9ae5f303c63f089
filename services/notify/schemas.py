"""HTTP payloads of the notify service."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from shared.messaging.topics import PATTERN


class Strict(Schema):
    class Meta:
        unknown = RAISE


class ListDeliveriesArgs(Strict):
    application_id = fields.UUID()
    recipient = fields.String()


class SubscribeSchema(Strict):
    channel = fields.String(required=True, validate=validate.OneOf(("email", "webhook")))
    address = fields.String(validate=validate.Length(max=200))
    url = fields.String(validate=validate.Length(max=500))
    events = fields.List(fields.String(validate=validate.Regexp(PATTERN)),
                         load_default=list, validate=validate.Length(max=50))

    @validates_schema
    def _target(self, data, **kwargs):
        if data["channel"] == "email" and not data.get("address"):
            raise ValidationError("an email subscription needs an address", "address")
        if data["channel"] == "webhook" and (not data.get("url") or not data.get("events")):
            raise ValidationError("a webhook subscription needs a url and the events it wants", "url")


class ListDispatchesArgs(Strict):
    status = fields.String(validate=validate.OneOf(("pending", "delivered", "given_up")))


class DeliveryOut(Schema):
    id = fields.UUID()
    event_id = fields.String()
    event_type = fields.String()
    application_id = fields.UUID(allow_none=True)
    recipient = fields.String()
    channel = fields.String()
    text = fields.String()
    recorded_at = fields.AwareDateTime()


class SubscriptionOut(Schema):
    id = fields.UUID()
    recipient = fields.String()
    channel = fields.String()
    target = fields.String()
    patterns = fields.List(fields.String())


class DispatchOut(Schema):
    id = fields.UUID()
    event_id = fields.String()
    event_type = fields.String()
    application_id = fields.UUID(allow_none=True)
    recipient = fields.String()
    channel = fields.String()
    subject = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime()
    history = fields.List(fields.Dict())
