"""HTTP payloads of the notify service."""
from marshmallow import RAISE, Schema, fields


class ListDeliveriesArgs(Schema):
    class Meta:
        unknown = RAISE

    application_id = fields.UUID()
    recipient = fields.String()


class DeliveryOut(Schema):
    id = fields.UUID()
    event_id = fields.String()
    event_type = fields.String()
    application_id = fields.UUID(allow_none=True)
    recipient = fields.String()
    channel = fields.String()
    text = fields.String()
    recorded_at = fields.AwareDateTime()
