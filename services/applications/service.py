"""The applications service's nameko entrypoints: each loads, calls the app, dumps."""
from shared.http import http, load_json, path_id
from shared.messaging.log import public_history
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.applications.app import ApplicationsApp
from services.applications.schemas import (ApplicationOut, DeclineSchema, RecommendSchema,
                                           SubmitSchema)


class ApplicationsService(EventSourcedService):
    name = "applications"
    app = EventSourced(ApplicationsApp)
    clock = Clock()

    @http("POST", "/applications")
    def submit(self, request):
        data = load_json(request, SubmitSchema())
        application_id = self.app.submit(**data, at=self.clock.now())
        return 201, {"id": str(application_id)}

    @http("GET", "/applications/<string:application_id>")
    def get_application(self, request, application_id):
        application = self.app.application(path_id(application_id, "application"))
        return ApplicationOut().dump(application)

    @http("GET", "/applications/<string:application_id>/history")
    def history(self, request, application_id):
        application = self.app.application(path_id(application_id, "application"))
        return public_history(self.app, application.id)

    @http("POST", "/applications/<string:application_id>/recommend")
    def recommend(self, request, application_id):
        data = load_json(request, RecommendSchema())
        ident = path_id(application_id, "application")
        self.app.recommend(ident, by=data["recommender"], at=self.clock.now())
        return ApplicationOut().dump(self.app.application(ident))

    @http("POST", "/applications/<string:application_id>/decline")
    def decline(self, request, application_id):
        data = load_json(request, DeclineSchema())
        ident = path_id(application_id, "application")
        self.app.decline(ident, by=data["recommender"], reason=data["reason"], at=self.clock.now())
        return ApplicationOut().dump(self.app.application(ident))
