"""The applications service's nameko entrypoints: who may call each, then load, call the app, dump."""
from shared.http import caller, http, load_json, path_id
from shared.messaging.log import public_history
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.applications import access
from services.applications.app import ApplicationsApp
from services.applications.schemas import OUTPUT_BY_ROLE, DeclineSchema, RecommendSchema, SubmitSchema

HANDLERS = ("applicant", "recommender", "operator", "auditor")


class ApplicationsService(EventSourcedService):
    name = "applications"
    app = EventSourced(ApplicationsApp)
    clock = Clock()

    @http("POST", "/applications", roles={"applicant"})
    def submit(self, request):
        data = load_json(request, SubmitSchema())
        access.require_own_unit(caller(request), data["credit_code"])
        application_id = self.app.submit(**data, at=self.clock.now())
        return 201, {"id": str(application_id)}

    @http("GET", "/applications/<string:application_id>", roles=HANDLERS)
    def get_application(self, request, application_id):
        return self._dump(request, self._visible(request, application_id))

    @http("GET", "/applications/<string:application_id>/history", roles=HANDLERS)
    def history(self, request, application_id):
        return public_history(self.app, self._visible(request, application_id).id)

    @http("POST", "/applications/<string:application_id>/recommend", roles={"recommender"})
    def recommend(self, request, application_id):
        application = access.decidable(caller(request), self._load(application_id))
        load_json(request, RecommendSchema())
        self.app.recommend(application.id, by=caller(request).scope, at=self.clock.now())
        return self._dump(request, self.app.application(application.id))

    @http("POST", "/applications/<string:application_id>/decline", roles={"recommender"})
    def decline(self, request, application_id):
        application = access.decidable(caller(request), self._load(application_id))
        data = load_json(request, DeclineSchema())
        self.app.decline(application.id, by=caller(request).scope, reason=data["reason"], at=self.clock.now())
        return self._dump(request, self.app.application(application.id))

    def _load(self, application_id):
        return self.app.application(path_id(application_id, "application"))

    def _visible(self, request, application_id):
        return access.visible(caller(request), self._load(application_id))

    @staticmethod
    def _dump(request, application):
        return OUTPUT_BY_ROLE[caller(request).role]().dump(application)
