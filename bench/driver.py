"""Drives whole lifecycles over HTTP against the four service processes, as the parties would:
each applicant drafts and submits, its city recommends, the review opens by itself, the assigned
expert scores, the province publishes a notice, the service clock passes the notice period, and
the registry certifies. Applicants are in Chengdu, which the program exempts from quotas, so any
number of them can be recommended in one round."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import requests

from shared.samples import PROGRAM, credit_code, sample_application
from shared.stack import SERVICE_NAMES, Stack, wait_for

REGION, CITY = "510104", "510100"  # 锦江区, 成都市
WRITES_PER_LIFECYCLE = 5  # draft, submit, recommend, score, publish the notice


class Refused(RuntimeError):
    """A call answered with an error: the bench stops rather than count a broken lifecycle."""


class Driver:
    def __init__(self, stack: Stack, clock, concurrency: int = 32, experts: int = 10):
        self.stack, self.clock, self.concurrency, self.experts = stack, clock, concurrency, experts
        self.apps, self.review, self.registry = (stack.url(s) for s in ("applications", "review", "registry"))
        self._tokens: dict[tuple, dict] = {}
        self._local = threading.local()
        self.next_unit = 1
        self.rounds = 0

    # -- plumbing
    def headers(self, role: str, scope: str | None = None) -> dict:
        key = (role, scope)
        if key not in self._tokens:
            self._tokens[key] = self.stack.headers(role, scope)
        return self._tokens[key]

    def session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def call(self, method: str, url: str, expect=(200, 201), **kwargs):
        response = self.session().request(method, url, timeout=60, **kwargs)
        if response.status_code not in expect:
            raise Refused(f"{method} {url} -> {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else None

    def found(self, url: str, headers: dict):
        response = self.session().get(url, headers=headers, timeout=60)
        return response.json() if response.status_code == 200 else None

    # -- setting the stage
    def setup(self) -> None:
        operator = self.headers("operator")
        for n in range(1, self.experts + 1):
            self.call("POST", f"{self.review}/experts", headers=operator, json={
                "expert_id": f"E{n:03d}", "name": f"专家{n}", "organisation": "四川省电子商务研究院",
                "region_code": "510100"})

    def open_round(self) -> str:
        self.rounds += 1
        deadline = self.clock.today() + timedelta(days=60)
        return self.call("POST", f"{self.apps}/rounds", headers=self.headers("operator"), json={
            "program_id": PROGRAM, "label": f"bench-{self.rounds}", "submission_deadline": deadline.isoformat()})["id"]

    # -- one lifecycle, up to its notice
    def to_notice(self, n: int, round_id: str) -> dict:
        body = sample_application(n, region_code=REGION, round_id=round_id)
        applicant = self.headers("applicant", credit_code(REGION, n))
        application_id = self.call("POST", f"{self.apps}/applications", json=body, headers=applicant)["id"]
        self.call("POST", f"{self.apps}/applications/{application_id}/submit", json={}, headers=applicant)
        self.call("POST", f"{self.apps}/applications/{application_id}/recommend", json={},
                  headers=self.headers("recommender", CITY))
        review = self.await_review(application_id)
        items = {item["id"]: 85 for item in review["scoring"]}
        for expert_id in review["experts"]:
            self.call("POST", f"{self.review}/reviews/{review['id']}/scores", json={"scores": items},
                      headers=self.headers("expert", expert_id))
        notice = self.call("POST", f"{self.review}/notices", json={"review_ids": [review["id"]]},
                           headers=self.headers("operator"))
        return {"application_id": application_id, "notice_id": notice["id"], "last_day": notice["last_day"]}

    def await_review(self, application_id: str, timeout: float = 120.0) -> dict:
        url, operator = f"{self.review}/applications/{application_id}/review", self.headers("operator")
        deadline, pause = time.monotonic() + timeout, 0.002
        while time.monotonic() < deadline:
            review = self.found(url, operator)
            if review is not None and review["experts"]:
                return review
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        raise TimeoutError(f"no review of {application_id} after {timeout} s")

    # -- a batch of concurrent lifecycles, to certification
    def batch(self, count: int) -> dict:
        """`count` lifecycles in flight at once (`concurrency` HTTP clients); returns how long the
        batch took from the first draft to the last certification and everything settled."""
        round_id = self.open_round()
        numbers = range(self.next_unit, self.next_unit + count)
        self.next_unit += count
        before = self.counters()
        started = time.monotonic()
        with ThreadPoolExecutor(self.concurrency) as pool:
            notices = list(pool.map(lambda n: self.to_notice(n, round_id), numbers))
        to_notice = time.monotonic() - started
        last_day = max(date.fromisoformat(n["last_day"]) for n in notices)
        self.clock.set(datetime.combine(last_day + timedelta(days=1), datetime.min.time().replace(hour=9),
                                        self.clock.now().tzinfo))
        wait_for("the batch certified", lambda: self.certified(round_id) >= count, timeout=600)
        certified = time.monotonic() - started
        wait_for("every relay and follower settled", self.settled, timeout=600)
        elapsed = time.monotonic() - started
        after = self.counters()
        return {"lifecycles": count, "seconds": elapsed, "to_notice_seconds": to_notice,
                "to_certified_seconds": certified, "per_lifecycle": per_lifecycle(before, after, count)}

    def certified(self, round_id: str) -> int:
        return self.call("GET", f"{self.registry}/units", params={"round": round_id, "limit": 1})["total"]

    # -- what the services did
    def health(self) -> dict:
        return {s: self.call("GET", f"{self.stack.url(s)}/health", expect=(200, 503)) for s in SERVICE_NAMES}

    def counters(self) -> dict:
        return {s: {"events": h["last_notification_id"], "follows": h["follows"]} for s, h in self.health().items()}

    def settled(self) -> bool:
        states = self.health()
        for state in states.values():
            if state["relay_position"] != state["last_notification_id"]:
                return False
            for upstream, position in state["follows"].items():
                if position != states[upstream]["last_notification_id"]:
                    return False
        return True


def per_lifecycle(before: dict, after: dict, count: int) -> dict:
    """Events stored, messages published and consumed, and SQLite transactions, per lifecycle.

    Every stored event is published once; every upstream event a follower applies was consumed
    once and committed in one transaction (its tracking record, with effects or without); the
    transactions of commands are the driver's writes plus the review timer's close of a notice."""
    events = sum(after[s]["events"] - before[s]["events"] for s in after)
    consumed = sum(after[s]["follows"][u] - before[s]["follows"].get(u, 0) for s in after for u in after[s]["follows"])
    return {"events": events / count, "published": events / count, "consumed": consumed / count,
            "transactions": WRITES_PER_LIFECYCLE + 1 + consumed / count}
