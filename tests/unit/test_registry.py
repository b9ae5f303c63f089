"""RegistryApp: certifying the units a closed notice approved, with certificate numbers never reused.
The givens here (`entry`, `certify`, `certified`) serve the other test_registry_* modules too."""
from datetime import date
from uuid import uuid4

from services.registry.app import years_later
from services.registry.domain import CertificateBook, Unit

PROGRAM = "sichuan-ecommerce-demo"
CLOSED_ON = date(2026, 12, 15)
SUBTYPES = {"enterprise": "b2b_platform"}


def entry(unit_type: str = "enterprise", **overrides) -> dict:
    """One approved entry of NoticeClosedV1, as the follower hands it over (loaded by the contract)."""
    values = {"application_id": uuid4(), "review_id": uuid4(), "unit_name": "成都蜀锦电子商务有限公司",
              "unit_type": unit_type, "subtype": SUBTYPES.get(unit_type), "region_code": "510104",
              "credit_code": "91510104MA61XXXX0A", "program_id": PROGRAM, "achievements": "专家评审平均分 80.00"}
    values.update(overrides)
    return values


def certify(registry, approved: list, closed_on: date = CLOSED_ON, notice_id=None) -> list:
    aggregates = registry.prepare_certification(notice_id or uuid4(), PROGRAM, approved, closed_on)
    registry.save(*aggregates)
    return aggregates


def certified(registry, closed_on: date = CLOSED_ON, **overrides):
    """One unit certified from a notice closed on `closed_on`; returns it as stored."""
    approved = entry(**overrides)
    certify(registry, [approved], closed_on=closed_on)
    return registry.unit_of_application(approved["application_id"])


def test_certification_issues_sequential_numbers_in_the_year_the_notice_closed(registry):
    first, second = entry(), entry("base")

    book, *units = certify(registry, [first, second])

    assert isinstance(book, CertificateBook)
    assert [u.certificate_no for u in units] == ["SCDS-2026-00001", "SCDS-2026-00002"]
    assert [u.application_id for u in units] == [first["application_id"], second["application_id"]]
    assert [u.title for u in units] == ["四川省电子商务示范企业", "四川省电子商务示范基地"]


def test_a_second_notice_continues_the_sequence_and_reuses_no_number(registry):
    certify(registry, [entry(), entry()])

    _, unit = certify(registry, [entry("rural_county")])

    assert unit.certificate_no == "SCDS-2026-00003"
    numbers = [u.certificate_no for u in registry.units()]
    assert sorted(numbers) == ["SCDS-2026-00001", "SCDS-2026-00002", "SCDS-2026-00003"]


def test_units_already_certified_are_not_certified_again(registry):
    approved = [entry(), entry()]
    certify(registry, approved)

    assert registry.prepare_certification(uuid4(), PROGRAM, approved, CLOSED_ON) == []


def test_only_the_uncertified_units_of_a_partly_certified_notice_get_numbers(registry):
    old, new = entry(), entry()
    certify(registry, [old])

    _, unit = certify(registry, [old, new])

    assert unit.application_id == new["application_id"]
    assert unit.certificate_no == "SCDS-2026-00002"
    assert registry.unit_of_application(old["application_id"]).certificate_no == "SCDS-2026-00001"


def test_a_certified_unit_is_valid_from_the_closing_day_and_rereviewed_twoyears_later(registry):
    notice_id = uuid4()
    approved = entry()

    certify(registry, [approved], notice_id=notice_id)

    unit = registry.unit_of_application(approved["application_id"])
    assert unit.id == Unit.create_id(approved["application_id"])
    assert (unit.notice_id, unit.valid_from, unit.rereview_due) == (notice_id, CLOSED_ON, date(2028, 12, 15))


def test_a_unit_certified_on_29_february_is_rereviewed_on_28_february(registry):
    approved = entry()

    certify(registry, [approved], closed_on=date(2028, 2, 29))

    assert registry.unit_of_application(approved["application_id"]).rereview_due == date(2030, 2, 28)


def testyears_later_keeps_the_day_or_falls_back_to_28_february():
    assert years_later(date(2026, 12, 15), 2) == date(2028, 12, 15)
    assert years_later(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert years_later(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_a_certified_unit_keeps_its_subtype_and_round_when_the_notice_names_them(registry):
    round_id = uuid4()

    unit = certified(registry, round_id=round_id, round_label="2026-1")

    assert (unit.subtype, unit.round_id, unit.round_label) == ("b2b_platform", round_id, "2026-1")
    assert unit.status == "certified" and unit.holds_title


def test_a_notice_entry_without_subtype_or_round_still_certifies(registry):
    approved = entry()
    for name in ("subtype",):
        approved.pop(name)

    _, unit = certify(registry, [approved])

    assert (unit.subtype, unit.round_id, unit.round_label) == (None, None, None)
