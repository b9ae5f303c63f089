"""The notify service's nameko entrypoints: the inbox of deliveries."""
from shared.http import http, load_args
from shared.runtime import EventSourced
from shared.service import EventSourcedService

from services.notify.app import NotifyApp
from services.notify.policies import EVERY_EVENT
from services.notify.schemas import DeliveryOut, ListDeliveriesArgs


class NotifyService(EventSourcedService):
    name = "notify"
    app = EventSourced(NotifyApp, follows={"applications": EVERY_EVENT, "review": EVERY_EVENT,
                                           "registry": EVERY_EVENT})

    @http("GET", "/deliveries")
    def list_deliveries(self, request):
        args = load_args(request, ListDeliveriesArgs())
        return {"deliveries": DeliveryOut(many=True).dump(self.app.deliveries(**args))}
