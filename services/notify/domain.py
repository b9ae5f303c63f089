"""The Delivery aggregate: one notice to one recipient about one public event."""
from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

INBOX = "inbox"

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/notify")


class Delivery(Aggregate):
    """Recorded once per (event, unit, recipient): its id follows from the three, since one event
    (a notice) may list several units of one applicant."""

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
