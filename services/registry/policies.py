"""Reactions of the registry service to upstream events, named after their trigger."""
from services.registry.app import RegistryApp


def when_notice_closed_certify_units(app: RegistryApp, event) -> list:
    data = event.data
    return app.prepare_certification(notice_id=data["notice_id"], program_id=data["program_id"],
                                     approved=data["approved"], closed_on=data["closed_on"])


def when_rereview_concluded_confirm_or_revoke(app: RegistryApp, event) -> list:
    data = event.data
    return app.prepare_rereview_conclusion(rereview_id=data["rereview_id"], unit_id=data["unit_id"],
                                           outcome=data["outcome"], reasons=data["reasons"],
                                           concluded_on=data["concluded_on"], mean_score=data["mean_score"])


def when_batch_approved_certify_cities(app: RegistryApp, event) -> list:
    data = event.data
    return app.prepare_batch_certification(batch_id=data["batch_id"], program_id=data["program_id"],
                                           label=data["label"], cities=data["cities"],
                                           approved_on=data["approved_on"])


FROM_REVIEW = {
    "shifan.review.notice_closed.v1": when_notice_closed_certify_units,
    "shifan.review.rereview_concluded.v1": when_rereview_concluded_confirm_or_revoke,
    "shifan.review.batch_approved.v1": when_batch_approved_certify_cities,
}
