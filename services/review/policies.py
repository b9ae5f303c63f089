"""Reactions of the review service to upstream events, named after their trigger."""
from services.review.app import ReviewApp


def when_application_recommended_open_review(app: ReviewApp, event) -> list:
    data = event.data
    review = app.prepare_review(application_id=data["application_id"], program_id=data["program_id"],
                                program_version=data["program_version"], unit_name=data["unit_name"],
                                unit_type=data["unit_type"], subtype=data["subtype"],
                                region_code=data["region_code"], credit_code=data["credit_code"],
                                eligibility=data["eligibility"], at=data["recommended_at"],
                                round_id=data["round_id"])
    return [review] if review is not None else []


def when_rereview_requested_open_rereview(app: ReviewApp, event) -> list:
    data = event.data
    review = app.prepare_rereview(unit_id=data["unit_id"], application_id=data["application_id"],
                                  program_id=data["program_id"], unit_name=data["unit_name"],
                                  unit_type=data["unit_type"], subtype=data["subtype"],
                                  region_code=data["region_code"], credit_code=data["credit_code"],
                                  due_on=data["due_on"], report=data["report"], at=event.time)
    return [review] if review is not None else []


FROM_APPLICATIONS = {
    "shifan.applications.application_recommended.v1": when_application_recommended_open_review,
}
FROM_REGISTRY = {
    "shifan.registry.rereview_requested.v1": when_rereview_requested_open_rereview,
}
