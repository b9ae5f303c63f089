"""ApplicationsApp: an application's life from draft to the recommending authority's decision,
rounds with deadlines, and quotas per authority (in-memory store)."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from shared.errors import Conflict, InvalidInput, NotFound
from shared.regions import PROVINCE

from givens import AT, CONTACT, DEADLINE, round_of, stored_version, submission, submitted
from services.applications.domain import DECLINED, DRAFT, RECOMMENDED, RETURNED, SUBMITTED, WITHDRAWN


def mianyang(n: int, **overrides):
    return submission(credit_code=f"91510703MA6{n:06d}X", unit_name=f"绵阳企业{n}", region_code="510703", **overrides)


def test_a_draft_becomes_submitted_with_the_eligibility_report_and_program_version(applications):
    application = applications.draft(round_id=round_of(applications), **submission())
    assert application.status == DRAFT

    submitted_one = applications.submit(application.id, by="applicant", at=AT)

    assert submitted_one.status == SUBMITTED
    assert submitted_one.eligibility["eligible"] is True
    assert submitted_one.program_version == applications.round(round_of(applications)).program_version
    assert submitted_one.recommender == "510100"


def test_a_submission_after_the_rounds_deadline_is_refused_and_nothing_is_saved(applications):
    application = applications.draft(round_id=round_of(applications), **submission())
    version = stored_version(applications, application.id)
    late = datetime(2027, 1, 1, 1, 0, tzinfo=timezone.utc)  # 1 January in China, the day after

    with pytest.raises(Conflict, match="late"):
        applications.submit(application.id, by="applicant", at=late)

    assert stored_version(applications, application.id) == version


def test_the_deadline_day_itself_counts_in_china_time(applications):
    application = applications.draft(round_id=round_of(applications), **submission())
    last_minute = datetime(2026, 12, 31, 15, 59, tzinfo=timezone.utc)  # 23:59 on 31 December in China

    assert DEADLINE.isoformat() == "2026-12-31"
    assert applications.submit(application.id, by="applicant", at=last_minute).status == SUBMITTED


def test_an_incomplete_application_is_refused_naming_the_missing_figure(applications):
    figures = {k: v for k, v in submission()["figures"].items() if k != "service_revenue"}
    application = applications.draft(round_id=round_of(applications), **submission(figures=figures))

    with pytest.raises(InvalidInput) as refused:
        applications.submit(application.id, by="applicant", at=AT)

    assert "service_revenue" in refused.value.fields["figures"]
    assert applications.application(application.id).status == DRAFT


def test_a_returned_application_is_amended_and_resubmitted(applications):
    application_id = submitted(applications)
    applications.return_for_correction(application_id, ["营业执照复印件不清晰"], by="510100", at=AT)
    assert applications.application(application_id).status == RETURNED

    applications.amend(application_id, {"unit_name": "成都蜀锦电子商务股份有限公司"}, by="applicant", at=AT)
    resubmitted = applications.submit(application_id, by="applicant", at=AT)

    assert resubmitted.status == SUBMITTED
    assert resubmitted.unit_name == "成都蜀锦电子商务股份有限公司"
    assert [type(e).__name__ for e in applications.events_of(application_id)] == [
        "Drafted", "Submitted", "Returned", "Amended", "Submitted"]


def test_a_submitted_application_cannot_be_amended(applications):
    application_id = submitted(applications)

    with pytest.raises(Conflict, match="cannot amend"):
        applications.amend(application_id, {"unit_name": "改名"}, by="applicant", at=AT)


def test_the_applicant_withdraws_before_a_decision_but_not_after(applications):
    first, second = submitted(applications), submitted(applications, credit_code="91510104MA61YYYY0B")
    applications.recommend(second, by="510100", at=AT)

    assert applications.withdraw(first, by="applicant", reason="不再申报", at=AT).status == WITHDRAWN
    with pytest.raises(Conflict):
        applications.withdraw(second, by="applicant", reason="不再申报", at=AT)


@pytest.mark.parametrize("first, second", [("recommend", "recommend"), ("recommend", "decline"),
                                           ("decline", "recommend"), ("decline", "decline")])
def test_a_decided_application_cannot_be_decided_again_and_nothing_is_saved(applications, first, second):
    application_id = submitted(applications)
    decide = {"recommend": lambda: applications.recommend(application_id, by="510100", at=AT),
              "decline": lambda: applications.decline(application_id, by="510100", reason="不符合", at=AT)}
    decide[first]()
    version = stored_version(applications, application_id)

    with pytest.raises(Conflict):
        decide[second]()

    assert stored_version(applications, application_id) == version
    assert applications.application(application_id).status in (RECOMMENDED, DECLINED)


def test_the_recommended_event_carries_the_unit_summary_and_report_but_no_contact(applications):
    application_id = submitted(applications)
    applications.recommend(application_id, by="510100", at=AT)

    recommended = applications.events_of(application_id)[-1]

    assert recommended.summary["unit_name"] == "成都蜀锦电子商务有限公司"
    assert recommended.eligibility["eligible"] is True
    assert "contact" not in recommended.summary and CONTACT["phone"] not in str(vars(recommended))


def test_the_third_enterprise_a_non_chengdu_city_recommends_is_refused(applications):
    ids = [submitted(applications, **{k: v for k, v in mianyang(n).items() if k not in ("by", "at")})
           for n in (1, 2, 3)]
    applications.recommend(ids[0], by="510700", at=AT)
    applications.recommend(ids[1], by="510700", at=AT)

    with pytest.raises(Conflict, match="quota .* is full") as refused:
        applications.recommend(ids[2], by="510700", at=AT)

    assert refused.value.fields == {"quota": ["full"]}
    assert applications.application(ids[2]).status == SUBMITTED
    assert applications.quota(round_of(applications), "510700", "enterprise").remaining == 0


def test_chengdu_is_exempt_so_its_third_enterprise_is_recommended(applications):
    ids = [submitted(applications, credit_code=f"91510104MA6{n:06d}X") for n in (1, 2, 3)]

    for application_id in ids:
        applications.recommend(application_id, by="510100", at=AT)

    assert {applications.application(i).status for i in ids} == {RECOMMENDED}
    assert applications.quota(round_of(applications), "510100", "enterprise").remaining is None


def test_going_over_a_quota_takes_a_provincial_decision_with_a_reason(applications):
    ids = [submitted(applications, **{k: v for k, v in mianyang(n).items() if k not in ("by", "at")})
           for n in (1, 2, 3)]
    for application_id in ids[:2]:
        applications.recommend(application_id, by="510700", at=AT)

    quota = applications.raise_quota(round_of(applications), "510700", "enterprise", 1,
                                     "省商务厅2026年第3次专题会议同意增加1个名额", by="operator", at=AT)
    applications.recommend(ids[2], by="510700", at=AT)

    assert quota.raises[0]["reason"].startswith("省商务厅")
    assert applications.application(ids[2]).status == RECOMMENDED
    assert applications.quota(round_of(applications), "510700", "enterprise").remaining == 0


def test_a_provincial_level_enterprise_goes_straight_to_the_province_outside_any_quota(applications):
    application_id = submitted(applications, credit_code="91510000MA6000001X", region_code="510703",
                               provincial_level=True)

    application = applications.application(application_id)
    applications.recommend(application_id, by=PROVINCE, at=AT)

    assert application.recommender == PROVINCE
    assert applications.application(application_id).status == RECOMMENDED
    assert applications.quota(round_of(applications), PROVINCE, "enterprise").limit is None


def test_a_round_label_is_used_once_per_program(applications):
    round_of(applications)

    with pytest.raises(Conflict, match="already has a round"):
        applications.open_round("sichuan-ecommerce-demo", "2026-1", DEADLINE, by="operator", at=AT)


def test_an_unknown_application_is_not_found(applications):
    with pytest.raises(NotFound):
        applications.application(uuid4())


def test_progress_counts_applications_by_type_and_status_against_the_targets(applications):
    submitted(applications)
    applications.recommend(submitted(applications, credit_code="91510104MA61YYYY0B"), by="510100", at=AT)

    progress = applications.progress("sichuan-ecommerce-demo")

    assert progress["enterprise"] == {"target": 50, "by_status": {"submitted": 1, "recommended": 1}}
    assert progress["base"] == {"target": 20, "by_status": {}}
    assert progress["rural_county"]["target"] == 15


def test_an_application_moved_to_another_city_is_decided_by_that_city(applications):
    application = applications.draft(round_id=round_of(applications), **mianyang(1))
    assert application.recommender == "510700"

    moved = applications.amend(application.id, {"region_code": "510104"}, by="applicant", at=AT)
    made_provincial = applications.amend(application.id, {"provincial_level": True}, by="applicant", at=AT)

    assert moved.recommender == "510100"
    assert made_provincial.recommender == PROVINCE
    assert applications.application(application.id).recommender == PROVINCE
    assert "recommender" in applications.events_of(application.id)[-1].changes
