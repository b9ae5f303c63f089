"""The follower's ordering and exactly-once rules, on in-memory stores with the upstream log read
directly (the broker and RPC are exercised by the e2e and fault tests)."""
import pytest

from shared.contracts.envelope import notification_id_of
from shared.messaging.follower import Follower
from shared.messaging.log import read_public_log

from givens import AT, submitted
from services.review.domain import Review
from services.review.policies import FROM_APPLICATIONS


RECOMMENDED = "shifan.applications.application_recommended.v1"


@pytest.fixture
def upstream(applications):
    """Applications with two submitted and recommended units (a round, drafts, submissions,
    recommendations and quota events in the log)."""
    for name in ("甲公司", "乙公司"):
        application_id = submitted(applications, unit_name=name)
        applications.recommend(application_id, by="510100", at=AT)
    return applications


@pytest.fixture
def follower(review_app, upstream):
    reads = []

    def read_log(after, limit):
        reads.append(after)
        return read_public_log(upstream, after, limit)

    follower = Follower(review_app, "applications", FROM_APPLICATIONS, read_log, amqp_uri="unused")
    follower.reads = reads
    return follower


def envelope(upstream, n):
    return read_public_log(upstream, n - 1, 1)[0]


def last_id(upstream) -> int:
    return upstream.recorder.max_notification_id()


def first_recommended(upstream) -> int:
    return next(notification_id_of(e) for e in read_public_log(upstream, 0, 100) if e["type"] == RECOMMENDED)


def reviews(review_app):
    return list(review_app.ids_with_events(Review.Opened))


def test_the_next_event_is_applied_from_the_message_without_reading_the_log(follower, upstream, review_app):
    k = first_recommended(upstream)

    assert [follower.handle(envelope(upstream, n)) for n in range(1, k + 1)] == [1] * k

    assert follower.position == k
    assert len(reviews(review_app)) == 1
    assert follower.reads == []


def test_a_redelivered_event_is_acknowledged_and_changes_nothing(follower, upstream, review_app):
    k = first_recommended(upstream)
    for n in range(1, k + 1):
        follower.handle(envelope(upstream, n))
    stored = review_app.recorder.max_notification_id()

    assert follower.handle(envelope(upstream, k)) == 0
    assert follower.handle(envelope(upstream, 1)) == 0

    assert review_app.recorder.max_notification_id() == stored
    assert follower.position == k


def test_a_gap_is_filled_from_the_upstream_log_in_order(follower, upstream, review_app):
    applied = follower.handle(envelope(upstream, last_id(upstream)))

    assert applied == last_id(upstream)
    assert follower.position == last_id(upstream)
    assert follower.reads[0] == 0
    assert len(reviews(review_app)) == 2


def test_a_message_for_an_event_the_upstream_log_does_not_hold_is_dropped(follower, upstream, review_app):
    ghost = dict(envelope(upstream, last_id(upstream)), id="applications:999")

    follower.handle(ghost)

    assert follower.position == last_id(upstream)  # everything real was applied, the ghost was not
    assert len(reviews(review_app)) == 2


def test_catch_up_applies_everything_after_the_position(follower, upstream, review_app):
    follower.handle(envelope(upstream, 1))

    assert follower.catch_up() == last_id(upstream) - 1
    assert follower.catch_up() == 0
    assert follower.position == last_id(upstream)


def test_a_failing_policy_records_neither_effects_nor_position(review_app, upstream):
    def broken(app, event):
        raise RuntimeError("policy bug")

    follower = Follower(review_app, "applications", {RECOMMENDED: broken},
                        lambda after, limit: read_public_log(upstream, after, limit), amqp_uri="unused")
    k = first_recommended(upstream)
    for n in range(1, k):
        follower.handle(envelope(upstream, n))

    with pytest.raises(RuntimeError, match="policy bug"):
        follower.handle(envelope(upstream, k))

    assert follower.position == k - 1
    assert reviews(review_app) == []


def test_events_that_change_nothing_move_the_position_without_a_transaction_until_it_is_recorded(
        follower, upstream, review_app):
    # given the events before the first recommendation, which open no review
    k = first_recommended(upstream)
    for n in range(1, k):
        follower.handle(envelope(upstream, n))

    # then the follower is past them, though no tracking record was written for them yet
    assert follower.position == k - 1
    assert review_app.position("applications") == 0

    # when the follower records its position (the catch-up loop does), the store has it too
    follower.record_position()
    assert review_app.position("applications") == k - 1

    # and an event with effects is recorded with its own position, past the skipped ones
    follower.handle(envelope(upstream, k))
    assert review_app.position("applications") == k and len(reviews(review_app)) == 1
