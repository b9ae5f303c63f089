"""Commands and queries of the notify service, on its event store."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.contracts import notify as public
from shared.eventstore import ServiceApplication

from services.notify.domain import INBOX, Delivery
from services.notify.recipients import deliveries_for


class NotifyApp(ServiceApplication):
    name = "notify"
    public_events = {Delivery.Recorded: public.DeliveryRecordedV1}

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
