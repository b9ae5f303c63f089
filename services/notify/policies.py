"""Reactions of the notify service: every public event of every upstream may concern somebody."""
from services.notify.app import NotifyApp


def when_any_event_record_deliveries(app: NotifyApp, event) -> list:
    """Inbox deliveries to the parties it concerns, and dispatches over their subscriptions."""
    deliveries = app.prepare_deliveries(event.id, event.type, event.data, at=event.time)
    return deliveries + app.prepare_dispatches(event, deliveries)


EVERY_EVENT = {"*": when_any_event_record_deliveries}
