"""Commands and queries of the applications service, on its event store."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared.contracts import applications as public
from shared.errors import Conflict
from shared.eventstore import ServiceApplication

from services.applications.domain import Application, WrongState


class ApplicationsApp(ServiceApplication):
    name = "applications"
    public_events = {
        Application.Submitted: public.ApplicationSubmittedV1,
        Application.Recommended: public.ApplicationRecommendedV1,
        Application.Declined: public.ApplicationDeclinedV1,
    }

    def submit(self, *, program_id: str, round_id: str, credit_code: str, unit_name: str,
               unit_type: str, region_code: str, contact: dict, figures: dict, at: datetime) -> UUID:
        application = Application(program_id=program_id, round_id=round_id, credit_code=credit_code,
                                  unit_name=unit_name, unit_type=unit_type, region_code=region_code,
                                  contact=contact, figures=figures, at=at)
        self.save(application)
        return application.id

    def recommend(self, application_id: UUID, by: str, at: datetime) -> None:
        application = self.application(application_id)
        _decide(lambda: application.recommend(by=by, at=at))
        self.save(application)

    def decline(self, application_id: UUID, by: str, reason: str, at: datetime) -> None:
        application = self.application(application_id)
        _decide(lambda: application.decline(by=by, reason=reason, at=at))
        self.save(application)

    def application(self, application_id: UUID) -> Application:
        return self.get(application_id, Application, "application")


def _decide(command) -> None:
    try:
        command()
    except WrongState as exc:
        raise Conflict(str(exc)) from None
