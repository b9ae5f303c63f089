"""Givens shared by the unit tests: sample submissions and reviews in a known state."""
from __future__ import annotations

from datetime import date, datetime, timezone
from uuid import UUID, uuid4

from shared.samples import sample_application

from services.applications.app import ApplicationsApp
from services.applications.domain import Round
from services.review.app import ReviewApp
from services.review.domain import Review

PROGRAM = "sichuan-ecommerce-demo"  # programs/sichuan-ecommerce-demo.yaml: 1 expert, pass mark 60
AT = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
CONTACT = {"name": "张三丰", "phone": "13912345678"}


ROUND_LABEL = "2026-1"
DEADLINE = date(2026, 12, 31)


def round_of(app: ApplicationsApp) -> UUID:
    """The program's round 2026-1 (submissions until 31 December 2026), opened on first use."""
    round_id = Round.create_id(PROGRAM, ROUND_LABEL)
    if not app.exists(round_id):
        app.open_round(PROGRAM, ROUND_LABEL, DEADLINE, by="operator", at=AT)
    return round_id


def submission(**overrides) -> dict:
    """The arguments of ApplicationsApp.draft for an eligible B2B platform in Chengdu's Jinjiang
    district (round_id excepted)."""
    sample = sample_application(1, region_code="510104")
    values = dict(credit_code="91510104MA61XXXX0A", unit_name="成都蜀锦电子商务有限公司",
                  unit_type=sample["unit_type"], subtype=sample["subtype"], region_code="510104",
                  provincial_level=False, contact=dict(CONTACT), figures=sample["figures"],
                  declarations=sample["declarations"], by="applicant", at=AT)
    values.update(overrides)
    return values


def submitted(app: ApplicationsApp, **overrides) -> UUID:
    """Drafts and submits an application in round 2026-1; returns its id."""
    values = submission(**overrides)
    application = app.draft(round_id=round_of(app), **values)
    app.submit(application.id, by=values["by"], at=values["at"])
    return application.id


def stored_version(app, aggregate_id: UUID) -> int:
    return app.repository.get(aggregate_id).version


def open_review(review_app: ReviewApp, application_id: UUID | None = None, **overrides):
    """Opens and saves a review for the program, as the policy on ApplicationRecommended does."""
    values = dict(application_id=application_id or uuid4(), program_id=PROGRAM,
                  unit_name="成都蜀锦电子商务有限公司", unit_type="enterprise", region_code="510104",
                  credit_code="91510104MA61XXXX0A", at=AT)
    values.update(overrides)
    review = review_app.prepare_review(**values)
    review_app.save(review)
    return review_app.assign(review.id, ["expert-1"])


def passed_review(review_app: ReviewApp, score: int = 80, **overrides):
    review = open_review(review_app, **overrides)
    return review_app.score(review.id, "expert-1", score, AT)


def failed_review(review_app: ReviewApp, **overrides):
    return passed_review(review_app, score=40, **overrides)


def panel_review(review_app: ReviewApp, experts: int, pass_mark: int = 60, program_id: str = PROGRAM):
    """A saved review that needs `experts` scores (the seed program needs one, so built directly)."""
    review = Review(application_id=uuid4(), program_id=program_id, unit_name="绵阳云购电商产业园",
                    unit_type="base", region_code="510703", credit_code="12510700MB0Y00000X",
                    experts_required=experts, pass_mark=pass_mark, at=AT)
    review.assign([f"expert-{n}" for n in range(1, experts + 1)])
    review_app.save(review)
    return review
