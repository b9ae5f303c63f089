"""ApplicationsApp: submitting, recommending and declining applications, and the errors callers see."""
from uuid import uuid4

import pytest

from services.applications.domain import DECLINED, RECOMMENDED, SUBMITTED, Application
from shared.errors import Conflict, NotFound

from givens import AT, CONTACT, stored_version, submission


def test_submitted_application_is_stored_as_submitted(applications):
    application_id = applications.submit(**submission())

    application = applications.application(application_id)
    assert application.status == SUBMITTED
    assert application.unit_name == "成都蜀锦电子商务有限公司"
    assert application.contact == CONTACT


def test_recommending_a_submitted_application_records_the_unit_summary(applications):
    application_id = applications.submit(**submission())

    applications.recommend(application_id, by="recommender:510100", at=AT)

    assert applications.application(application_id).status == RECOMMENDED
    recommended = applications.events_of(application_id)[-1]
    assert isinstance(recommended, Application.Recommended)
    assert (recommended.by, recommended.at) == ("recommender:510100", AT)
    assert {k: getattr(recommended, k) for k in
            ("program_id", "round_id", "credit_code", "unit_name", "unit_type", "region_code", "figures")} == {
        "program_id": "sichuan-ecommerce-demo", "round_id": "2026-1", "credit_code": "91510104MA61XXXX0A",
        "unit_name": "成都蜀锦电子商务有限公司", "unit_type": "enterprise", "region_code": "510104",
        "figures": {"online_sales_wan_yuan": 12000, "employees": 85}}
    assert not hasattr(recommended, "contact")


def test_declining_a_submitted_application_records_who_and_why(applications):
    application_id = applications.submit(**submission())

    applications.decline(application_id, by="recommender:510100", reason="材料不全", at=AT)

    application = applications.application(application_id)
    assert (application.status, application.decided_by, application.decision_reason) == (
        DECLINED, "recommender:510100", "材料不全")


@pytest.mark.parametrize("first", ["recommend", "decline"])
@pytest.mark.parametrize("second", ["recommend", "decline"])
def test_a_decided_application_cannot_be_decided_again_and_nothing_is_saved(applications, first, second):
    application_id = applications.submit(**submission())
    _decide(applications, first, application_id)
    version = stored_version(applications, application_id)

    with pytest.raises(Conflict):
        _decide(applications, second, application_id)

    assert stored_version(applications, application_id) == version
    assert applications.application(application_id).status == {"recommend": RECOMMENDED, "decline": DECLINED}[first]


@pytest.mark.parametrize("command", ["recommend", "decline", "application"])
def test_an_unknown_application_is_not_found(applications, command):
    with pytest.raises(NotFound):
        _decide(applications, command, uuid4())


def _decide(app, command, application_id):
    if command == "recommend":
        return app.recommend(application_id, by="recommender:510100", at=AT)
    if command == "decline":
        return app.decline(application_id, by="recommender:510100", reason="不符合条件", at=AT)
    return app.application(application_id)
