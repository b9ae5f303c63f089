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


class SubscriptionRegisteredV1(EventData):
    """A party asked to be told over a channel (not where: addresses and URLs stay inside)."""

    TYPE = "shifan.notify.subscription_registered.v1"
    FROM_EVENT = {"subscription_id": "originator_id"}
    subscription_id = fields.UUID(required=True)
    recipient = fields.String(required=True)
    channel = fields.String(required=True)
    patterns = fields.List(fields.String(), required=True)


class DispatchQueuedV1(EventData):
    TYPE = "shifan.notify.dispatch_queued.v1"
    FROM_EVENT = {"dispatch_id": "originator_id", "queued_at": "at"}
    dispatch_id = fields.UUID(required=True)
    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    application_id = fields.UUID(required=True, allow_none=True)
    subscription_id = fields.UUID(required=True)
    recipient = fields.String(required=True)
    channel = fields.String(required=True)
    queued_at = fields.AwareDateTime(required=True)


class DispatchDeliveredV1(EventData):
    TYPE = "shifan.notify.dispatch_delivered.v1"
    FROM_EVENT = {"dispatch_id": "originator_id", "delivered_at": "at"}
    dispatch_id = fields.UUID(required=True)
    attempt = fields.Integer(required=True)
    delivered_at = fields.AwareDateTime(required=True)


class DispatchFailedV1(EventData):
    TYPE = "shifan.notify.dispatch_failed.v1"
    FROM_EVENT = {"dispatch_id": "originator_id", "failed_at": "at"}
    dispatch_id = fields.UUID(required=True)
    attempt = fields.Integer(required=True)
    reason = fields.String(required=True)
    failed_at = fields.AwareDateTime(required=True)
    retry_at = fields.AwareDateTime(required=True)


class DispatchGivenUpV1(EventData):
    TYPE = "shifan.notify.dispatch_given_up.v1"
    FROM_EVENT = {"dispatch_id": "originator_id", "given_up_at": "at"}
    dispatch_id = fields.UUID(required=True)
    attempt = fields.Integer(required=True)
    reason = fields.String(required=True)
    given_up_at = fields.AwareDateTime(required=True)


class DispatchResentV1(EventData):
    TYPE = "shifan.notify.dispatch_resent.v1"
    FROM_EVENT = {"dispatch_id": "originator_id", "resent_by": "by", "resent_at": "at"}
    dispatch_id = fields.UUID(required=True)
    resent_by = fields.String(required=True)
    resent_at = fields.AwareDateTime(required=True)


class WatchStartedV1(EventData):
    """Reminders will go out before (or after) a date: a deadline, a notice's end, a re-review, a report."""

    TYPE = "shifan.notify.watch_started.v1"
    FROM_EVENT = {"watch_id": "originator_id"}
    watch_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    subject = fields.String(required=True)
    due_on = fields.Date(required=True)
    offsets = fields.List(fields.Integer(), required=True)


class WatchMovedV1(EventData):
    TYPE = "shifan.notify.watch_moved.v1"
    FROM_EVENT = {"watch_id": "originator_id"}
    watch_id = fields.UUID(required=True)
    due_on = fields.Date(required=True)


class WatchStoppedV1(EventData):
    TYPE = "shifan.notify.watch_stopped.v1"
    FROM_EVENT = {"watch_id": "originator_id"}
    watch_id = fields.UUID(required=True)
    reason = fields.String(required=True)


class ReminderSentV1(EventData):
    TYPE = "shifan.notify.reminder_sent.v1"
    FROM_EVENT = {"watch_id": "originator_id"}
    watch_id = fields.UUID(required=True)
    offset = fields.Integer(required=True)
    due_on = fields.Date(required=True)
    on = fields.Date(required=True)
