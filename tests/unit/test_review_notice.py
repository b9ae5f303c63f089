"""ReviewApp: publishing the public notice of passed reviews, and closing it when its period ends."""
from datetime import date, timedelta

import pytest

from services.review.notices import NOTICE_CLOSED, NOTICE_OPEN, Notice
from shared.errors import Conflict, InvalidInput

from givens import AT, failed_review, panel_review, passed_review, uniform

DEC_1 = date(2026, 12, 1)  # a Tuesday; 10 working days end on Monday 14 December


def test_a_notice_lists_the_given_passed_reviews_for_ten_working_days(review_app):
    review = passed_review(review_app)

    notice = review_app.publish_notice([review.id], DEC_1)

    stored = review_app.notice(notice.id)
    assert (stored.status, stored.published_on, stored.first_day, stored.last_day, stored.end_estimated) == (
        NOTICE_OPEN, DEC_1, DEC_1, date(2026, 12, 14), False)
    assert [e["review_id"] for e in stored.entries] == [str(review.id)]
    assert stored.entries[0]["application_id"] == str(review.application_id)
    assert review_app.review(review.id).notice_id == notice.id


def test_a_notice_naming_a_review_that_did_not_pass_is_refused_and_nothing_is_saved(review_app):
    passed, failed = passed_review(review_app), failed_review(review_app)
    log_end = review_app.recorder.max_notification_id()

    with pytest.raises(Conflict):
        review_app.publish_notice([passed.id, failed.id], DEC_1)

    assert review_app.recorder.max_notification_id() == log_end
    assert list(review_app.ids_with_events(Notice.Published)) == []
    assert review_app.review(passed.id).notice_id is None


def test_a_notice_naming_an_open_review_is_refused(review_app):
    review = panel_review(review_app, experts=2)

    with pytest.raises(Conflict):
        review_app.publish_notice([review.id], DEC_1)


def test_without_review_ids_a_notice_lists_every_passed_review_not_yet_listed(review_app):
    listed = passed_review(review_app)
    review_app.publish_notice([listed.id], DEC_1)
    first, second = passed_review(review_app), passed_review(review_app)
    failed_review(review_app)

    notice = review_app.publish_notice(None, DEC_1)

    assert sorted(e["review_id"] for e in notice.entries) == sorted([str(first.id), str(second.id)])
    assert review_app.reviews_awaiting_notice() == []


def test_without_review_ids_and_none_awaiting_publishing_is_a_conflict(review_app):
    failed_review(review_app)

    with pytest.raises(Conflict):
        review_app.publish_notice(None, DEC_1)


def test_a_review_cannot_be_listed_on_two_notices(review_app):
    review = passed_review(review_app)
    review_app.publish_notice([review.id], DEC_1)

    with pytest.raises(Conflict):
        review_app.publish_notice([review.id], DEC_1 + timedelta(days=1))

    assert len(list(review_app.ids_with_events(Notice.Published))) == 1


def test_one_notice_lists_one_programs_units(review_app):
    ours = passed_review(review_app)
    theirs = panel_review(review_app, experts=1, program_id="another-program")
    review_app.score(theirs.id, "expert-1", uniform(90), AT)

    with pytest.raises(InvalidInput):
        review_app.publish_notice([ours.id, theirs.id], DEC_1)


@pytest.mark.parametrize("today", [date(2026, 12, 13), date(2026, 12, 14)])
def test_a_notice_cannot_close_on_or_before_its_last_day(review_app, today):
    notice = review_app.publish_notice([passed_review(review_app).id], DEC_1)

    with pytest.raises(Conflict):
        review_app.close_notice(notice.id, today)

    assert review_app.notice(notice.id).status == NOTICE_OPEN


def test_a_notice_closes_the_day_after_its_last_day_approving_its_entries(review_app):
    notice = review_app.publish_notice([passed_review(review_app).id, passed_review(review_app).id], DEC_1)

    review_app.close_notice(notice.id, date(2026, 12, 15))

    closed = review_app.notice(notice.id)
    assert (closed.status, closed.closed_on) == (NOTICE_CLOSED, date(2026, 12, 15))
    assert closed.approved == notice.entries
    assert len(closed.approved) == 2


def test_a_closed_notice_cannot_close_again(review_app):
    notice = review_app.publish_notice([passed_review(review_app).id], DEC_1)
    review_app.close_notice(notice.id, date(2026, 12, 15))

    with pytest.raises(Conflict):
        review_app.close_notice(notice.id, date(2026, 12, 16))


def test_closing_due_notices_closes_only_open_notices_whose_period_has_ended(review_app):
    due = review_app.publish_notice([passed_review(review_app).id], DEC_1)  # ends 14 Dec
    running = review_app.publish_notice([passed_review(review_app).id], date(2026, 12, 7))  # ends 18 Dec

    closed = review_app.close_due_notices(date(2026, 12, 15))

    assert closed == [due.id]
    assert review_app.notice(due.id).status == NOTICE_CLOSED
    assert review_app.notice(running.id).status == NOTICE_OPEN
    assert review_app.close_due_notices(date(2026, 12, 15)) == []


def test_a_due_notice_another_instance_closed_first_is_left_to_it(review_app):
    raced = review_app.publish_notice([passed_review(review_app).id], DEC_1)
    other = review_app.publish_notice([passed_review(review_app).id], DEC_1)
    load, racing = review_app.notice, []

    def load_while_another_instance_closes_it(notice_id):
        notice = load(notice_id)
        if notice_id == raced.id and not racing:  # the other instance saves its close in between
            racing.append(notice_id)
            review_app.close_notice(notice_id, date(2026, 12, 15))
        return notice

    review_app.notice = load_while_another_instance_closes_it
    assert review_app.close_due_notices(date(2026, 12, 15)) == [other.id]
    assert load(raced.id).status == NOTICE_CLOSED and len(review_app.events_of(raced.id)) == 2
