"""ReviewApp: objections to a public notice (公示) — filed during the period only, resolved by the
province, and holding the notice open until resolved; an upheld one takes the unit off the list."""
from datetime import date, datetime, timezone

import pytest

from shared.errors import Conflict, InvalidInput

from givens import passed_review
from services.review.notices import NOTICE_CLOSED, NOTICE_OPEN

AT = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def notice(review_app):
    """Two passed units on a notice published 1 December 2026 (period 1-14 December)."""
    reviews = [passed_review(review_app), passed_review(review_app, credit_code="91510104MA61YYYY0B")]
    return review_app.publish_notice([r.id for r in reviews], date(2026, 12, 1))


def object_to(review_app, notice, today, n=0):
    return review_app.file_objection(notice.id, notice.entries[n]["application_id"], name="王五",
                                     contact="13900000000", reason="该企业近两年有行政处罚记录", today=today, at=AT)


def test_anyone_may_object_during_the_period(review_app, notice):
    objection_id = object_to(review_app, notice, date(2026, 12, 14))

    stored = review_app.notice(notice.id).objections[objection_id]
    assert (stored["name"], stored["decision"]) == ("王五", None)


@pytest.mark.parametrize("today", [date(2026, 11, 30), date(2026, 12, 15)])
def test_an_objection_outside_the_period_is_refused(review_app, notice, today):
    with pytest.raises(Conflict, match="objections .* are taken from 2026-12-01 to 2026-12-14"):
        object_to(review_app, notice, today)

    assert review_app.notice(notice.id).objections == {}


def test_an_objection_to_a_unit_not_on_the_notice_is_invalid(review_app, notice):
    with pytest.raises(InvalidInput, match="not listed"):
        review_app.file_objection(notice.id, "00000000-0000-0000-0000-000000000000", name="王五", contact="x@y.cn",
                                  reason="不存在的单位", today=date(2026, 12, 2), at=AT)


def test_a_notice_with_an_open_objection_does_not_close(review_app, notice):
    object_to(review_app, notice, date(2026, 12, 2))

    with pytest.raises(Conflict, match="objection"):
        review_app.close_notice(notice.id, date(2026, 12, 15))
    assert review_app.close_due_notices(date(2026, 12, 20)) == []

    assert review_app.notice(notice.id).status == NOTICE_OPEN


def test_an_upheld_objection_takes_the_unit_off_the_approved_list(review_app, notice):
    objection_id = object_to(review_app, notice, date(2026, 12, 2), n=0)
    review_app.resolve_objection(notice.id, objection_id, "upheld", "经核实存在违法记录", by="operator", at=AT)

    closed = review_app.close_notice(notice.id, date(2026, 12, 15))

    assert closed.status == NOTICE_CLOSED
    assert [e["application_id"] for e in closed.approved] == [notice.entries[1]["application_id"]]


def test_a_dismissed_objection_leaves_the_list_as_it_was(review_app, notice):
    objection_id = object_to(review_app, notice, date(2026, 12, 2))
    review_app.resolve_objection(notice.id, objection_id, "dismissed", "经核实不属实", by="operator", at=AT)

    closed = review_app.close_notice(notice.id, date(2026, 12, 15))

    assert len(closed.approved) == 2


def test_an_objection_is_resolved_once(review_app, notice):
    objection_id = object_to(review_app, notice, date(2026, 12, 2))
    review_app.resolve_objection(notice.id, objection_id, "dismissed", "不属实", by="operator", at=AT)

    with pytest.raises(Conflict, match="already dismissed"):
        review_app.resolve_objection(notice.id, objection_id, "upheld", "改判", by="operator", at=AT)
