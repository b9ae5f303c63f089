"""Public events of the notify service (exchange `notify.events`): who was told what, never the text."""
from marshmallow import fields

from shared.contracts.base import EventData


class DeliveryRecordedV1(EventData):
    TYPE = "shifan.notify.delivery_recorded.v1"
    FROM_EVENT = {"delivery_id": "originator_id", "recorded_at": "at"}
    delivery_id = fields.UUID(required=True)
    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    application_id = fields.UUID(required=True, allow_none=True)
    recipient = fields.String(required=True)
    channel = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)
