"""Reactions of the registry service to upstream events, named after their trigger."""
from services.registry.app import RegistryApp


def when_notice_closed_certify_units(app: RegistryApp, event) -> list:
    data = event.data
    return app.prepare_certification(notice_id=data["notice_id"], program_id=data["program_id"],
                                     approved=data["approved"], closed_on=data["closed_on"])


FROM_REVIEW = {
    "shifan.review.notice_closed.v1": when_notice_closed_certify_units,
}
