"""Givens shared by the unit tests: sample submissions and reviews in a known state."""
from __future__ import annotations

from datetime import date, datetime, timezone
from uuid import UUID, uuid4

from shared.programs import load_program
from shared.samples import sample_application

from services.applications.app import ApplicationsApp
from services.applications.domain import Round
from services.review.app import ReviewApp
from services.review.domain import Expert, Review

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


ELIGIBLE = {"eligible": True, "criteria": [{"id": "b2b_scale", "rule": "服务收入或交易额达标", "passed": True}]}


def uniform(score: int, unit_type: str = "enterprise") -> dict:
    """An expert's scores giving `score` on every criterion of the program (so the total is `score`)."""
    return {item.id: score for item in load_program(PROGRAM).review.scoring[unit_type]}


def ensure_experts(review_app: ReviewApp, expert_ids) -> None:
    """Registers these experts in the pool (an organisation of their own, no interests)."""
    for expert_id in expert_ids:
        if not review_app.exists(Expert.create_id(expert_id)):
            review_app.register_expert(expert_id=expert_id, name=f"专家{expert_id}", organisation="四川大学",
                                       organisation_credit_code=None, region_code="510100", interests=[],
                                       by="operator")


def open_review(review_app: ReviewApp, application_id: UUID | None = None, experts=("expert-1",), **overrides):
    """A saved review of the program for an application, with exactly `experts` assigned (built
    directly: prepare_review would pick experts from the pool by itself)."""
    values = dict(application_id=application_id or uuid4(), program_id=PROGRAM, program_version="test",
                  unit_name="成都蜀锦电子商务有限公司", unit_type="enterprise", subtype="b2b_platform",
                  region_code="510104", credit_code="91510104MA61XXXX0A", eligibility=ELIGIBLE, at=AT)
    values.update(overrides)
    program = load_program(values["program_id"])
    scoring = [{"id": i.id, "label": i.label, "weight": i.weight} for i in program.review.scoring[values["unit_type"]]]
    review = Review(experts_required=program.experts_per_application, pass_mark=program.pass_mark,
                    scoring=scoring, **values)
    if experts:
        review.assign(list(experts))
    review_app.save(review)
    ensure_experts(review_app, experts)
    return review_app.review(review.id)


def passed_review(review_app: ReviewApp, score: int = 80, **overrides):
    review = open_review(review_app, **overrides)
    return review_app.score(review.id, "expert-1", uniform(score), AT)


def failed_review(review_app: ReviewApp, **overrides):
    return passed_review(review_app, score=40, **overrides)


def panel_review(review_app: ReviewApp, experts: int, pass_mark: int = 60, program_id: str = PROGRAM,
                 eligibility: dict = ELIGIBLE):
    """A saved review that needs `experts` scores (the seed program needs one, so built directly)."""
    scoring = [{"id": i.id, "label": i.label, "weight": i.weight} for i in load_program(PROGRAM).review.scoring["enterprise"]]
    review = Review(application_id=uuid4(), program_id=program_id, program_version="test",
                    unit_name="绵阳云购电商产业园", unit_type="enterprise", subtype="b2b_platform",
                    region_code="510703", credit_code="12510700MB0Y00000X", experts_required=experts,
                    pass_mark=pass_mark, scoring=scoring, eligibility=eligibility, at=AT)
    review.assign([f"expert-{n}" for n in range(1, experts + 1)])
    review_app.save(review)
    ensure_experts(review_app, [f"expert-{n}" for n in range(1, 10)])
    return review
