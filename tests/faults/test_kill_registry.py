"""Fault: kill -9 the registry while 200 applications flow through; each ends certified exactly once."""
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time as clock_time, timedelta

import pytest
import requests

from support import CST, Parties, get, open_round, post, register_experts, scores, settled, submit, wait_for

pytestmark = pytest.mark.faults

COUNT = 200


def test_registry_killed_three_times_mid_flow_certifies_all_200_exactly_once(stack):
    apps, review, registry = (stack.url(s) for s in ("applications", "review", "registry"))
    pool = ThreadPoolExecutor(max_workers=8)
    who = Parties(stack)

    register_experts(stack, "E001")  # every review is assigned to E001 by itself
    round_id = open_round(stack)
    chengdu = stack.headers("recommender", "510100")  # exempt from quotas, so all 200 can be recommended

    def submit_and_recommend(n):
        application_id = submit(stack, n, round_id, region="510104")
        post(f"{apps}/applications/{application_id}/recommend", {}, headers=chengdu)
        return application_id

    # given 200 applications flowing in, with the registry killed half-way through them
    application_ids = list(pool.map(submit_and_recommend, range(1, COUNT // 2 + 1)))
    stack.kill("registry")
    application_ids += pool.map(submit_and_recommend, range(COUNT // 2 + 1, COUNT + 1))
    stack.start("registry")

    # and every review passed and put on one of 20 notices, published on 20 successive days
    reviews = wait_for("all reviews open", lambda: _all_reviews(review, application_ids, pool, who.operator))

    list(pool.map(lambda r: post(f"{review}/reviews/{r['id']}/scores", scores(80), headers=who.expert), reviews))
    notices = []
    for k, batch in enumerate(range(0, COUNT, 10)):
        _set_date(stack, date(2026, 12, 1) + timedelta(days=k))
        notices.append(post(f"{review}/notices", {"review_ids": [r["id"] for r in reviews[batch:batch + 10]]},
                            expect=201, headers=who.operator))

    # when the first half of the notices close and the registry certifies their units
    cut = date.fromisoformat(notices[9]["last_day"])
    due_first = 10 * sum(date.fromisoformat(n["last_day"]) <= cut for n in notices)
    _set_date(stack, cut + timedelta(days=1))
    wait_for(f"{due_first} units certified", lambda: _certified_in_store(stack) == due_first)
    # and the registry is killed, the other notices close while it is down,
    stack.kill("registry")
    _set_date(stack, max(date.fromisoformat(n["last_day"]) for n in notices) + timedelta(days=1))
    wait_for("all notices closed", lambda: all(
        get(f"{review}/notices/{n['id']}")["status"] == "closed" for n in notices))
    # and it is killed once more in the middle of catching up
    stack.start("registry", wait=False)
    at_kill = _kill_as_soon_as_it_certifies(stack, more_than=due_first)
    print(f"registry killed at {due_first} and again at {at_kill} of {COUNT} units certified")
    stack.start("registry")

    # then every application ends up certified exactly once
    wait_for("everything settled", lambda: settled(stack), timeout=120)
    units = get(f"{registry}/units", limit=1000)["units"]
    assert len(units) == COUNT
    assert sorted(u["application_id"] for u in units) == sorted(application_ids)
    sequence = sorted(int(u["certificate_no"].rsplit("-", 1)[1]) for u in units)
    assert sequence == list(range(1, COUNT + 1))  # no number issued twice, none skipped
    histories = pool.map(lambda u: requests.get(f"{registry}/units/{u['id']}/history").json(), units)
    assert all([h["type"] for h in history] == ["shifan.registry.unit_certified.v1"] for history in histories)


def _set_date(stack, day: date) -> None:
    stack.clock.set(datetime.combine(day, clock_time(9, 0), tzinfo=CST))


def _certified_in_store(stack) -> int:
    """Units certified, read straight from the registry's SQLite file (it may be dead)."""
    try:
        with sqlite3.connect(stack.var_dir / "registry.sqlite", timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%:Unit.Certified'").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


def _kill_as_soon_as_it_certifies(stack, more_than: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        count = _certified_in_store(stack)
        if count > more_than:
            stack.kill("registry")
            return count
        time.sleep(0.001)
    raise AssertionError("the restarted registry certified nothing within 60 s")


def _all_reviews(review_url, application_ids, pool, headers):
    found = list(pool.map(lambda a: requests.get(f"{review_url}/applications/{a}/review", headers=headers),
                          application_ids))
    if all(r.status_code == 200 for r in found):
        return [r.json() for r in found]
    return None
