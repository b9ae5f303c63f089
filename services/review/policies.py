"""Reactions of the review service to upstream events, named after their trigger."""
from services.review.app import ReviewApp


def when_application_recommended_open_review(app: ReviewApp, event) -> list:
    data = event.data
    review = app.prepare_review(application_id=data["application_id"], program_id=data["program_id"],
                                unit_name=data["unit_name"], unit_type=data["unit_type"],
                                region_code=data["region_code"], credit_code=data["credit_code"],
                                at=data["recommended_at"])
    return [review] if review is not None else []


FROM_APPLICATIONS = {
    "shifan.applications.application_recommended.v1": when_application_recommended_open_review,
}
