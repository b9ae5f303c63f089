"""ReviewApp: opening a review once per application, and expert scores concluding it."""
from decimal import Decimal
from uuid import uuid4

import pytest

from services.review.domain import FAILED, OPEN, PASSED, Review
from shared.errors import Conflict, InvalidInput, NotFound

from givens import AT, ensure_experts, open_review, panel_review, stored_version, uniform


def test_a_review_opens_with_the_programs_panel_size_and_pass_mark(review_app):
    application_id = uuid4()

    review = open_review(review_app, application_id)

    stored = review_app.review_of_application(application_id)
    assert stored.id == review.id == Review.create_id(application_id)
    assert (stored.status, stored.experts_required, stored.pass_mark) == (OPEN, 1, 60)


def test_preparing_a_review_for_an_application_already_under_review_gives_none(review_app):
    application_id = uuid4()
    open_review(review_app, application_id)

    again = review_app.prepare_review(application_id=application_id, program_id="sichuan-ecommerce-demo",
                                      program_version="x", unit_name="x", unit_type="enterprise", subtype=None,
                                      region_code="510104", credit_code="x", eligibility={}, at=AT)

    assert again is None


def test_the_review_concludes_only_when_every_required_expert_has_scored(review_app):
    review = panel_review(review_app, experts=3)

    review_app.score(review.id, "expert-1", uniform(70), AT)
    review_app.score(review.id, "expert-2", uniform(71), AT)
    assert review_app.review(review.id).status == OPEN

    concluded = review_app.score(review.id, "expert-3", uniform(71), AT)

    assert concluded.status == PASSED
    assert concluded.mean_score == Decimal("70.67")  # 212 / 3, rounded half up
    assert review_app.review(review.id).status == PASSED


def test_a_mean_just_below_the_pass_mark_fails(review_app):
    review = panel_review(review_app, experts=2, pass_mark=60)

    review_app.score(review.id, "expert-1", uniform(60), AT)
    concluded = review_app.score(review.id, "expert-2", uniform(59), AT)

    assert (concluded.status, concluded.mean_score) == (FAILED, Decimal("59.50"))


def test_a_mean_exactly_at_the_pass_mark_passes(review_app):
    review = panel_review(review_app, experts=2, pass_mark=60)

    review_app.score(review.id, "expert-1", uniform(50), AT)
    concluded = review_app.score(review.id, "expert-2", uniform(70), AT)

    assert (concluded.status, concluded.mean_score) == (PASSED, Decimal("60.00"))


def test_an_expert_cannot_score_the_same_review_twice(review_app):
    review = panel_review(review_app, experts=2)
    review_app.score(review.id, "expert-1", uniform(80), AT)
    version = stored_version(review_app, review.id)

    with pytest.raises(Conflict):
        review_app.score(review.id, "expert-1", uniform(90), AT)

    assert stored_version(review_app, review.id) == version
    assert {e: s["total"] for e, s in review_app.review(review.id).scores.items()} == {"expert-1": Decimal("80.00")}


def test_a_concluded_review_takes_no_more_scores(review_app):
    review = open_review(review_app)
    review_app.score(review.id, "expert-1", uniform(80), AT)

    with pytest.raises(Conflict, match="takes no more scores"):
        review_app.score(review.id, "expert-1", uniform(80), AT)


def test_an_expert_not_assigned_to_the_review_cannot_score_it(review_app):
    review = panel_review(review_app, experts=2)

    with pytest.raises(Conflict, match="not assigned"):
        review_app.score(review.id, "expert-9", uniform(80), AT)

    assert review_app.review(review.id).scores == {}


def test_a_review_takes_no_more_experts_than_the_program_asks_for(review_app):
    review = open_review(review_app)  # one expert required, expert-1 assigned
    ensure_experts(review_app, ["expert-2"])
    version = stored_version(review_app, review.id)

    with pytest.raises(Conflict, match="takes 1 expert"):
        review_app.assign(review.id, ["expert-2"])
    with pytest.raises(Conflict, match="already assigned"):
        review_app.assign(review.id, ["expert-1"])

    assert stored_version(review_app, review.id) == version
    assert review_app.review(review.id).experts == ["expert-1"]


@pytest.mark.parametrize("score", [-1, 101])
def test_a_score_outside_0_to_100_is_invalid_and_nothing_is_saved(review_app, score):
    review = open_review(review_app)
    version = stored_version(review_app, review.id)

    with pytest.raises(InvalidInput):
        review_app.score(review.id, "expert-1", uniform(score), AT)

    assert stored_version(review_app, review.id) == version
    assert review_app.review(review.id).scores == {}


@pytest.mark.parametrize("score, status", [(0, FAILED), (100, PASSED)])
def test_the_bounds_0_and_100_are_valid_scores(review_app, score, status):
    review = open_review(review_app)

    assert review_app.score(review.id, "expert-1", uniform(score), AT).status == status


def test_scoring_an_unknown_review_is_not_found(review_app):
    with pytest.raises(NotFound):
        review_app.score(uuid4(), "expert-1", uniform(80), AT)
