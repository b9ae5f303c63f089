"""The notify service's nameko entrypoints: each party's inbox of deliveries."""
from shared.http import caller, http, load_args
from shared.runtime import EventSourced
from shared.service import EventSourcedService

from services.notify import access
from services.notify.app import NotifyApp
from services.notify.policies import EVERY_EVENT
from services.notify.schemas import DeliveryOut, ListDeliveriesArgs


class NotifyService(EventSourcedService):
    name = "notify"
    app = EventSourced(NotifyApp, follows={"applications": EVERY_EVENT, "review": EVERY_EVENT,
                                           "registry": EVERY_EVENT})

    @http("GET", "/deliveries", roles=("applicant", "recommender", "expert", "operator", "auditor"))
    def list_deliveries(self, request):
        args = load_args(request, ListDeliveriesArgs())
        args["recipient"] = access.recipient_filter(caller(request), args.get("recipient"))
        return {"deliveries": DeliveryOut(many=True).dump(self.app.deliveries(**args))}
