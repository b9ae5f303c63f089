"""Scenarios measured in-process on SQLite stores of generated history (bench/history.py):
command latency as history grows, the registry's read model rebuilt, an audit replay of one unit.
Each times the system's own code and, in the same run, the bare eventsourcing call beneath it."""
from __future__ import annotations

import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from eventsourcing.persistence import Tracking

from bench import history
from services.applications.app import ApplicationsApp
from services.registry.app import RegistryApp
from services.registry.readmodel import RegistryView
from services.review.app import ReviewApp
from services.review.policies import FROM_APPLICATIONS
from shared.audit.gather import gather
from shared.audit.replay import replay
from shared.messaging.follower import Follower
from shared.messaging.log import read_public_log
from shared.samples import sample_application

CST = timezone(timedelta(hours=8))


def command_latencies(sizes: tuple[int, ...], lifecycles: int) -> dict[int, list[float]]:
    """Seconds per lifecycle of commands (draft, submit, recommend; the review opened by the
    follower; score, notice, the notice timer) with `size` events already in each store, for each
    of `sizes`. The stores are filled first; then their lifecycles alternate (one on each in turn,
    the order swapped every round), so that every size is timed under the same machine load."""
    with tempfile.TemporaryDirectory(prefix="shifan-growth-") as folder:
        runs = {size: _Lifecycles(Path(folder) / str(size), size) for size in sizes}
        timings: dict[int, list[float]] = {size: [] for size in sizes}
        for n in range(1, lifecycles + 1):
            for size in (sizes if n % 2 else tuple(reversed(sizes))):
                timings[size].append(runs[size].one(n))
        return timings


class _Lifecycles:
    """An applications and a review store holding `stored` events each, and one lifecycle's commands on them."""

    def __init__(self, var: Path, stored: int):
        self.apps, self.review = history.open_app(ApplicationsApp, var), history.open_app(ReviewApp, var)
        history.fill_applications_and_review(self.apps, self.review, stored)
        self.review.recorder.insert_tracking(Tracking("applications", self.apps.recorder.max_notification_id()))
        apps = self.apps
        self.follower = Follower(self.review, "applications", FROM_APPLICATIONS,
                                 lambda after, limit: read_public_log(apps, after, limit), amqp_uri="")
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=CST)
        self.round = self.apps.open_round("sichuan-ecommerce-demo", f"growth-{stored}", date(2026, 12, 31),
                                          "operator", self.now)

    def one(self, n: int) -> float:
        apps, review, now = self.apps, self.review, self.now
        body = sample_application(900_000 + n, region_code=history.REGION, round_id=self.round.id)
        body.pop("round_id")
        started = time.perf_counter()
        application = apps.draft(round_id=self.round.id, provincial_level=False, **body, by="applicant", at=now)
        apps.submit(application.id, by="applicant", at=now)
        apps.recommend(application.id, by=history.CITY, at=now)
        self.follower.catch_up()
        opened = review.review_of_application(application.id)
        review.score(opened.id, opened.experts[0], {i["id"]: 85 for i in opened.scoring}, at=now)
        review.publish_notice([opened.id], now.date())
        review.close_due_notices(now.date())  # what the timer does every second; nothing is due yet
        return time.perf_counter() - started


def rebuild(events: int, runs: int) -> dict:
    """The registry's read model rebuilt from `events` events, and the bare read of the same log."""
    with tempfile.TemporaryDirectory(prefix="shifan-rebuild-") as folder:
        var = Path(folder)
        registry = history.open_app(RegistryApp, var)
        history.fill_registry(registry, events)
        total = registry.recorder.max_notification_id()
        rebuilt, bare = [], []
        for _ in range(runs):
            view = RegistryView(var / "read-model.db")
            started = time.perf_counter()
            count = view.rebuild(registry)
            rebuilt.append(count / (time.perf_counter() - started))
            view.close()
            started = time.perf_counter()
            count, position = 0, 0
            while page := registry.recorder.select_notifications(start=position, limit=500, inclusive_of_start=False):
                count += len(page)
                position = page[-1].id
            bare.append(count / (time.perf_counter() - started))
        return {"events": total, "rebuild_per_second": rebuilt, "bare_per_second": bare}


def replays(unit_events: int, other_events: int, runs: int) -> dict:
    """An audit replay of one unit with `unit_events` events (among `other_events` of other
    units), its state at an old date, and the bare repository reads beneath them."""
    with tempfile.TemporaryDirectory(prefix="shifan-replay-") as folder:
        var = Path(folder)
        registry = history.open_app(RegistryApp, var)
        history.fill_registry(registry, other_events)
        unit_id = history.unit_with_history(registry, unit_events)
        sources = {"registry": lambda refs: gather(registry, refs)}
        old = date(2027, 1, 1) + timedelta(days=unit_events // 10)
        old_version = unit_events // 10
        out = {"unit_events": unit_events, "store_events": registry.recorder.max_notification_id(),
               "replay": [], "replay_at": [], "bare_get": [], "bare_get_version": []}
        for _ in range(runs):
            out["replay"].append(_timed(lambda: replay(str(unit_id), sources)))
            out["replay_at"].append(_timed(lambda: replay(str(unit_id), sources, at=old)))
            out["bare_get"].append(_timed(lambda: registry.repository.get(unit_id)))
            out["bare_get_version"].append(_timed(lambda: registry.repository.get(unit_id, version=old_version)))
        shown = replay(str(unit_id), sources, at=old)
        out["events_shown_at_old_date"] = len(shown["events"])
        return out


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started
