"""Scenarios measured against the running service processes over HTTP: event latency idle and
under load, the services' memory, and an agency catching up on the feed from zero."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from eventsourcing.persistence import Tracking

from bench import history
from bench.driver import CITY, Driver
from services.applications.app import ApplicationsApp
from services.review.app import ReviewApp
from shared.samples import credit_code, sample_application
from shared.stack import Stack


def latencies(driver: Driver, samples: int) -> list[float]:
    """Seconds from the answer to POST .../recommend until the review service shows the review it
    opened on the event: the applications relay, the broker, the review follower and its commit."""
    round_id = driver.open_round()
    found = []
    for _ in range(samples):
        n = driver.next_unit
        driver.next_unit += 1
        applicant = driver.headers("applicant", credit_code(history.REGION, n))
        body = sample_application(n, region_code=history.REGION, round_id=round_id)
        application_id = driver.call("POST", f"{driver.apps}/applications", json=body, headers=applicant)["id"]
        driver.call("POST", f"{driver.apps}/applications/{application_id}/submit", json={}, headers=applicant)
        driver.call("POST", f"{driver.apps}/applications/{application_id}/recommend", json={},
                    headers=driver.headers("recommender", CITY))
        answered = time.perf_counter()
        url, operator = f"{driver.review}/applications/{application_id}/review", driver.headers("operator")
        while driver.found(url, operator) is None:
            if time.perf_counter() - answered > 60:
                raise TimeoutError(f"no review of {application_id} after 60 s")
        found.append(time.perf_counter() - answered)
        time.sleep(0.02)  # one at a time, with the stack idle in between
    return found


def latencies_under_load(driver: Driver, samples: int, rate: float) -> list[float]:
    """The same latencies while other lifecycles (up to their notices) start at `rate` per second."""
    stopping = threading.Event()
    round_id = driver.open_round()
    errors = []

    def load():
        with ThreadPoolExecutor(driver.concurrency) as pool:
            started, k = time.perf_counter(), 0
            while not stopping.is_set():
                n = driver.next_unit
                driver.next_unit += 1
                pool.submit(_one, n)
                k += 1
                pause = started + k / rate - time.perf_counter()
                if pause > 0:
                    stopping.wait(pause)

    def _one(n):
        try:
            driver.to_notice(n, round_id)
        except (RuntimeError, TimeoutError) as exc:
            errors.append(exc)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    time.sleep(2)  # let the load reach its pace
    try:
        return latencies(driver, samples)
    finally:
        stopping.set()
        loader.join()
        if errors:
            raise errors[0]


def memory(stack: Stack) -> dict:
    """Each service's resident memory now and at its peak (MB), from /proc."""
    found = {}
    for service, process in stack.processes.items():
        status = dict(line.split(":", 1) for line in Path(f"/proc/{process.pid}/status").read_text().splitlines())
        found[service] = {"rss_mb": int(status["VmRSS"].split()[0]) / 1024,
                          "peak_mb": int(status["VmHWM"].split()[0]) / 1024}
    return found


def prepare_feed(var: Path, events: int) -> Path:
    """An applications store of about `events` events, with its relay's position at its end (all
    published), for the applications service to serve from."""
    apps = history.open_app(ApplicationsApp, var)
    history.fill_applications_and_review(apps, history.open_app(ReviewApp, var, name="unused-review"), events)
    apps.recorder.insert_tracking(Tracking("relay:applications.events", apps.recorder.max_notification_id()))
    return var / "applications.sqlite"


def catch_up(stack: Stack, page: int = 500) -> tuple[int, float]:
    """(events, seconds) for an agency reading GET /events from zero to the end."""
    import requests

    headers = stack.headers("agency", "market-regulation")
    session, after, count = requests.Session(), 0, 0
    started = time.perf_counter()
    while True:
        answer = session.get(f"{stack.url('applications')}/events", params={"after": after, "limit": page},
                             headers=headers, timeout=60).json()
        count += len(answer["events"])
        after = answer["next_after"]
        if not answer["has_more"]:
            return count, time.perf_counter() - started
