"""Reactions of the notify service: every public event of every upstream may concern somebody."""
from services.notify.app import NotifyApp


def when_any_event_record_deliveries(app: NotifyApp, event) -> list:
    """Inbox deliveries to the parties it concerns, dispatches over their subscriptions, and the
    watches over dates it starts, moves or ends (reminders)."""
    deliveries = app.prepare_deliveries(event.id, event.type, event.data, at=event.time)
    return deliveries + app.prepare_dispatches(event, deliveries) + app.prepare_watches(event)


EVERY_EVENT = {"*": when_any_event_record_deliveries}
