"""Givens shared by the unit tests: sample submissions and reviews in a known state."""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID, uuid4

from services.review.app import ReviewApp
from services.review.domain import Review

PROGRAM = "sichuan-ecommerce-demo"  # programs/sichuan-ecommerce-demo.yaml: 1 expert, pass mark 60
AT = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
CONTACT = {"name": "张三丰", "phone": "13912345678"}


def submission(**overrides) -> dict:
    """The arguments of ApplicationsApp.submit for one enterprise in Chengdu's Jinjiang district."""
    values = dict(program_id=PROGRAM, round_id="2026-1", credit_code="91510104MA61XXXX0A",
                  unit_name="成都蜀锦电子商务有限公司", unit_type="enterprise", region_code="510104",
                  contact=dict(CONTACT), figures={"online_sales_wan_yuan": 12000, "employees": 85},
                  at=AT)
    values.update(overrides)
    return values


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
