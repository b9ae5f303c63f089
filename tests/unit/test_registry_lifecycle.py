"""A certified unit's life: re-review asked for on time and once, confirmed or revoked by its
conclusion, revoked by the province, given up, amended, and its yearly reports."""
from datetime import date, datetime, timezone
from uuid import uuid4

import pytest

from services.registry.policies import when_rereview_concluded_confirm_or_revoke
from shared.contracts.review import RereviewConcludedV1
from shared.errors import Conflict, InvalidInput
from shared.messaging.follower import PublicEvent
from shared.messaging.log import public_history, read_public_log
from shared.samples import sample_application

from test_registry import certified

DUE = date(2028, 12, 15)  # two years after the notice closed on 2026-12-15


def concluded(unit_id, outcome: str, on: date, reasons=(), rereview_id=None) -> PublicEvent:
    """review's rereview_concluded as the follower hands it to a policy (data loaded by the contract)."""
    data = {"rereview_id": str(rereview_id or uuid4()), "unit_id": str(unit_id), "outcome": outcome,
            "reasons": list(reasons), "mean_score": "72.50", "concluded_on": on.isoformat()}
    return PublicEvent(id="review:9", type=RereviewConcludedV1.TYPE, source="review", subject=data["rereview_id"],
                       time=datetime.now(timezone.utc), data=RereviewConcludedV1().load(data))


def follow(registry, event: PublicEvent) -> list:
    aggregates = when_rereview_concluded_confirm_or_revoke(registry, event)
    registry.save(*aggregates)
    return aggregates


def types_of(registry, unit_id) -> list[str]:
    return [item["type"].split(".")[2] for item in public_history(registry, unit_id)]


def report_body(**figures) -> dict:
    sample = sample_application(1, region_code="510104")
    return {"figures": {**sample["figures"], **figures}, "declarations": sample["declarations"]}


# -- re-review -------------------------------------------------------------------------------------
def test_the_rereview_is_requested_on_its_due_date_and_not_the_day_before(registry):
    unit = certified(registry)

    assert registry.request_due_rereviews(date(2028, 12, 14), [unit.id]) == []
    assert registry.request_due_rereviews(DUE, [unit.id]) == [unit.id]

    assert registry.unit(unit.id).status == "under_rereview"


def test_a_due_rereview_is_requested_once_however_often_the_timer_runs(registry):
    unit = certified(registry)

    for day in (DUE, DUE, date(2028, 12, 16), date(2029, 1, 5)):
        registry.request_due_rereviews(day, [unit.id])

    assert types_of(registry, unit.id) == ["unit_certified", "rereview_requested"]


def test_the_rereview_request_carries_the_unit_and_its_latest_report(registry):
    unit = certified(registry)
    registry.submit_report(unit.id, 2026, **report_body(), today=date(2027, 3, 1))
    registry.submit_report(unit.id, 2027, **report_body(service_revenue=2_500_000), today=date(2028, 3, 1))

    registry.request_due_rereviews(DUE, [unit.id])

    envelope = read_public_log(registry, 0, 100)[-1]
    assert envelope["type"] == "shifan.registry.rereview_requested.v1"
    data = envelope["data"]
    assert (data["unit_id"], data["certificate_no"], data["due_on"]) == (str(unit.id), unit.certificate_no, "2028-12-15")
    assert (data["unit_name"], data["subtype"], data["credit_code"]) == (unit.unit_name, "b2b_platform", unit.credit_code)
    assert data["report"]["year"] == 2027 and data["report"]["figures"]["service_revenue"] == 2_500_000


def test_a_rereview_request_without_any_report_carries_null(registry):
    unit = certified(registry)

    registry.request_due_rereviews(DUE, [unit.id])

    assert read_public_log(registry, 0, 100)[-1]["data"]["report"] is None


def test_a_rereview_concluding_confirm_sets_the_next_due_date_two_years_after_the_conclusion(registry):
    unit = certified(registry)
    registry.request_due_rereviews(DUE, [unit.id])

    follow(registry, concluded(unit.id, "confirm", date(2028, 12, 20)))

    confirmed = registry.unit(unit.id)
    assert (confirmed.status, confirmed.rereview_due, confirmed.holds_title) == ("confirmed", date(2030, 12, 20), True)
    assert registry.certificate(unit.id)["rereview_due"] == "2030-12-20"


def test_a_confirmed_unit_is_asked_for_its_next_rereview_two_years_later(registry):
    unit = certified(registry)
    registry.request_due_rereviews(DUE, [unit.id])
    follow(registry, concluded(unit.id, "confirm", date(2028, 12, 20)))

    assert registry.request_due_rereviews(date(2030, 12, 19), [unit.id]) == []
    assert registry.request_due_rereviews(date(2030, 12, 20), [unit.id]) == [unit.id]


def test_a_rereview_concluding_revoke_revokes_the_title_with_the_reasons(registry):
    unit = certified(registry)
    registry.request_due_rereviews(DUE, [unit.id])
    reasons = ["b2b_scale: 电子商务相关服务年收入 2500000 < 3000000（市州）"]

    follow(registry, concluded(unit.id, "revoke", date(2028, 12, 20), reasons))

    revoked = registry.unit(unit.id)
    assert (revoked.status, revoked.ended_on, revoked.holds_title) == ("revoked", date(2028, 12, 20), False)
    data = read_public_log(registry, 0, 100)[-1]["data"]
    assert (data["by"], data["reason_code"], data["reasons"]) == ("rereview", "rereview_failed", reasons)


def test_a_conclusion_delivered_twice_is_applied_once(registry):
    unit = certified(registry)
    registry.request_due_rereviews(DUE, [unit.id])
    event = concluded(unit.id, "confirm", date(2028, 12, 20))

    follow(registry, event)
    assert follow(registry, event) == []

    assert types_of(registry, unit.id) == ["unit_certified", "rereview_requested", "unit_confirmed"]


def test_a_conclusion_for_a_unit_the_province_revoked_meanwhile_changes_nothing(registry):
    unit = certified(registry)
    registry.request_due_rereviews(DUE, [unit.id])
    registry.revoke(unit.id, "violation", "绵市监罚〔2028〕9号", "", today=date(2028, 12, 17))

    assert follow(registry, concluded(unit.id, "confirm", date(2028, 12, 20))) == []
    assert registry.unit(unit.id).status == "revoked"


def test_a_conclusion_for_an_unknown_unit_is_ignored_rather_than_blocking_the_follower(registry):
    assert follow(registry, concluded(uuid4(), "confirm", date(2028, 12, 20))) == []


# -- the end of a title ----------------------------------------------------------------------------
def test_the_province_revokes_with_a_reason_code_and_evidence_keeping_the_note_inside(registry):
    unit = certified(registry)

    registry.revoke(unit.id, "fraud", "川商务函〔2027〕31号", "材料中的交易额经核查不实", today=date(2027, 6, 1))

    revoked = registry.unit(unit.id)
    assert (revoked.status, revoked.ended_on) == ("revoked", date(2027, 6, 1))
    assert revoked.notes == [{"on": date(2027, 6, 1), "event": "revoked", "text": "材料中的交易额经核查不实",
                              "evidence_ref": "川商务函〔2027〕31号"}]
    data = read_public_log(registry, 0, 100)[-1]["data"]
    assert (data["by"], data["reason_code"], data["evidence_ref"]) == ("province", "fraud", "川商务函〔2027〕31号")
    assert "材料中的交易额经核查不实" not in str(read_public_log(registry, 0, 100))


def test_an_unknown_reason_code_is_invalid_input_and_a_revoked_title_cannot_be_revoked_again(registry):
    unit = certified(registry)

    with pytest.raises(InvalidInput):
        registry.revoke(unit.id, "dislike", "x", "", today=date(2027, 6, 1))
    registry.revoke(unit.id, "violation", "x", "", today=date(2027, 6, 1))
    with pytest.raises(Conflict):
        registry.revoke(unit.id, "violation", "x", "", today=date(2027, 6, 2))
    with pytest.raises(Conflict):
        registry.give_up(unit.id, "不再经营", today=date(2027, 6, 2))


def test_a_unit_gives_its_title_up(registry):
    unit = certified(registry)

    registry.give_up(unit.id, "企业转型，不再从事电子商务", today=date(2027, 9, 1))

    assert (registry.unit(unit.id).status, registry.unit(unit.id).ended_on) == ("given_up", date(2027, 9, 1))
    assert types_of(registry, unit.id)[-1] == "unit_given_up"
    assert registry.request_due_rereviews(DUE, [unit.id]) == []


def test_an_amendment_changes_the_name_and_keeps_the_old_one_in_history(registry):
    unit = certified(registry)

    registry.amend(unit.id, {"unit_name": "成都蜀锦数字科技有限公司"}, "工商变更登记", today=date(2027, 5, 6))

    amended = registry.unit(unit.id)
    assert amended.unit_name == "成都蜀锦数字科技有限公司"
    assert amended.certificate_issued_on == date(2027, 5, 6)
    history = public_history(registry, unit.id)
    assert history[0]["data"]["unit_name"] == "成都蜀锦电子商务有限公司"
    assert history[-1]["data"]["previous"] == {"unit_name": "成都蜀锦电子商务有限公司"}


def test_an_amendment_to_a_region_outside_the_province_or_a_foreign_subtype_names_the_field(registry):
    unit = certified(registry)

    with pytest.raises(InvalidInput) as outside:
        registry.amend(unit.id, {"region_code": "110105"}, "迁址", today=date(2027, 5, 6))
    with pytest.raises(InvalidInput) as subtype:
        registry.amend(unit.id, {"subtype": "orchard"}, "x", today=date(2027, 5, 6))
    with pytest.raises(InvalidInput):
        registry.amend(unit.id, {"unit_name": unit.unit_name}, "nothing changes", today=date(2027, 5, 6))

    assert "region_code" in outside.value.fields and "subtype" in subtype.value.fields


# -- reports ---------------------------------------------------------------------------------------
def test_a_yearly_report_is_accepted_when_it_has_the_figures_of_the_units_type(registry):
    unit = certified(registry)

    registry.submit_report(unit.id, 2026, **report_body(), today=date(2027, 3, 10))

    stored = registry.unit(unit.id).reports[2026]
    assert stored["submitted_on"] == date(2027, 3, 10) and stored["figures"]["registered_enterprises"] == 1200


def test_a_report_with_missing_or_wrong_figures_is_refused_naming_each_field(registry):
    unit = certified(registry)
    body = report_body(service_revenue="lots")
    del body["figures"]["registered_enterprises"]
    body["figures"]["platform_sales"] = 1
    body["declarations"]["lawful_operation"] = "yes"

    with pytest.raises(InvalidInput) as refused:
        registry.submit_report(unit.id, 2026, **body, today=date(2027, 3, 10))

    fields = refused.value.fields
    assert set(fields["figures"]) == {"service_revenue", "registered_enterprises", "platform_sales"}
    assert set(fields["declarations"]) == {"lawful_operation"}
    assert registry.unit(unit.id).reports == {}


def test_a_report_for_a_year_not_yet_over_or_before_the_title_names_the_year(registry):
    unit = certified(registry)

    for year in (2025, 2027):
        with pytest.raises(InvalidInput) as refused:
            registry.submit_report(unit.id, year, **report_body(), today=date(2027, 3, 10))
        assert "year" in refused.value.fields


def test_a_year_is_reported_once(registry):
    unit = certified(registry)
    registry.submit_report(unit.id, 2026, **report_body(), today=date(2027, 3, 10))

    with pytest.raises(Conflict):
        registry.submit_report(unit.id, 2026, **report_body(), today=date(2027, 3, 11))


def test_last_years_missing_report_is_overdue_only_after_31_march(registry):
    unit = certified(registry)

    assert registry.missing_reports(unit, date(2027, 3, 31)) == []
    assert registry.missing_reports(unit, date(2027, 4, 1)) == [{"year": 2026, "due_by": date(2027, 3, 31)}]
    registry.submit_report(unit.id, 2026, **report_body(), today=date(2027, 4, 2))
    assert registry.missing_reports(registry.unit(unit.id), date(2027, 4, 2)) == []
    assert [m["year"] for m in registry.missing_reports(registry.unit(unit.id), date(2029, 5, 1))] == [2027, 2028]


def test_a_unit_without_its_title_owes_no_report(registry):
    unit = certified(registry)
    registry.give_up(unit.id, "不再经营", today=date(2027, 1, 10))

    assert registry.missing_reports(registry.unit(unit.id), date(2028, 5, 1)) == []
    with pytest.raises(Conflict):
        registry.submit_report(unit.id, 2026, **report_body(), today=date(2027, 3, 10))
