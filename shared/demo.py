"""`make demo`: starts the four services on fresh SQLite files, plays one unit from application to
registry over HTTP, prints what happened, and stops what it started."""
from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from shared.bus import drop_follower_queues
from shared.clock import FileClock
from shared.stack import ROOT, Stack, wait_for

CST = timezone(timedelta(hours=8))

APPLICATION = {
    "credit_code": "91510700MA62XXXX4K",
    "unit_name": "绵阳云商电子商务有限公司",
    "unit_type": "enterprise",
    "region_code": "510703",
    "contact": {"name": "张三", "phone": "0816-1234567"},
    "figures": {"registered_capital": 5_000_000, "service_revenue": 3_500_000},
}


def _ok(response: requests.Response) -> dict:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.url} -> {response.status_code}: {response.text}")
    return response.json()


def _found(response: requests.Response):
    return response.json() if response.status_code == 200 else None


def play(stack: Stack, clock: FileClock, say=print) -> dict:
    """The thinnest real path, step by step, each party with its own token; returns the outcome."""
    apps, review, registry, notify = (stack.url(s) for s in ("applications", "review", "registry", "notify"))
    applicant = stack.headers("applicant", APPLICATION["credit_code"])
    city = stack.headers("recommender", "510700")
    operator = stack.headers("operator")
    expert = stack.headers("expert", "E001")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=CST))
    say(f"clock: {clock.now().astimezone(CST):%Y-%m-%d %H:%M} (Asia/Shanghai)")

    application_id = _ok(requests.post(f"{apps}/applications", json=APPLICATION, headers=applicant))["id"]
    say(f"1. {APPLICATION['unit_name']} submitted application {application_id}")
    _ok(requests.post(f"{apps}/applications/{application_id}/recommend", json={}, headers=city))
    say("2. 绵阳市商务局 (510700) recommended it")

    opened = wait_for("the review to open", lambda: _found(
        requests.get(f"{review}/applications/{application_id}/review", headers=operator)))
    say(f"3. review {opened['id']} opened by itself ({opened['experts_required']} expert, pass mark {opened['pass_mark']})")
    _ok(requests.post(f"{review}/reviews/{opened['id']}/experts", json={"expert_ids": ["E001"]}, headers=operator))
    scored = _ok(requests.post(f"{review}/reviews/{opened['id']}/scores", json={"score": 86}, headers=expert))
    say(f"4. the province assigned expert E001, who scored it; review {scored['status']} with mean {scored['mean_score']}")

    notice = _ok(requests.post(f"{review}/notices", json={"review_ids": [opened["id"]]}, headers=operator))
    say(f"5. notice {notice['id']} published: {notice['first_day']} .. {notice['last_day']}"
        f" ({'estimated' if notice['end_estimated'] else 'official calendar'})")

    after = datetime.fromisoformat(notice["last_day"]).replace(hour=9, tzinfo=CST) + timedelta(days=1)
    clock.set(after)
    say(f"   clock moved to {after:%Y-%m-%d}: the notice period is over")
    closed = wait_for("the notice to close", lambda: (n := _ok(requests.get(f"{review}/notices/{notice['id']}")))["status"] == "closed" and n)
    say(f"6. notice closed on {closed['closed_on']} with no objection")

    units = wait_for("the unit in the registry", lambda: _ok(requests.get(f"{registry}/units", params={"application_id": application_id}))["units"])
    unit = units[0]
    say(f"7. registry certified {unit['unit_name']}: {unit['title']}, certificate {unit['certificate_no']},"
        f" valid from {unit['valid_from']}, re-review due {unit['rereview_due']}")

    deliveries = wait_for("the certification notifications", lambda: (d := _ok(requests.get(
        f"{notify}/deliveries", params={"application_id": application_id}, headers=operator))["deliveries"])
        and any(x["event_type"].endswith("unit_certified.v1") for x in d) and d)
    say(f"8. notify recorded {len(deliveries)} deliveries for this unit")
    return {"application_id": application_id, "review": scored, "notice": closed, "unit": unit,
            "deliveries": deliveries}


def print_history(stack: Stack, outcome: dict, say=print) -> None:
    say("\nThe unit in the public registry:")
    say(json.dumps(outcome["unit"], ensure_ascii=False, indent=2))
    say("\nIts history, service by service:")
    auditor = stack.headers("auditor")
    sources = [
        ("applications", f"{stack.url('applications')}/applications/{outcome['application_id']}/history"),
        ("review", f"{stack.url('review')}/reviews/{outcome['review']['id']}/history"),
        ("registry", f"{stack.url('registry')}/units/{outcome['unit']['id']}/history"),
    ]
    for service, url in sources:
        for item in _ok(requests.get(url, headers=auditor)):
            say(f"  {item['at'][:19]}  {service:<12} {item['type']}")
    for d in sorted(outcome["deliveries"], key=lambda d: d["recorded_at"]):
        say(f"  {d['recorded_at'][:19]}  notify       -> {d['recipient']}: {d['text']}")


def main(amqp_uri: str, var_dir: Path | None = None) -> int:
    var_dir = var_dir or ROOT / "var" / "demo"
    shutil.rmtree(var_dir, ignore_errors=True)
    drop_follower_queues(amqp_uri)
    clock = FileClock(var_dir / "clock")
    stack = Stack(var_dir=var_dir, amqp_uri=amqp_uri, clock_file=clock.path,
                  extra_env={"SHIFAN_RELAY_POLL_SECONDS": "0.2", "SHIFAN_CATCH_UP_SECONDS": "1"})
    started = time.monotonic()
    try:
        print(f"starting the four services (stores in {var_dir}, encrypted; every call carries a token) ...")
        stack.start()
        outcome = play(stack, clock)
        print_history(stack, outcome)
    finally:
        stack.stop()
    print(f"\ndemo finished in {time.monotonic() - started:.1f} s; services stopped")
    return 0
