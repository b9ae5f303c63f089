"""The notify service's aggregates: an inbox Delivery per party and event, a party's Subscription
to a channel (email, signed webhook), and a Dispatch of one event over one subscription, with
every attempt, failure, retry and give-up recorded."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

INBOX = "inbox"
EMAIL = "email"
WEBHOOK = "webhook"

PENDING = "pending"
DELIVERED = "delivered"
GIVEN_UP = "given_up"

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/notify")


class WrongState(Exception):
    """The aggregate is not in a state that allows the command."""


class Delivery(Aggregate):
    """An inbox notice to one party about one public event. Recorded once per (event, unit,
    recipient): its id follows from the three, since one event (a notice) may list several units."""

    @staticmethod
    def create_id(event_id: str, recipient: str, application_id: UUID | None = None, **_) -> UUID:
        return uuid5(_NS, f"delivery/{event_id}/{application_id}/{recipient}")

    @event("Recorded")
    def __init__(self, event_id: str, event_type: str, application_id: UUID | None, recipient: str,
                 channel: str, text: str, at: datetime):
        self.event_id = event_id
        self.event_type = event_type
        self.application_id = application_id
        self.recipient = recipient
        self.channel = channel
        self.text = text
        self.recorded_at = at


class Subscription(Aggregate):
    """A party's wish to be told over a channel besides its inbox: an email address, or (for an
    agency) a webhook URL with the secret its requests are signed with and the events it wants."""

    @staticmethod
    def create_id(recipient: str, channel: str, target: str, **_) -> UUID:
        return uuid5(_NS, f"subscription/{recipient}/{channel}/{target}")

    @event("Registered")
    def __init__(self, recipient: str, channel: str, target: str, secret: str | None, patterns: list, by: str):
        self.recipient = recipient
        self.channel = channel
        self.target = target      # an address or a URL: personal or private, never published
        self.secret = secret
        self.patterns = list(patterns)
        self.active = True


class Dispatch(Aggregate):
    """One event sent over one subscription. Its id follows from both, so it is queued once."""

    @staticmethod
    def create_id(event_id: str, subscription_id: UUID, application_id: UUID | None = None, **_) -> UUID:
        return uuid5(_NS, f"dispatch/{event_id}/{application_id}/{subscription_id}")

    @event("Queued")
    def __init__(self, event_id: str, event_type: str, application_id: UUID | None, subscription_id: UUID,
                 recipient: str, channel: str, subject: str, body: str, at: datetime):
        self.event_id = event_id
        self.event_type = event_type
        self.application_id = application_id
        self.subscription_id = subscription_id
        self.recipient = recipient
        self.channel = channel
        self.subject = subject
        self.body = body
        self.status = PENDING
        self.attempts = 0
        self.next_attempt_at = at
        self.history: list[dict] = []

    def is_due(self, now: datetime) -> bool:
        return self.status == PENDING and self.next_attempt_at <= now

    def succeeded(self, at: datetime) -> None:
        self._require(PENDING, "deliver")
        self._delivered(attempt=self.attempts + 1, at=at)

    def failed(self, reason: str, at: datetime, retry_at: datetime | None) -> None:
        """A failed attempt: retried at `retry_at`, or given up when that is None."""
        self._require(PENDING, "fail")
        if retry_at is None:
            self._gave_up(attempt=self.attempts + 1, reason=reason, at=at)
        else:
            self._failed(attempt=self.attempts + 1, reason=reason, at=at, retry_at=retry_at)

    def resend(self, by: str, at: datetime) -> None:
        self._require(GIVEN_UP, "send again")
        self._resent(by=by, at=at)

    def _require(self, status: str, action: str) -> None:
        if self.status != status:
            raise WrongState(f"cannot {action} dispatch {self.id}: it is {self.status}, not {status}")

    @event("Delivered")
    def _delivered(self, attempt: int, at: datetime) -> None:
        self.status = DELIVERED
        self.attempts = attempt
        self.history.append({"attempt": attempt, "at": at.isoformat(), "outcome": "delivered"})

    @event("Failed")
    def _failed(self, attempt: int, reason: str, at: datetime, retry_at: datetime) -> None:
        self.attempts = attempt
        self.next_attempt_at = retry_at
        self.history.append({"attempt": attempt, "at": at.isoformat(), "outcome": "failed", "reason": reason,
                             "retry_at": retry_at.isoformat()})

    @event("GaveUp")
    def _gave_up(self, attempt: int, reason: str, at: datetime) -> None:
        self.status = GIVEN_UP
        self.attempts = attempt
        self.history.append({"attempt": attempt, "at": at.isoformat(), "outcome": "given up", "reason": reason})

    @event("Resent")
    def _resent(self, by: str, at: datetime) -> None:
        self.status = PENDING
        self.next_attempt_at = at
        self.history.append({"at": at.isoformat(), "outcome": f"sent again by {by}"})


class Watch(Aggregate):
    """A date somebody must be reminded of, and which reminders went out: a round's deadline, a
    notice's last day, a unit's re-review or yearly report. Offsets are days before the date;
    a negative offset is days after it (overdue)."""

    @staticmethod
    def create_id(kind: str, subject: str, **_) -> UUID:
        return uuid5(_NS, f"watch/{kind}/{subject}")

    @event("Started")
    def __init__(self, kind: str, subject: str, due_on: date, offsets: list, recipients: list, label: str):
        self.kind = kind
        self.subject = subject
        self.due_on = due_on
        self.offsets = list(offsets)
        self.recipients = list(recipients)
        self.label = label
        self.sent: list[str] = []   # "<due_on>/<offset>" already reminded
        self.active = True

    def move(self, due_on: date) -> None:
        if self.active and due_on != self.due_on:
            self._moved(due_on=due_on)

    def stop(self, reason: str) -> None:
        if self.active:
            self._stopped(reason=reason)

    def due_reminders(self, today: date) -> list[int]:
        """The offsets whose day has come and that were not sent for this due date. Only the
        latest one is worth sending when several came at once (a service that was down)."""
        if not self.active:
            return []
        due = [o for o in self.offsets if today >= self.due_on - timedelta(days=o)
               and f"{self.due_on}/{o}" not in self.sent]
        return sorted(due)[:1]

    def remind(self, offset: int, today: date) -> None:
        self._reminded(offset=offset, due_on=self.due_on, on=today)

    @event("Moved")
    def _moved(self, due_on: date) -> None:
        self.due_on = due_on

    @event("Stopped")
    def _stopped(self, reason: str) -> None:
        self.active = False

    @event("Reminded")
    def _reminded(self, offset: int, due_on: date, on: date) -> None:
        # reminding at one offset makes the earlier (larger) offsets moot for this due date
        for o in self.offsets:
            if o >= offset:
                self.sent.append(f"{due_on}/{o}")
