"""The fault suite's clients: drive applications through the whole lifecycle (draft, submit,
recommend, score, notice, notice closing on the file clock) and record what each was told.

Every command is sent until its answer is definite. Refused means not done: send it again. An
indeterminate attempt (cut off, unanswered, a 5xx) is settled by reading first, or by the 409 the
repeated command answers when the first one did happen; a 409 with no indeterminate attempt
before it is a bug and fails the test."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time, timedelta
from itertools import count

from faults.client import PATIENCE, Indeterminate, NotDone, Tally, read, send
from shared.samples import credit_code
from support import CST, application, scores

CHENGDU_DISTRICT, CHENGDU = "510104", "510100"  # Chengdu's recommendations are not limited by a quota


@dataclass
class History:
    """What the clients were told."""

    recommended: dict = field(default_factory=dict)  # application id -> n, acknowledged recommendations
    reviews: dict = field(default_factory=dict)  # application id -> review id, scored
    notices: list = field(default_factory=list)  # notice documents as published
    tally: Tally = field(default_factory=Tally)


class Driver:
    def __init__(self, stack, round_id: str, review_instances=("review",), workers: int = 8, batch: int = 10,
                 days_per_notice: int = 2, first_day: date = date(2026, 12, 1)):
        self.stack, self.round_id = stack, round_id
        self.review_instances = review_instances
        self.workers, self.batch, self.days_per_notice = workers, batch, days_per_notice
        self.today = first_day
        self.history = History()
        self.operator = stack.headers("operator")
        self.city = stack.headers("recommender", CHENGDU)
        self.expert = stack.headers("expert", "E001")
        self._turn = count()
        # listing an applicant's applications loads every application on the server (seconds at
        # 2,000, with the service's hub blocked meanwhile): one such look-up at a time, given time
        self._lookup = threading.Lock()

    # -- the whole run -----------------------------------------------------------------------
    def run(self, n_applications: int) -> History:
        """Every application through to a notice; then the clock passes every notice's last day."""
        pending: list[str] = []
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(self.one_application, n) for n in range(1, n_applications + 1)]
            for future in as_completed(futures):
                application_id, review_id = future.result()
                self.history.reviews[application_id] = review_id
                pending.append(review_id)
                if len(pending) == self.batch:
                    self.publish_notice(pending)
                    pending = []
        if pending:
            self.publish_notice(pending)
        last = max(date.fromisoformat(n["last_day"]) for n in self.history.notices)
        self.set_date(last + timedelta(days=1))
        return self.history

    def one_application(self, n: int) -> tuple[str, str]:
        application_id = self.draft(n)
        self.submit(n, application_id)
        self.recommend(n, application_id)
        review_id = self.await_review(application_id)
        self.score(review_id)
        return application_id, review_id

    # -- the applicant and the city ------------------------------------------------------------
    def draft(self, n: int) -> str:
        apps = self.stack.url("applications")
        headers = self.applicant(n)
        body = application(n, CHENGDU_DISTRICT, self.round_id)

        def found() -> str | None:  # an earlier, indeterminate attempt may have made the draft
            with self._lookup:
                mine = read(f"{apps}/applications", self.history.tally, headers, {"round_id": self.round_id},
                            timeout=60).json()
            return next((a["id"] for a in mine["applications"] if a["credit_code"] == body["credit_code"]), None)

        return self._command("draft", lambda: send("POST", f"{apps}/applications", self.history.tally, json=body,
                                                   headers=headers),
                             ok=201, done=lambda r: r.json()["id"], check=found)

    def submit(self, n: int, application_id: str) -> None:
        url = f"{self.stack.url('applications')}/applications/{application_id}"
        headers = self.applicant(n)
        self._command("submit", lambda: send("POST", f"{url}/submit", self.history.tally, json={}, headers=headers),
                      check=lambda: read(url, self.history.tally, headers).json()["status"] == "submitted" or None)

    def recommend(self, n: int, application_id: str) -> None:
        url = f"{self.stack.url('applications')}/applications/{application_id}"
        self._command("recommend", lambda: send("POST", f"{url}/recommend", self.history.tally, json={},
                                                headers=self.city),
                      check=lambda: read(url, self.history.tally, self.city).json()["status"] == "recommended" or None)
        self.history.recommended[application_id] = n  # acknowledged: a 200, or a read showing it done

    # -- review ----------------------------------------------------------------------------------
    def await_review(self, application_id: str) -> str:
        """The review opens by itself once review has applied the recommendation."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            response = read(f"{self.review()}/applications/{application_id}/review", self.history.tally,
                            self.operator)
            if response.status_code == 200:
                review = response.json()
                assert review["experts"] == ["E001"], review
                return review["id"]
            assert response.status_code == 404, response.text
            time.sleep(0.2)
        raise TimeoutError(f"no review opened for {application_id} within {PATIENCE} s")

    def score(self, review_id: str) -> None:
        self._command("score", lambda: send("POST", f"{self.review()}/reviews/{review_id}/scores", self.history.tally,
                                            json=scores(80), headers=self.expert),
                      check=lambda: read(f"{self.review()}/reviews/{review_id}", self.history.tally,
                                         self.operator).json()["status"] == "passed" or None)

    def publish_notice(self, review_ids: list[str]) -> None:
        def found() -> str | None:
            listed = {read(f"{self.review()}/reviews/{r}", self.history.tally, self.operator).json()["notice_id"]
                      for r in review_ids}
            assert len(listed) == 1, f"the reviews of one notice are on {listed}"
            return listed.pop()

        notice_id = self._command("notice", lambda: send("POST", f"{self.review()}/notices", self.history.tally,
                                                         json={"review_ids": review_ids}, headers=self.operator),
                                  ok=201, done=lambda r: r.json()["id"], check=found)
        self.history.notices.append(read(f"{self.review()}/notices/{notice_id}", self.history.tally).json())
        self.set_date(self.today + timedelta(days=self.days_per_notice))

    # -- helpers -----------------------------------------------------------------------------------
    def set_date(self, day: date) -> None:
        self.today = day
        self.stack.clock.set(datetime.combine(day, clock_time(9, 0), tzinfo=CST))

    def applicant(self, n: int) -> dict:
        return self.stack.headers("applicant", credit_code(CHENGDU_DISTRICT, n))

    def review(self) -> str:
        """Review commands go to each instance in turn."""
        return self.stack.url(self.review_instances[next(self._turn) % len(self.review_instances)])

    def _command(self, kind: str, attempt, check, ok: int = 200, done=lambda response: True):
        """Sends until definite. `check()` reads whether an earlier indeterminate attempt took effect
        (its result, or None); a 409 after an indeterminate attempt must be confirmed by it."""
        tally, uncertain = self.history.tally, False
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            if uncertain:
                result = check()
                if result is not None:
                    tally.settled_by_read += 1
                    tally.count(f"{kind} found done")
                    return result
            try:
                response = attempt()
            except NotDone:
                time.sleep(0.2)
                continue
            except Indeterminate:
                uncertain = True
                tally.count(f"{kind} indeterminate")
                time.sleep(0.2)
                continue
            if response.status_code == ok:
                return done(response)
            if response.status_code == 409 and uncertain and (result := check()) is not None:
                tally.settled_by_read += 1
                tally.count(f"{kind} found done by its 409")
                return result  # an earlier attempt did it
            raise AssertionError(f"{kind}: {response.status_code} {response.text[:300]}")
        raise TimeoutError(f"{kind}: no definite answer within {PATIENCE} s")
