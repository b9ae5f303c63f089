"""Commands and queries of the notify service, on its event store."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from uuid import UUID

from shared.contracts import notify as public
from shared.contracts.catalog import CONTRACTS
from shared.contracts.envelope import make_envelope, notification_id_of
from shared.errors import Conflict, InvalidInput
from shared.eventstore import ServiceApplication
from shared.messaging.topics import topic_matches

from services.notify.channels import SendFailed, envelope_body
from services.notify.domain import (EMAIL, INBOX, PENDING, WEBHOOK, Delivery, Dispatch, Subscription, Watch,
                                    WrongState)
from services.notify.reminders import OFFSETS, reminder_text, watch_actions
from services.notify.recipients import deliveries_for
from services.notify.templates import render


class NotifyApp(ServiceApplication):
    name = "notify"
    public_events = {
        Delivery.Recorded: public.DeliveryRecordedV1,
        Subscription.Registered: public.SubscriptionRegisteredV1,
        Dispatch.Queued: public.DispatchQueuedV1,
        Dispatch.Delivered: public.DispatchDeliveredV1,
        Dispatch.Failed: public.DispatchFailedV1,
        Dispatch.GaveUp: public.DispatchGivenUpV1,
        Dispatch.Resent: public.DispatchResentV1,
        Watch.Started: public.WatchStartedV1,
        Watch.Moved: public.WatchMovedV1,
        Watch.Stopped: public.WatchStoppedV1,
        Watch.Reminded: public.ReminderSentV1,
    }
    retry_max = timedelta(hours=6)

    def __init__(self, env: dict[str, str] | None = None):
        super().__init__(env)
        self._settled: set[UUID] = set()             # dispatches delivered or given up: not reloaded
        self._reminded_through: date | None = None   # the day whose reminders were last sent

    # -- reacting to public events
    def prepare_deliveries(self, event_id: str, event_type: str, data: dict, at: datetime) -> list[Delivery]:
        """Unsaved inbox deliveries to every party the event concerns, skipping any recorded before."""
        deliveries = []
        for application_id, recipient, text in deliveries_for(event_type, data):
            if self.exists(Delivery.create_id(event_id, recipient, application_id)):
                continue
            deliveries.append(Delivery(event_id=event_id, event_type=event_type,
                                       application_id=application_id, recipient=recipient,
                                       channel=INBOX, text=text, at=at))
        return deliveries

    def prepare_dispatches(self, event, deliveries: list[Delivery]) -> list[Dispatch]:
        """Unsaved dispatches: an email to each concerned party that subscribed one, and the event
        itself to each agency webhook whose patterns match its type."""
        dispatches = []
        subscriptions = self.subscriptions()
        for delivery in deliveries:
            for subscription in subscriptions:
                if subscription.channel == EMAIL and subscription.recipient == delivery.recipient:
                    subject, body = render(event.type, _wire(event), delivery.text)
                    dispatches.append(self._queue(event, delivery.application_id, subscription, subject, body))
        for subscription in subscriptions:
            if subscription.channel == WEBHOOK and any(topic_matches(p, event.type) for p in subscription.patterns):
                dispatches.append(self._queue(event, None, subscription, event.type, envelope_body(_envelope(event))))
        return [d for d in dispatches if not self.exists(d.id)]

    def _queue(self, event, application_id, subscription, subject: str, body: str) -> Dispatch:
        return Dispatch(event_id=event.id, event_type=event.type, application_id=application_id,
                        subscription_id=subscription.id, recipient=subscription.recipient,
                        channel=subscription.channel, subject=subject, body=body, at=event.time)

    # -- reminders
    def prepare_watches(self, event) -> list[Watch]:
        """Unsaved watches the event starts, moves or stops."""
        changed = []
        for action in watch_actions(event.type, event.data):
            verb, kind, subject = action[:3]
            watch_id = Watch.create_id(kind, subject)
            if verb == "start":
                if not self.exists(watch_id):
                    due_on, recipients, label = action[3:]
                    changed.append(Watch(kind=kind, subject=subject, due_on=due_on, offsets=OFFSETS[kind],
                                         recipients=recipients, label=label))
            elif self.exists(watch_id):
                watch = self.get(watch_id, Watch, "watch")
                watch.move(action[3]) if verb == "move" else watch.stop(action[3])
                changed.append(watch)
        return changed

    def send_reminders(self, today: date, at: datetime) -> int:
        """Records an inbox reminder to each party of every watch whose day has come. Reminders
        are counted in days, so the watches are read once a day (and at start), not on every tick."""
        if self._reminded_through == today:
            return 0
        sent = 0
        for watch_id in self.ids_with_events(Watch.Started):
            watch = self.get(watch_id, Watch, "watch")
            for offset in watch.due_reminders(today):
                text = reminder_text(watch.kind, watch.label, watch.due_on, offset)
                watch.remind(offset, today)
                deliveries = [Delivery(event_id=f"reminder:{watch.id}:{watch.due_on}:{offset}",
                                       event_type=f"shifan.notify.reminder.{watch.kind}", application_id=None,
                                       recipient=recipient, channel=INBOX, text=text, at=at)
                              for recipient in watch.recipients]
                self.save(watch, *[d for d in deliveries if not self.exists(d.id)])
                sent += 1
        self._reminded_through = today
        return sent

    # -- subscriptions
    def subscribe(self, recipient: str, channel: str, target: str, patterns: list[str], by: str) -> tuple[Subscription, str | None]:
        if self.exists(Subscription.create_id(recipient, channel, target)):
            raise Conflict(f"{recipient} already has this {channel} subscription")
        secret = secrets.token_hex(32) if channel == WEBHOOK else None
        subscription = Subscription(recipient=recipient, channel=channel, target=target, secret=secret,
                                    patterns=patterns, by=by)
        self.save(subscription)
        return subscription, secret

    def subscriptions(self, recipient: str | None = None) -> list[Subscription]:
        found = [self.get(i, Subscription, "subscription") for i in self.ids_with_events(Subscription.Registered)]
        return [s for s in found if recipient is None or s.recipient == recipient]

    # -- sending
    def dispatch_due(self, now: datetime, channels, retry_base: timedelta = timedelta(seconds=30),
                     max_attempts: int = 6) -> int:
        """Sends every pending dispatch that is due and records each outcome: delivered, failed and
        retried after `retry_base` doubling at each attempt, or given up after `max_attempts`.
        Returns how many were tried."""
        tried = 0
        for dispatch in self.dispatches(status=PENDING):
            if not dispatch.is_due(now):
                continue
            subscription = self.get(dispatch.subscription_id, Subscription, "subscription")
            tried += 1
            try:
                channels.send(dispatch, subscription, int(now.timestamp()))
            except SendFailed as exc:
                attempt = dispatch.attempts + 1
                retry_at = None if attempt >= max_attempts else now + min(self.retry_max, retry_base * 2 ** (attempt - 1))
                dispatch.failed(str(exc), now, retry_at)
            else:
                dispatch.succeeded(now)
            self.save(dispatch)
        return tried

    def resend(self, dispatch_id: UUID, by: str, at: datetime) -> Dispatch:
        dispatch = self.get(dispatch_id, Dispatch, "dispatch")
        try:
            dispatch.resend(by, at)
        except WrongState as exc:
            raise Conflict(str(exc)) from None
        self.save(dispatch)
        self._settled.discard(dispatch.id)
        return dispatch

    def dispatches(self, status: str | None = None) -> list[Dispatch]:
        if status == PENDING:  # what the dispatcher asks twice a second: skip those known settled
            found = [self.get(i, Dispatch, "dispatch") for i in self.ids_with_events(Dispatch.Queued)
                     if i not in self._settled]
            self._settled.update(d.id for d in found if d.status != PENDING)
            return [d for d in found if d.status == PENDING]
        found = [self.get(i, Dispatch, "dispatch") for i in self.ids_with_events(Dispatch.Queued)]
        return [d for d in found if status is None or d.status == status]

    # -- the inbox
    def deliveries(self, application_id: UUID | None = None, recipient: str | None = None) -> list[Delivery]:
        found = []
        for delivery_id in self.ids_with_events(Delivery.Recorded):
            delivery = self.get(delivery_id, Delivery, "delivery")
            if application_id is not None and delivery.application_id != application_id:
                continue
            if recipient is not None and delivery.recipient != recipient:
                continue
            found.append(delivery)
        return found


def _wire(event) -> dict:
    """The event's data as it was on the wire (dates and ids as strings)."""
    contract = CONTRACTS.get(event.type)
    return contract.schema().dump(event.data) if contract else dict(event.data)


def _envelope(event) -> dict:
    return make_envelope(event.source, notification_id_of({"id": event.id}), event.type, event.subject,
                         event.time, _wire(event))


def check_target(channel: str, target: str) -> None:
    if channel == EMAIL and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", target):
        raise InvalidInput("not an email address", {"address": ["must be an email address"]})
    if channel == WEBHOOK and not re.fullmatch(r"https?://\S+", target):
        raise InvalidInput("not a URL", {"url": ["must be an http(s) URL"]})
