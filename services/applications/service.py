"""The applications service's nameko entrypoints: who may call each, then load, call the app, dump
(its pages are in pages.py)."""
from shared.http import EVERYONE, caller, http, listing, load_args, load_json, path_id
from shared.messaging.log import public_history
from shared.regions import PROVINCE
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.applications import access
from services.applications.app import ApplicationsApp
from services.applications.pages import ApplicationsPages
from services.applications.schemas import (OUTPUT_BY_ROLE, AmendSchema, DraftSchema, ListApplicationsArgs,
                                           NoteSchema, OpenRoundSchema, QuotaOut, RaiseQuotaSchema,
                                           ReasonSchema, ReturnSchema, RoundOut)

HANDLERS = ("applicant", "recommender", "operator", "auditor")
DECIDERS = ("recommender", "operator")


class ApplicationsService(ApplicationsPages, EventSourcedService):
    name = "applications"
    app = EventSourced(ApplicationsApp)
    clock = Clock()

    # -- rounds and quotas
    @http("POST", "/rounds", roles={"operator"}, body=OpenRoundSchema, response=RoundOut, status=201)
    def open_round(self, request):
        data = load_json(request, OpenRoundSchema())
        round_ = self.app.open_round(**data, by=caller(request).subject, at=self.clock.now())
        return 201, RoundOut().dump(round_)

    @http("GET", "/rounds", roles=EVERYONE, response=listing("rounds", RoundOut))
    def list_rounds(self, request):
        return {"rounds": RoundOut(many=True).dump(self.app.rounds())}

    @http("GET", "/rounds/<string:round_id>", roles=EVERYONE, response=RoundOut)
    def get_round(self, request, round_id):
        return RoundOut().dump(self.app.round(path_id(round_id, "round")))

    @http("GET", "/rounds/<string:round_id>/quotas", roles=("recommender", "operator", "auditor"),
          response=listing("quotas", QuotaOut))
    def list_quotas(self, request, round_id):
        whose = access.quota_filter(caller(request))
        quotas = [q for q in self.app.quotas(path_id(round_id, "round")) if whose in (None, q.recommender)]
        return {"quotas": QuotaOut(many=True).dump(quotas)}

    @http("POST", "/rounds/<string:round_id>/quotas/<string:recommender>/<string:unit_type>/raise",
          roles={"operator"}, body=RaiseQuotaSchema, response=QuotaOut)
    def raise_quota(self, request, round_id, recommender, unit_type):
        round_ = self.app.round(path_id(round_id, "round"))
        data = load_json(request, RaiseQuotaSchema())
        quota = self.app.raise_quota(round_.id, recommender, unit_type, by=caller(request).subject,
                                     at=self.clock.now(), **data)
        return QuotaOut().dump(quota)

    @http("GET", "/programs/<string:program_id>/progress", roles=EVERYONE)
    def progress(self, request, program_id):
        return {"program_id": program_id, "unit_types": self.app.progress(program_id)}

    # -- the applicant's side
    @http("POST", "/applications", roles={"applicant"}, body=DraftSchema, status=201)
    def draft(self, request):
        data = load_json(request, DraftSchema())
        access.require_own_unit(caller(request), data["credit_code"])
        application = self.app.draft(**data, by=caller(request).subject, at=self.clock.now())
        return 201, self._dump(request, application)

    @http("PATCH", "/applications/<string:application_id>", roles={"applicant"}, body=AmendSchema)
    def amend(self, request, application_id):
        application = access.own(caller(request), self._load(application_id))
        data = load_json(request, AmendSchema())
        return self._dump(request, self.app.amend(application.id, data, by=caller(request).subject,
                                                  at=self.clock.now()))

    @http("POST", "/applications/<string:application_id>/submit", roles={"applicant"}, body=NoteSchema)
    def submit(self, request, application_id):
        application = access.own(caller(request), self._load(application_id))
        load_json(request, NoteSchema())
        return self._dump(request, self.app.submit(application.id, by=caller(request).subject,
                                                   at=self.clock.now()))

    @http("POST", "/applications/<string:application_id>/withdraw", roles={"applicant"}, body=ReasonSchema)
    def withdraw(self, request, application_id):
        application = access.own(caller(request), self._load(application_id))
        data = load_json(request, ReasonSchema())
        return self._dump(request, self.app.withdraw(application.id, by=caller(request).subject,
                                                     reason=data["reason"], at=self.clock.now()))

    # -- reading
    @http("GET", "/applications", roles=HANDLERS, args=ListApplicationsArgs)
    def list_applications(self, request):
        args = load_args(request, ListApplicationsArgs())
        found = [a for a in self.app.applications() if access.may_see(caller(request), a)
                 and all(str(getattr(a, k)) == str(v) for k, v in args.items())]
        return {"applications": OUTPUT_BY_ROLE[caller(request).role](many=True).dump(found)}

    @http("GET", "/applications/<string:application_id>", roles=HANDLERS)
    def get_application(self, request, application_id):
        return self._dump(request, access.visible(caller(request), self._load(application_id)))

    @http("GET", "/applications/<string:application_id>/history", roles=HANDLERS)
    def history(self, request, application_id):
        return public_history(self.app, access.visible(caller(request), self._load(application_id)).id)

    # -- the recommending authority's side
    @http("POST", "/applications/<string:application_id>/return", roles=DECIDERS, body=ReturnSchema)
    def return_for_correction(self, request, application_id):
        application = access.decidable(caller(request), self._load(application_id))
        data = load_json(request, ReturnSchema())
        return self._dump(request, self.app.return_for_correction(
            application.id, data["reasons"], by=self._decider(request), at=self.clock.now()))

    @http("POST", "/applications/<string:application_id>/recommend", roles=DECIDERS, body=NoteSchema)
    def recommend(self, request, application_id):
        application = access.decidable(caller(request), self._load(application_id))
        data = load_json(request, NoteSchema())
        return self._dump(request, self.app.recommend(application.id, by=self._decider(request),
                                                      note=data["note"], at=self.clock.now()))

    @http("POST", "/applications/<string:application_id>/decline", roles=DECIDERS, body=ReasonSchema)
    def decline(self, request, application_id):
        application = access.decidable(caller(request), self._load(application_id))
        data = load_json(request, ReasonSchema())
        return self._dump(request, self.app.decline(application.id, by=self._decider(request),
                                                    reason=data["reason"], at=self.clock.now()))

    def _load(self, application_id):
        return self.app.application(path_id(application_id, "application"))

    @staticmethod
    def _decider(request) -> str:
        identity = caller(request)
        return identity.scope if identity.role == "recommender" else PROVINCE

    @staticmethod
    def _dump(request, application):
        return OUTPUT_BY_ROLE[caller(request).role]().dump(application)
