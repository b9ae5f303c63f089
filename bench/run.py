"""`make bench`: every scenario, each beside its raw baseline measured in the same run; prints
the table and writes bench/results.json. `--quick` runs every scenario at a small scale.

    scripts/with-broker.sh .venv/bin/python bench/run.py [--quick] [--out FILE]
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import inprocess, onstack, raw  # noqa: E402
from bench.driver import Driver  # noqa: E402
from bench.stats import Results, at_least, at_most, median, percentile, ratio  # noqa: E402
from shared.bus import drop_follower_queues  # noqa: E402
from shared.clock import FileClock  # noqa: E402
from shared.stack import SERVICE_NAMES, Stack  # noqa: E402

CST = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Scale:
    runs: int               # runs of each figure; the table shows their median
    batch: int              # concurrent lifecycles per lifecycle run
    concurrency: int        # HTTP clients driving them
    latency_samples: int
    history: int            # events stored for rebuild and growth
    small_history: int
    unit_events: int        # events of the replayed unit
    feed_events: int        # events an agency catches up on
    growth_lifecycles: int


FULL = Scale(runs=3, batch=500, concurrency=32, latency_samples=100, history=200_000, small_history=1_000,
             unit_events=10_000, feed_events=50_000, growth_lifecycles=30)
QUICK = Scale(runs=2, batch=60, concurrency=16, latency_samples=20, history=10_000, small_history=1_000,
              unit_events=1_000, feed_events=5_000, growth_lifecycles=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_stack(var: Path, amqp_uri: str) -> tuple[Stack, FileClock]:
    drop_follower_queues(amqp_uri)
    clock = FileClock(var / "clock")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=CST))
    stack = Stack(var_dir=var, amqp_uri=amqp_uri, clock_file=clock.path,
                  ports={name: free_port() for name in SERVICE_NAMES})
    return stack, clock


def stack_scenarios(results: Results, scale: Scale, amqp_uri: str, folder: Path) -> None:
    stack, clock = new_stack(folder / "stack", amqp_uri)
    stack.start()
    try:
        driver = Driver(stack, clock, concurrency=scale.concurrency)
        driver.setup()
        rates, baselines, batches, memory = [], [], [], []
        for _ in range(scale.runs):
            batch = driver.batch(scale.batch)
            batches.append(batch)
            rates.append(scale.batch / batch["seconds"])
            memory.append({"lifecycles": driver.next_unit - 1, **onstack.memory(stack)})
            baselines.append(raw.lifecycles(amqp_uri, folder, min(scale.batch, 100), batch["per_lifecycle"]))
            print(f"  lifecycle run: {rates[-1]:.2f}/s (raw loop {baselines[-1]:.2f}/s)", flush=True)
        results.add("lifecycle", f"lifecycles/s, {scale.batch} concurrent", rates, "/s")
        results.add("lifecycle", "raw sqlite3 + kombu loop, same work", baselines, "/s")
        results.add("lifecycle", "ratio to raw", [r / b for r, b in zip(rates, baselines)], "×", at_least(0.5))
        results.details["lifecycle"] = {"batches": batches, "concurrency": scale.concurrency}

        idle = onstack.latencies(driver, scale.latency_samples)
        loaded = onstack.latencies_under_load(driver, scale.latency_samples, median(rates) / 2)
        trips = raw.round_trips(amqp_uri, max(scale.latency_samples, 100))
        ms = 1000
        results.add("latency", "idle p50", [percentile(idle, 50) * ms], "ms")
        results.add("latency", "idle p99", [percentile(idle, 99) * ms], "ms", at_most(50))
        results.add("latency", f"at half the lifecycle rate ({median(rates) / 2:.1f}/s) p50",
                    [percentile(loaded, 50) * ms], "ms")
        results.add("latency", "at half the lifecycle rate p99", [percentile(loaded, 99) * ms], "ms")
        results.add("latency", "raw publish→consume p50", [percentile(trips, 50) * ms], "ms")
        results.add("latency", "raw publish→consume p99", [percentile(trips, 99) * ms], "ms")
        results.details["latency"] = {"idle_ms": [round(x * ms, 2) for x in idle],
                                      "loaded_ms": [round(x * ms, 2) for x in loaded]}

        memory.append({"lifecycles": driver.next_unit - 1, **onstack.memory(stack)})
        results.details["memory"] = memory
        peak = max(m[s]["peak_mb"] for m in memory for s in SERVICE_NAMES)
        first, last = memory[0], memory[-1]
        growth = max(last[s]["rss_mb"] / first[s]["rss_mb"] for s in SERVICE_NAMES)
        results.add("memory", f"largest peak RSS of a service after {last['lifecycles']:,} lifecycles", [peak], "MB",
                    at_most(150))
        results.add("memory", f"largest RSS growth, {first['lifecycles']:,} → {last['lifecycles']:,} lifecycles",
                    [growth], "×", at_most(1.2))
    finally:
        stack.stop()


def in_process_scenarios(results: Results, scale: Scale) -> None:
    timings = inprocess.command_latencies((scale.small_history, scale.history), scale.growth_lifecycles)
    small = [median(timings[scale.small_history]) * 1000]
    large = [median(timings[scale.history]) * 1000]
    results.add("growth", f"one lifecycle's commands, {scale.small_history:,} events stored", small, "ms")
    results.add("growth", f"one lifecycle's commands, {scale.history:,} events stored", large, "ms")
    results.add("growth", "ratio", [large[0] / small[0]], "×", at_most(1.2))

    rebuilt = inprocess.rebuild(scale.history, scale.runs)
    results.add("rebuild", f"registry read model from {rebuilt['events']:,} events", rebuilt["rebuild_per_second"],
                "events/s", at_least(20_000))
    results.add("rebuild", "raw select_notifications read", rebuilt["bare_per_second"], "events/s")
    results.add("rebuild", "ratio to raw", [ratio(a, b) for a, b in zip(rebuilt["rebuild_per_second"],
                                                                         rebuilt["bare_per_second"])], "×")

    replayed = inprocess.replays(scale.unit_events, scale.history // 10, scale.runs)
    results.add("replay", f"audit replay of a unit with {scale.unit_events:,} events",
                [x * 1000 for x in replayed["replay"]], "ms", at_most(1000))
    results.add("replay", "raw repository get of that unit", [x * 1000 for x in replayed["bare_get"]], "ms")
    results.add("replay", "audit replay at an old date", [x * 1000 for x in replayed["replay_at"]], "ms", at_most(50))
    results.add("replay", "raw repository get at an old version",
                [x * 1000 for x in replayed["bare_get_version"]], "ms")
    results.details["replay"] = {k: v for k, v in replayed.items() if not isinstance(v, list)}


def feed_scenario(results: Results, scale: Scale, amqp_uri: str, folder: Path) -> None:
    var = folder / "feed"
    store = onstack.prepare_feed(var, scale.feed_events)
    stack, _ = new_stack(var, amqp_uri)
    stack.start("applications")
    try:
        time.sleep(2)  # the service builds its audit tree from the store at start
        count, seconds = onstack.catch_up(stack)  # the first reader: every envelope built and kept (ADR 30)
        first = [count / seconds]
        runs, bare = [], []
        for _ in range(scale.runs):
            count, seconds = onstack.catch_up(stack)
            runs.append(count / seconds)
            bare.append(raw.sqlite_rows(store))
        results.add("catch-up", f"first agency reads GET /events from zero ({count:,} events; envelopes built)",
                    first, "events/s")
        results.add("catch-up", f"an agency reads GET /events from zero ({count:,} events; envelopes kept)", runs,
                    "events/s", at_least(10_000))
        results.add("catch-up", "raw rows straight from SQLite", bare, "rows/s")
        results.add("catch-up", "ratio to raw", [a / b for a, b in zip(runs, bare)], "×")
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every scenario at a small scale (a smoke run)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--only", nargs="*", choices=("stack", "inprocess", "feed"), default=None)
    args = parser.parse_args()
    amqp_uri = os.environ.get("AMQP_URI")
    if not amqp_uri:
        sys.exit("AMQP_URI is not set: run it through scripts/with-broker.sh (make bench does)")
    scale = QUICK if args.quick else FULL
    results = Results(mode="quick" if args.quick else "full")
    print(f"bench ({results.mode}); load average at start {results.load_at_start[0]:.2f}", flush=True)
    parts = args.only or ["stack", "inprocess", "feed"]
    with tempfile.TemporaryDirectory(prefix="shifan-bench-") as folder:
        for part in parts:
            started = time.monotonic()
            print(f"{part} ...", flush=True)
            if part == "stack":
                stack_scenarios(results, scale, amqp_uri, Path(folder))
            elif part == "inprocess":
                in_process_scenarios(results, scale)
            else:
                feed_scenario(results, scale, amqp_uri, Path(folder))
            print(f"{part}: {time.monotonic() - started:.0f} s", flush=True)
    results.write(Path(args.out))
    print(results.table())
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
