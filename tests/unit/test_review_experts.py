"""ReviewApp: the expert pool, assignment without conflicts of interest, recusal, weighted scores,
overrides of failed criteria, and re-reviews."""
from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from shared.errors import Conflict, InvalidInput

from givens import AT, ELIGIBLE, PROGRAM, ensure_experts, open_review, stored_version, uniform
from services.review.domain import FAILED, PASSED, REREVIEW

APPLICANT = "91510104MA61XXXX0A"


def register(review_app, expert_id, organisation_credit_code=None, interests=()):
    return review_app.register_expert(expert_id=expert_id, name=f"专家{expert_id}", organisation="某研究院",
                                      organisation_credit_code=organisation_credit_code, region_code="510100",
                                      interests=list(interests), by="operator")


def recommended(review_app, **overrides):
    values = dict(application_id=uuid4(), program_id=PROGRAM, program_version="test", unit_name="成都蜀锦电子商务有限公司",
                  unit_type="enterprise", subtype="b2b_platform", region_code="510104", credit_code=APPLICANT,
                  eligibility=ELIGIBLE, at=AT)
    values.update(overrides)
    review = review_app.prepare_review(**values)
    review_app.save(review)
    return review


def test_a_review_opens_with_the_programs_number_of_experts_from_the_pool_leaving_out_the_conflicted(review_app):
    register(review_app, "E-works-there", organisation_credit_code=APPLICANT)
    register(review_app, "E-interested", interests=[APPLICANT])
    register(review_app, "E-free")

    review = recommended(review_app)

    assert review.experts == ["E-free"]
    assert review.eligibility == ELIGIBLE


def test_an_expert_whose_organisation_is_the_applicant_cannot_be_assigned(review_app):
    register(review_app, "E-works-there", organisation_credit_code=APPLICANT)
    review = open_review(review_app, experts=())
    version = stored_version(review_app, review.id)

    with pytest.raises(Conflict, match="works for the applicant"):
        review_app.assign(review.id, ["E-works-there"])

    assert stored_version(review_app, review.id) == version


def test_an_expert_who_declared_an_interest_cannot_be_assigned(review_app):
    register(review_app, "E7")
    review_app.declare_interests("E7", [APPLICANT], by="expert:E7")
    review = open_review(review_app, experts=())

    with pytest.raises(Conflict, match="declared an interest"):
        review_app.assign(review.id, ["E7"])


def test_an_expert_outside_the_pool_cannot_be_assigned(review_app):
    review = open_review(review_app, experts=())

    with pytest.raises(InvalidInput) as refused:
        review_app.assign(review.id, ["nobody"])

    assert refused.value.fields == {"expert_ids": ["nobody is not in the pool"]}


def test_a_recused_expert_is_replaced_from_the_pool_and_cannot_score(review_app):
    review = open_review(review_app, experts=("expert-1",))
    ensure_experts(review_app, ["expert-2"])

    after = review_app.recuse(review.id, "expert-1", "曾为该企业提供咨询")

    assert after.experts == ["expert-2"] and after.recused == {"expert-1": "曾为该企业提供咨询"}
    with pytest.raises(Conflict, match="not assigned"):
        review_app.score(review.id, "expert-1", uniform(90), AT)


def test_scores_are_weighted_by_the_programs_criteria(review_app):
    review = open_review(review_app)
    # weights 30 / 20 / 20 / 30 in the program file
    items = {"demonstration_value": 100, "organisation_and_service": 50, "compliance_and_controls": 50,
             "social_benefits": 0}

    scored = review_app.score(review.id, "expert-1", items, AT)

    assert scored.scores["expert-1"]["total"] == Decimal("50.00")  # (3000 + 1000 + 1000 + 0) / 100
    assert scored.status == FAILED


def test_a_score_must_cover_exactly_the_programs_criteria(review_app):
    review = open_review(review_app)

    with pytest.raises(InvalidInput, match="score every criterion"):
        review_app.score(review.id, "expert-1", {"demonstration_value": 90}, AT)


def test_a_failed_eligibility_criterion_fails_the_review_unless_the_province_overrides_it(review_app):
    failing = {"eligible": False, "criteria": [{"id": "b2b_scale", "rule": "年收入500万元以上", "passed": False}]}
    plain = open_review(review_app, eligibility=failing)
    overridden = open_review(review_app, eligibility=failing)

    review_app.override(overridden.id, "b2b_scale", "受疫情影响当年收入下滑，专题会议同意", by="operator", at=AT)
    failed = review_app.score(plain.id, "expert-1", uniform(90), AT)
    passed = review_app.score(overridden.id, "expert-1", uniform(90), AT)

    assert failed.status == FAILED and failed.outcome_reasons[0].startswith("b2b_scale")
    assert passed.status == PASSED and passed.overrides == {"b2b_scale": "受疫情影响当年收入下滑，专题会议同意"}


def test_only_a_criterion_that_failed_can_be_overridden(review_app):
    review = open_review(review_app)

    with pytest.raises(Conflict, match="did not fail"):
        review_app.override(review.id, "b2b_scale", "无", by="operator", at=AT)


def rereview(review_app, report, unit_id=None):
    review = review_app.prepare_rereview(unit_id=unit_id or uuid4(), application_id=uuid4(), program_id=PROGRAM,
                                         unit_name="成都蜀锦电子商务有限公司", unit_type="enterprise",
                                         subtype="b2b_platform", region_code="510104", credit_code=APPLICANT,
                                         due_on=date(2028, 12, 15), report=report, at=AT)
    review_app.save(review)
    ensure_experts(review_app, ["expert-1"])
    return review_app.assign(review.id, ["expert-1"]) if not review.experts else review


def report_with(**figures):
    from shared.samples import sample_application

    sample = sample_application(1, region_code="510104")
    return {"year": 2027, "figures": {**sample["figures"], **figures}, "declarations": sample["declarations"],
            "submitted_on": date(2028, 3, 31)}


def test_a_rereview_of_a_unit_still_meeting_the_criteria_confirms_it(review_app):
    review = rereview(review_app, report_with())

    concluded = review_app.score(review.id, "expert-1", uniform(75), AT)

    assert concluded.kind == REREVIEW and concluded.status == PASSED
    assert [type(e).__name__ for e in review_app.events_of(review.id)][-1] == "RereviewConcluded"
    assert review_app.events_of(review.id)[-1].outcome == "confirm"


def test_a_rereview_of_a_unit_below_its_thresholds_revokes_it_with_the_reasons(review_app):
    review = rereview(review_app, report_with(service_revenue=1_000_000, transaction_volume=10_000_000))

    review_app.score(review.id, "expert-1", uniform(75), AT)

    concluded = review_app.events_of(review.id)[-1]
    assert concluded.outcome == "revoke"
    assert any("scale" in reason for reason in concluded.reasons)


def test_a_rereview_without_a_statistical_report_revokes(review_app):
    review = rereview(review_app, None)

    review_app.score(review.id, "expert-1", uniform(90), AT)

    assert review_app.events_of(review.id)[-1].reasons == ["no statistical report was filed"]


def test_a_rereview_opens_once_per_unit_and_due_date(review_app):
    unit_id = uuid4()
    rereview(review_app, report_with(), unit_id=unit_id)

    again = review_app.prepare_rereview(unit_id=unit_id, application_id=uuid4(), program_id=PROGRAM, unit_name="x",
                                        unit_type="enterprise", subtype="b2b_platform", region_code="510104",
                                        credit_code=APPLICANT, due_on=date(2028, 12, 15), report=None, at=AT)

    assert again is None


def test_an_expert_who_declares_an_interest_after_assignment_cannot_score_and_recuses_instead(review_app):
    review = open_review(review_app, experts=("expert-1",), credit_code=APPLICANT)
    review_app.declare_interests("expert-1", [APPLICANT], by="expert-1")
    version = stored_version(review_app, review.id)

    with pytest.raises(Conflict, match="declared an interest") as refused:
        review_app.score(review.id, "expert-1", uniform(80), AT)

    assert "expert" in refused.value.fields
    assert stored_version(review_app, review.id) == version
    assert review_app.recuse(review.id, "expert-1", "申报单位为其合作单位").recused == {"expert-1": "申报单位为其合作单位"}
