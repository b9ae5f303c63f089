"""Fault: applications go through the whole lifecycle while a nemesis kills each service instance,
restarts the broker, pauses an instance and crashes a relay between publishing and storing its
position; two review instances share a store. Nothing acknowledged is lost, nothing happens
twice, nothing appears unasked, and every read model converges on the registry's log.

SHIFAN_FAULT_APPLICATIONS sets how many (`make faults`: 2,000; `make test`: the default below);
SHIFAN_FAULT_CONVERGENCE_SECONDS, when set (`make faults`: 30), is the most the read models may take
to converge after the last fault. Otherwise the convergence time is only printed."""
import os
import subprocess
import sys
import time

import pytest
import requests

from faults.agency import Agency
from faults.checker import check
from faults.client import Tally, read
from faults.driver import Driver
from faults.nemesis import KINDS, Nemesis
from support import free_port, open_round, register_experts, settled

pytestmark = pytest.mark.faults

COUNT = int(os.environ.get("SHIFAN_FAULT_APPLICATIONS", "80"))
CONVERGENCE_LIMIT = float(os.environ.get("SHIFAN_FAULT_CONVERGENCE_SECONDS") or 0)
PATIENCE = 300.0  # seconds the read models may take before the test gives up on them


def test_nothing_acknowledged_is_lost_nothing_happens_twice_nothing_unasked_appears(stack, amqp_uri, fault_report):
    started = time.monotonic()
    stack.start_instance("review", "review-2", free_port())
    instances = {"applications": "applications", "review": "review", "review-2": "review",
                 "registry": "registry", "notify": "notify"}
    register_experts(stack, "E001")  # every review is assigned to E001 by itself
    round_id = open_round(stack, deadline="2028-12-31")
    agency = Agency(stack, amqp_uri)
    agency.start()
    nemesis = Nemesis(stack, instances, amqp_uri)
    driver = Driver(stack, round_id, review_instances=("review", "review-2"), batch=max(5, COUNT // 40))

    # given a nemesis at work from the first application to the last notice
    nemesis.start()
    history = driver.run(COUNT)
    last_fault = nemesis.stop(min_cycles=1)

    # when the faults stop, every read model converges on the logs
    converged_after = _await_convergence(stack, agency, len(history.recommended), since=last_fault)
    agency.stop()
    tally = Tally()
    operator = stack.headers("operator")
    verdict = check(
        acknowledged=set(history.recommended),
        registry_log=_feed(stack, "registry", operator, tally),
        review_log=_feed(stack, "review", operator, tally),
        units=_units(stack, tally),
        deliveries=read(f"{stack.url('notify')}/deliveries", tally, operator, timeout=120).json()["deliveries"],
        agency_ids=agency.ids)
    rebuild = subprocess.run([sys.executable, "-m", "shared.cli", "registry", "rebuild", "--check",
                              "--var", str(stack.var_dir)], env=stack.env("registry"), capture_output=True,
                             text=True, timeout=120)

    faults = nemesis.counts()
    fault_report(
        f"{COUNT} applications, {len(history.notices)} notices; faults: "
        + ", ".join(f"{kind} {n}" for kind, n in faults.items())
        + f" ({nemesis.cycles} cycles); clients: {history.tally.not_done} refused, "
        f"{history.tally.indeterminate} indeterminate, {history.tally.settled_by_read} settled by reading "
        f"{dict(sorted(history.tally.by_kind.items()))}; agency reconnected {agency.interruptions} times",
        f"{verdict.counts}; converged {converged_after:.1f} s after the last fault; "
        f"wall time {time.monotonic() - started:.0f} s",
        *[f"died without being killed: {name}" for name in nemesis.died_by_themselves],
        *[f"read model disagreement: {line}" for line in verdict.disagreements])
    print("\n".join(fault_report.lines))

    # then nothing acknowledged is lost, nothing happened twice, nothing appeared unasked
    assert (verdict.lost, verdict.duplicated, verdict.unexpected) == ([], [], []), verdict.counts
    assert verdict.disagreements == []
    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
    assert len(history.recommended) == COUNT
    # and every kind of fault happened, and no instance died but those the nemesis killed
    assert all(faults[kind] >= 1 for kind in KINDS), faults
    assert nemesis.died_by_themselves == []
    if CONVERGENCE_LIMIT:
        assert converged_after <= CONVERGENCE_LIMIT, f"converged {converged_after:.1f} s after the last fault"


def _await_convergence(stack, agency, expected_units: int, since: float) -> float:
    """Seconds from `since` until every follower and relay is at its log's end, the registry lists
    every unit, and the agency has every registry event."""
    deadline = time.monotonic() + PATIENCE
    last = None
    while time.monotonic() < deadline:
        try:
            last = _not_converged(stack, agency, expected_units)
        except (requests.RequestException, ValueError, KeyError) as exc:
            last = f"{type(exc).__name__}: {exc}"
        if last is None:
            return time.monotonic() - since
        time.sleep(0.2)
    raise TimeoutError(f"the read models did not converge within {PATIENCE} s: {last}")


def _not_converged(stack, agency, expected_units: int) -> str | None:
    if not settled(stack):
        return "relays or followers behind their logs"
    total = requests.get(f"{stack.url('registry')}/units", params={"limit": 1}, timeout=5).json()["total"]
    if total != expected_units:
        return f"the registry lists {total} of {expected_units} units"
    position = agency.subscriber.positions["registry"]
    rest = requests.get(f"{stack.url('registry')}/events", params={"after": position, "limit": 1},
                        headers=stack.headers("operator"), timeout=5).json()
    if rest["events"]:
        return f"the agency is at registry:{position}, behind the feed"
    return None


def _feed(stack, service: str, headers: dict, tally: Tally) -> list[dict]:
    events, after = [], 0
    while True:
        page = read(f"{stack.url(service)}/events", tally, headers, {"after": after, "limit": 500}).json()
        events += page["events"]
        after = page["next_after"]
        if not page["has_more"]:
            return events


def _units(stack, tally: Tally) -> list[dict]:
    units, offset = [], 0
    while True:
        page = read(f"{stack.url('registry')}/units", tally, None, {"limit": 1000, "offset": offset}).json()
        units += page["units"]
        offset += len(page["units"])
        if offset >= page["total"] or not page["units"]:
            return units
