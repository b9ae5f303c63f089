"""NotifyApp: who each public event concerns, and recording each delivery exactly once."""
from datetime import date
from uuid import uuid4

import pytest

from services.notify.domain import INBOX, Delivery

from givens import AT

CERTIFIED = "shifan.registry.unit_certified.v1"
PUBLISHED = "shifan.review.notice_published.v1"


def unit_certified(application_id) -> dict:
    return {"unit_id": uuid4(), "application_id": application_id, "certificate_no": "SCDS-2026-00001",
            "title": "四川省电子商务示范企业", "unit_name": "成都蜀锦电子商务有限公司",
            "unit_type": "enterprise", "region_code": "510104", "credit_code": "91510104MA61XXXX0A",
            "program_id": "sichuan-ecommerce-demo", "notice_id": uuid4(),
            "valid_from": date(2026, 12, 15), "rereview_due": date(2028, 12, 15)}


def listed(credit_code: str, unit_name: str) -> dict:
    return {"application_id": uuid4(), "review_id": uuid4(), "unit_name": unit_name,
            "unit_type": "enterprise", "region_code": "510703", "credit_code": credit_code,
            "program_id": "sichuan-ecommerce-demo", "achievements": ""}


def notice_published(*entries) -> dict:
    return {"notice_id": uuid4(), "program_id": "sichuan-ecommerce-demo", "published_on": date(2026, 12, 1),
            "first_day": date(2026, 12, 1), "last_day": date(2026, 12, 14), "end_estimated": False,
            "entries": list(entries)}


def test_a_certified_unit_is_told_with_its_city_and_the_province(notify):
    application_id = uuid4()

    deliveries = notify.prepare_deliveries("registry:7", CERTIFIED, unit_certified(application_id), AT)

    assert [d.recipient for d in deliveries] == ["applicant:91510104MA61XXXX0A", "recommender:510100", "province"]
    assert {d.application_id for d in deliveries} == {application_id}
    assert {d.channel for d in deliveries} == {INBOX}
    assert "SCDS-2026-00001" in deliveries[0].text


def test_a_published_notice_tells_each_listed_unit(notify):
    a, b = listed("91510703AAAAAAAA1A", "绵阳甲公司"), listed("91510703BBBBBBBB2B", "绵阳乙公司")

    deliveries = notify.prepare_deliveries("review:12", PUBLISHED, notice_published(a, b), AT)

    assert [(d.application_id, d.recipient) for d in deliveries] == [
        (a["application_id"], "applicant:91510703AAAAAAAA1A"),
        (b["application_id"], "applicant:91510703BBBBBBBB2B")]
    assert "2026-12-01 至 2026-12-14" in deliveries[0].text


def test_an_event_concerning_nobody_gives_no_deliveries(notify):
    assert notify.prepare_deliveries("registry:1", "shifan.registry.certificate_numbers_issued.v1",
                                     {"numbers": ["SCDS-2026-00001"]}, AT) == []


def test_deliveries_already_recorded_are_not_prepared_again(notify):
    data = unit_certified(uuid4())
    notify.save(*notify.prepare_deliveries("registry:7", CERTIFIED, data, AT))

    assert notify.prepare_deliveries("registry:7", CERTIFIED, data, AT) == []
    assert len(notify.deliveries()) == 3


def test_a_delivery_is_identified_by_its_event_unit_and_recipient(notify):
    data = unit_certified(uuid4())

    deliveries = notify.prepare_deliveries("registry:7", CERTIFIED, data, AT)

    assert [d.id for d in deliveries] == [
        Delivery.create_id("registry:7", d.recipient, data["application_id"]) for d in deliveries]


def test_recorded_deliveries_can_be_found_by_application_and_recipient(notify):
    mine, other = uuid4(), uuid4()
    notify.save(*notify.prepare_deliveries("registry:7", CERTIFIED, unit_certified(mine), AT))
    notify.save(*notify.prepare_deliveries("registry:8", CERTIFIED, unit_certified(other), AT))

    assert len(notify.deliveries(application_id=mine)) == 3
    assert [d.event_id for d in notify.deliveries(application_id=mine, recipient="province")] == ["registry:7"]


def test_a_notice_listing_two_units_of_one_applicant_can_be_recorded(notify):
    a, b = listed("91510703AAAAAAAA1A", "绵阳甲公司"), listed("91510703AAAAAAAA1A", "绵阳甲公司产业园")

    notify.save(*notify.prepare_deliveries("review:12", PUBLISHED, notice_published(a, b), AT))

    assert {d.application_id for d in notify.deliveries()} == {a["application_id"], b["application_id"]}
