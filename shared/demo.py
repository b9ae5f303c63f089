"""`make demo`: starts the four services on fresh SQLite files, plays a small Sichuan round from
applications to the registry over HTTP (one refusal by quota included), prints what happened,
and stops what it started."""
from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from shared.bus import drop_follower_queues
from shared.clock import FileClock
from shared.demo_programs import json_if_found, ok, rereview_of
from shared.samples import PROGRAM, credit_code, sample_application
from shared.status import collect, service_urls, table as status_table
from shared.stack import ROOT, Stack, wait_for

CST = timezone(timedelta(hours=8))

# (unit number, region, kind, name): a small Sichuan round across four cities
UNITS = [
    (1, "510703", "b2b", "绵阳云链电子商务有限公司"),
    (2, "510703", "traditional", "绵阳长虹优选商贸有限公司"),
    (3, "510703", "b2b", "绵阳科创电子商务有限公司"),   # Mianyang's third enterprise: over its quota of 2
    (4, "510104", "b2b", "成都蜀锦电子商务有限公司"),
    (5, "510107", "b2b", "成都天府云商电子商务有限公司"),
    (6, "510108", "b2b", "成都锦城数字贸易有限公司"),    # Chengdu's third: exempt from quotas
    (7, "511102", "base", "乐山嘉州电子商务产业园"),
]
CITY_NAMES = {"510700": "绵阳市商务局", "510100": "成都市商务局", "511100": "乐山市商务局"}


def play(stack: Stack, clock: FileClock, say=print) -> dict:
    """A small Sichuan round over HTTP, every party with its own token; returns the outcome."""
    apps, review, registry, notify = (stack.url(s) for s in ("applications", "review", "registry", "notify"))
    operator = stack.headers("operator")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=CST))
    say(f"clock: {clock.now().astimezone(CST):%Y-%m-%d %H:%M} (Asia/Shanghai)")

    for n in range(1, 4):
        ok(requests.post(f"{review}/experts", headers=operator, json={
            "expert_id": f"E{n:03d}", "name": f"专家{n}", "organisation": "四川省电子商务研究院", "region_code": "510100"}))
    ok(requests.post(f"{review}/experts", headers=operator, json={
        "expert_id": "E004", "name": "专家4", "organisation": "绵阳云链电子商务有限公司",
        "organisation_credit_code": credit_code("510703", 1), "region_code": "510700"}))
    say("0. the province's expert pool: E001-E003, and E004 who works for one of the applicants")

    round_ = ok(requests.post(f"{apps}/rounds", headers=operator, json={
        "program_id": PROGRAM, "label": "2026-1", "submission_deadline": "2026-12-31"}))
    say(f"1. 四川省商务厅 opened round {round_['label']} of {PROGRAM} (program version {round_['program_version']}),"
        f" submissions until {round_['submission_deadline']}")

    ids = {}
    for n, region, kind, name in UNITS:
        body = sample_application(n, region_code=region, kind=kind, round_id=round_["id"], name=name)
        applicant = stack.headers("applicant", body["credit_code"])
        ids[n] = ok(requests.post(f"{apps}/applications", json=body, headers=applicant))["id"]
        submitted = ok(requests.post(f"{apps}/applications/{ids[n]}/submit", json={}, headers=applicant))
        failed = [c["id"] for c in submitted["eligibility"]["criteria"] if not c["passed"]]
        say(f"2. {name} ({region}) submitted: {'eligible' if not failed else 'not eligible: ' + ', '.join(failed)}"
            f" under {len(submitted['eligibility']['criteria'])} criteria")

    leshan = stack.headers("recommender", "511100")
    ok(requests.post(f"{apps}/applications/{ids[7]}/return", headers=leshan,
                      json={"reasons": ["请补充2023-2025年入驻企业名录"]}))
    applicant7 = stack.headers("applicant", credit_code("511102", 7))
    ok(requests.post(f"{apps}/applications/{ids[7]}/submit", json={}, headers=applicant7))
    say("3. 乐山市商务局 returned 乐山嘉州电子商务产业园 for correction; it resubmitted")

    recommended = []
    for n, region, kind, name in UNITS:
        city = region[:4] + "00"
        response = requests.post(f"{apps}/applications/{ids[n]}/recommend", json={},
                                 headers=stack.headers("recommender", city))
        if response.status_code == 409:
            say(f"4. {CITY_NAMES[city]} could not recommend {name}: {response.json()['message']}")
        else:
            ok(response)
            recommended.append(n)
            say(f"4. {CITY_NAMES[city]} recommended {name}")

    reviews = {}
    for n in recommended:
        review_ = wait_for("a review to open", lambda: json_if_found(
            requests.get(f"{review}/applications/{ids[n]}/review", headers=operator)))
        expert_id = review_["experts"][0]
        items = {item["id"]: 78 + n for item in review_["scoring"]}
        reviews[n] = ok(requests.post(f"{review}/reviews/{review_['id']}/scores", json={"scores": items},
                                       headers=stack.headers("expert", expert_id)))
    say(f"5. {len(reviews)} reviews opened by themselves with their eligibility reports and an expert each from"
        f" the pool (never one from the unit's own organisation); all passed"
        f" (weighted means {', '.join(r['mean_score'] for r in reviews.values())})")

    notice = ok(requests.post(f"{review}/notices", json={"review_ids": [r["id"] for r in reviews.values()]},
                               headers=operator))
    say(f"6. notice published: {len(notice['entries'])} units, {notice['first_day']} .. {notice['last_day']}"
        f" ({'estimated' if notice['end_estimated'] else 'official calendar'})")

    contested = ids[6]
    objection = ok(requests.post(f"{review}/notices/{notice['id']}/objections", json={
        "application_id": contested, "name": "赵六", "contact": "13700000000",
        "reason": "该公司2025年因虚假宣传受到市场监管部门行政处罚"}))
    ok(requests.post(f"{review}/notices/{notice['id']}/objections/{objection['objection_id']}/resolve",
                      headers=operator, json={"decision": "upheld", "reason": "经核实，存在近2年内违法违规记录"}))
    say(f"7. a member of the public objected to {UNITS[5][3]}; the province upheld it: the unit leaves the list")

    after = datetime.fromisoformat(notice["last_day"]).replace(hour=9, tzinfo=CST) + timedelta(days=1)
    clock.set(after)
    closed = wait_for("the notice to close", lambda: (n := ok(requests.get(f"{review}/notices/{notice['id']}")))["status"] == "closed" and n)
    say(f"8. clock moved to {after:%Y-%m-%d}: the notice closed on {closed['closed_on']};"
        f" {len(closed['approved'])} units approved")

    units = wait_for("the units in the registry", lambda: (u := ok(requests.get(f"{registry}/units"))["units"])
                     and len(u) == len(closed["approved"]) and u)
    say(f"9. the registry certified {len(units)} units:")
    for unit in units:
        say(f"     {unit['certificate_no']}  {unit['unit_name']:<16}  {unit['title']}  (re-review due {unit['rereview_due']})")

    progress = ok(requests.get(f"{apps}/programs/{PROGRAM}/progress"))["unit_types"]
    say("10. progress against the program's targets: " + "; ".join(
        f"{t}: {c['by_status'].get('recommended', 0)} recommended of {c['target']}" for t, c in progress.items()))

    first = ids[recommended[0]]
    unit = next(u for u in units if u["application_id"] == first)
    deliveries = wait_for("the certification notifications", lambda: (d := ok(requests.get(
        f"{notify}/deliveries", params={"application_id": first}, headers=operator))["deliveries"])
        and any(x["event_type"].endswith("unit_certified.v1") for x in d) and d)
    return {"application_id": first, "review": reviews[recommended[0]], "notice": closed, "unit": unit,
            "units": units, "deliveries": deliveries}


def play_rereview(stack: Stack, clock: FileClock, outcome: dict, say=print) -> dict:
    """Two years on: reports, the registry's re-review timer, experts, confirmation or revocation,
    and the certificate checked before and after."""
    from services.registry.cli import certificate_verify

    registry, review = stack.url("registry"), stack.url("review")
    operator = stack.headers("operator")
    first = outcome["unit"]
    folder = stack.var_dir / "certificates"
    folder.mkdir(parents=True, exist_ok=True)
    certificate_file = folder / f"{first['certificate_no']}.json"
    certificate_file.write_bytes(requests.get(f"{registry}/units/{first['id']}/certificate").content)
    key_file = folder / "registry-key.json"
    key_file.write_text(requests.get(f"{registry}/certificate-key").text, encoding="utf-8")
    say(f"\n11. certificate {first['certificate_no']} saved to {certificate_file}; checked offline:")
    certificate_verify(str(certificate_file), str(key_file), out=_Indented(say))
    status = ok(requests.get(f"{registry}/verify/{first['certificate_no']}"))
    say(f"    online: {first['certificate_no']} is {status['status']}")

    clock.set(datetime(2028, 3, 31, 9, 0, tzinfo=CST))
    for unit in outcome["units"]:
        sample = sample_application(1, region_code=unit["region_code"],
                                    kind="base" if unit["unit_type"] == "base" else "b2b")
        figures = sample["figures"]
        if unit["id"] == first["id"]:  # its business shrank below the 市州 thresholds
            figures = {**figures, "service_revenue": 1_200_000, "transaction_volume": 80_000_000}
        if unit["unit_type"] == "enterprise" and unit["unit_name"].startswith("绵阳长虹"):
            sample = sample_application(2, region_code=unit["region_code"], kind="traditional")
            figures = sample["figures"]
        ok(requests.post(f"{registry}/units/{unit['id']}/reports", json={
            "year": 2027, "figures": figures, "declarations": sample["declarations"]},
            headers=stack.headers("applicant", unit["credit_code"])))
    say(f"12. 2028-03-31: the {len(outcome['units'])} units filed their 2027 statistical reports"
        f" ({first['unit_name']}'s service revenue fell to 120万 and its volume to 8000万)")

    clock.set(datetime(2028, 12, 15, 9, 0, tzinfo=CST))
    say("13. clock moved to 2028-12-15: two years on, the registry's timer asks for each unit's re-review")
    rereviews = wait_for("the re-reviews to open", lambda: (r := [
        x for x in (rereview_of(review, operator, u)
                    for u in outcome["units"]) if x]) and len(r) == len(outcome["units"]) and r, timeout=60)
    for rereview in rereviews:
        items = {item["id"]: 80 for item in rereview["scoring"]}
        ok(requests.post(f"{review}/reviews/{rereview['id']}/scores", json={"scores": items},
                          headers=stack.headers("expert", rereview["experts"][0])))
    say(f"14. {len(rereviews)} re-reviews opened with each unit's report judged by the same criteria;"
        " the experts scored them")

    def concluded():
        states = [ok(requests.get(f"{registry}/units/{u['id']}")) for u in outcome["units"]]
        return all(s["status"] in ("confirmed", "revoked", "given_up") for s in states) and states

    states = wait_for("the registry to act on the conclusions", concluded, timeout=60)
    for state in states:
        say(f"     {state['certificate_no']}  {state['unit_name']:<16}  {state['status']}"
            + (f" (next re-review {state['rereview_due']})" if state["status"] != "revoked" else ""))
    say(f"15. {first['certificate_no']} checked again:")
    certificate_verify(str(certificate_file), str(key_file), out=_Indented(say))
    status = ok(requests.get(f"{registry}/verify/{first['certificate_no']}"))
    say(f"    online: {first['certificate_no']} is {status['status']} since {status.get('ended_on')}")
    for step in status.get("timeline", []):
        say(f"      {step.get('on') or step.get('date')}  {step.get('status') or step.get('event')}")
    before = ok(requests.get(f"{registry}/units", params={"as_of": "2027-06-01", "q": first["unit_name"]}))["units"]
    now = ok(requests.get(f"{registry}/units", params={"q": first["unit_name"]}))["units"]
    say(f"16. who held the title on 2027-06-01? {', '.join(u['unit_name'] for u in before) or 'nobody'};"
        f" today: {', '.join(u['unit_name'] for u in now) or 'not ' + first['unit_name']}")
    return {"states": states, "verification": status}


def play_other_programs(stack: Stack, clock: FileClock, say=print) -> None:
    """The other programs of the source documents, on the same stack, after Sichuan's (the clock only moves on)."""
    from datetime import date

    from shared.demo_programs import play_fujian_rural, play_fujian_standards, play_zhejiang_grading

    say("\nOther programs on the same services (each a program file; stages from programs/*.yaml):")
    play_fujian_standards(stack, clock, date(2029, 1, 8), say=say)
    play_fujian_rural(stack, clock, date(2029, 1, 9), say=say)
    play_zhejiang_grading(stack, clock, date(2029, 3, 1), say=say)

    from shared.demo_cities import play_national_cities

    play_national_cities(stack, clock, date(2029, 3, 1), say=say)


def sign_tree_heads(stack: Stack, outcome: dict, say=print) -> None:
    """Each service signs the head of its log now, so the stores left in var/demo can be audited."""
    from shared.stack import SERVICE_NAMES

    operator = stack.headers("operator")
    wait_for("everything relayed and followed", lambda: all(
        (h := requests.get(stack.url(s) + "/health").json())["relay_position"] == h["last_notification_id"]
        for s in SERVICE_NAMES))
    sizes = [f"{s} {ok(requests.post(f'{stack.url(s)}/audit/tree-heads', json={}, headers=operator))['tree_size']}"
             for s in SERVICE_NAMES]
    say(f"\n17. every service signed the head of its event log ({', '.join(sizes)} events); audit them with"
        f"\n    .venv/bin/shifan audit verify --var {stack.var_dir} --unit {outcome['unit']['certificate_no']}"
        f"\n    .venv/bin/shifan audit replay {outcome['unit']['certificate_no']} --var {stack.var_dir}")


class _Indented:
    """A file-like `say`: what the certificate check prints, indented in the demo's output."""

    def __init__(self, say):
        self.say = say

    def write(self, text: str) -> None:
        for line in text.rstrip("\n").splitlines():
            self.say(f"    {line}")


def print_history(stack: Stack, outcome: dict, say=print) -> None:
    say(f"\nOne of them, {outcome['unit']['unit_name']}, in the public registry:")
    say(json.dumps(outcome["unit"], ensure_ascii=False, indent=2))
    say("\nIts history, service by service:")
    auditor = stack.headers("auditor")
    sources = [
        ("applications", f"{stack.url('applications')}/applications/{outcome['application_id']}/history"),
        ("review", f"{stack.url('review')}/reviews/{outcome['review']['id']}/history"),
        ("registry", f"{stack.url('registry')}/units/{outcome['unit']['id']}/history"),
    ]
    for service, url in sources:
        for item in ok(requests.get(url, headers=auditor)):
            say(f"  {item['at'][:19]}  {service:<12} {item['type']}")
    for d in sorted(outcome["deliveries"], key=lambda d: d["recorded_at"]):
        say(f"  {d['recorded_at'][:19]}  notify       -> {d['recipient']}: {d['text']}")


def _settle(stack: Stack, timeout: float = 30.0) -> None:
    """Waits until every relay and follower has caught up, so the status table shows a quiet stack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = collect(service_urls(str(stack.var_dir)))
        if all(isinstance(s, dict) and s["relay"]["lag"] == 0 and all(f["lag"] == 0 for f in s["followers"])
               for s in states.values()):
            return
        time.sleep(0.2)


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
        play_rereview(stack, clock, outcome)
        play_other_programs(stack, clock)
        sign_tree_heads(stack, outcome)
        _settle(stack)
        print(f"\nWhat operators see (`shifan status --var {var_dir}`; /metrics has the same as Prometheus text):")
        print(status_table(collect(service_urls(str(var_dir)))))
    finally:
        stack.stop()
    print(f"\ndemo finished in {time.monotonic() - started:.1f} s; services stopped")
    return 0
