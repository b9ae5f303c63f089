"""The notify service's nameko entrypoints: inboxes, subscriptions, and the dispatcher's timer
(its page is in pages.py)."""
from datetime import datetime, timedelta, timezone

from nameko.extensions import DependencyProvider
from nameko.timer import timer

from shared.http import caller, http, listing, load_args, load_json, path_id
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.notify import access
from services.notify.app import NotifyApp, check_target
from services.notify.channels import Channels
from services.notify.pages import NotifyPages
from services.notify.policies import EVERY_EVENT
from services.notify.schemas import (DeliveryOut, DispatchOut, ListDeliveriesArgs, ListDispatchesArgs,
                                     SubscribeSchema, SubscriptionOut)

PARTIES = ("applicant", "recommender", "expert", "operator", "auditor", "coordinator", "ministry")


class Sending(DependencyProvider):
    """The channels (SMTP server, webhook client) and the retry settings, from configuration."""

    def setup(self) -> None:
        config = self.container.config
        self.channels = Channels(smtp_host=str(config.get("SMTP_HOST", "127.0.0.1")),
                                 smtp_port=int(config.get("SMTP_PORT", 25)),
                                 mail_from=str(config.get("MAIL_FROM", "shifan@localhost")))
        self.retry_base = timedelta(seconds=float(config.get("RETRY_BASE_SECONDS", 30)))
        self.max_attempts = int(config.get("MAX_ATTEMPTS", 6))

    def get_dependency(self, worker_ctx):
        return self


class NotifyService(NotifyPages, EventSourcedService):
    name = "notify"
    app = EventSourced(NotifyApp, follows={"applications": EVERY_EVENT, "review": EVERY_EVENT,
                                           "registry": EVERY_EVENT})
    sending = Sending()
    clock = Clock()

    @http("GET", "/deliveries", roles=PARTIES, args=ListDeliveriesArgs, response=listing("deliveries", DeliveryOut))
    def list_deliveries(self, request):
        args = load_args(request, ListDeliveriesArgs())
        args["recipient"] = access.recipient_filter(caller(request), args.get("recipient"))
        return {"deliveries": DeliveryOut(many=True).dump(self.app.deliveries(**args))}

    @http("POST", "/subscriptions", roles=("applicant", "recommender", "expert", "operator", "agency", "coordinator",
                                           "ministry"),
          body=SubscribeSchema, response=SubscriptionOut, status=201)
    def subscribe(self, request):
        data = load_json(request, SubscribeSchema())
        target = data.get("address") or data.get("url")
        check_target(data["channel"], target)
        recipient = access.subscriber(caller(request), data["channel"])
        subscription, secret = self.app.subscribe(recipient, data["channel"], target, data["events"],
                                                  by=caller(request).subject)
        body = SubscriptionOut().dump(subscription)
        if secret:
            body["secret"] = secret  # shown once: the key the webhook's requests are signed with
        return 201, body

    @http("GET", "/subscriptions", roles=("applicant", "recommender", "expert", "operator", "auditor", "agency",
                                          "coordinator", "ministry"),
          response=listing("subscriptions", SubscriptionOut))
    def list_subscriptions(self, request):
        recipient = access.own_recipient(caller(request))
        return {"subscriptions": SubscriptionOut(many=True).dump(self.app.subscriptions(recipient))}

    @http("GET", "/dispatches", roles=("operator", "auditor"), args=ListDispatchesArgs,
          response=listing("dispatches", DispatchOut))
    def list_dispatches(self, request):
        args = load_args(request, ListDispatchesArgs())
        return {"dispatches": DispatchOut(many=True).dump(self.app.dispatches(**args))}

    @http("POST", "/dispatches/<string:dispatch_id>/resend", roles={"operator"}, response=DispatchOut)
    def resend(self, request, dispatch_id):
        dispatch = self.app.resend(path_id(dispatch_id, "dispatch"), by=caller(request).subject,
                                   at=datetime.now(timezone.utc))
        return DispatchOut().dump(dispatch)

    @timer(interval=0.5)
    def dispatch_due(self):
        """Sends what is due. Retries run on real time, not the business clock: they are operations."""
        self.app.dispatch_due(datetime.now(timezone.utc), self.sending.channels, self.sending.retry_base,
                              self.sending.max_attempts)

    @timer(interval=1)
    def send_reminders(self):
        """Reminders on the service clock: deadlines, notices closing, re-reviews and reports due."""
        self.app.send_reminders(self.clock.today(), self.clock.now())
