"""The national e-commerce demonstration cities (seed 004) played over HTTP on a running stack:
three city governments' creation plans from proposal through the coordination group's opinions,
formal acceptance and the five ministries' joint approval (one sends a plan back), a batch, the
registry's certificates, and a year's assessment with one commendation. The demo prints it; the
end-to-end test asserts on what it returns."""
from __future__ import annotations

from datetime import date, timedelta

import requests

from shared.demo_programs import at, ok
from shared.programs import load_program
from shared.samples import government_code
from shared.stack import Stack, wait_for

CITIES_PROGRAM = "national-ecommerce-demo-cities"

CITIES = [  # (n, region, name)
    (1, "440300", "深圳市"),
    (2, "330100", "杭州市"),
    (3, "510100", "成都市"),
]
OPINIONS = {  # the coordination group's opinions, round by round
    "440300": ["请结合本地跨境电子商务优势明确创建目标，切忌求大求全", "规制和政策建设目标请量化，补充保障措施"],
    "330100": ["请补充电子认证和在线支付支撑体系的建设步骤"],
    "510100": ["请补充面向中小企业的财税扶持政策"],
}


def play_national_cities(stack: Stack, clock, start: date, say=print) -> dict:
    review, registry = stack.url("review"), stack.url("registry")
    coordinator = stack.headers("coordinator")
    program = load_program(CITIES_PROGRAM)
    cities = {region: {"n": n, "name": name, "code": government_code(region, n),
                       "headers": stack.headers("applicant", government_code(region, n))}
              for n, region, name in CITIES}
    day = start
    clock.set(at(day))
    plans = {}
    for region, city in cities.items():
        plans[region] = ok(requests.post(f"{review}/plans", headers=city["headers"], json={
            "program_id": CITIES_PROGRAM, "city_name": city["name"], "region_code": region,
            "text": f"{city['name']}创建国家电子商务示范城市工作方案（初稿）"}), 201)
    say(f"N1. {CITIES_PROGRAM}: {len(plans)} city governments proposed creation plans to the "
        f"{program.plan_revision['coordinator']}: " + ", ".join(c["name"] for c in cities.values()))

    for round_ in (1, 2):  # opinions and revisions, round by round
        for region, opinions in OPINIONS.items():
            if round_ <= len(opinions):
                day += timedelta(days=7)
                clock.set(at(day))
                ok(requests.post(f"{review}/plans/{plans[region]['id']}/opinions", headers=coordinator,
                                 json={"opinion": opinions[round_ - 1]}), 201)
                day += timedelta(days=14)
                clock.set(at(day))
                plans[region] = ok(requests.post(f"{review}/plans/{plans[region]['id']}/revisions",
                                                 headers=cities[region]["headers"], json={
                    "text": f"{cities[region]['name']}创建国家电子商务示范城市工作方案（修改稿{round_}）"}), 201)
    shenzhen = plans["440300"]
    say(f"N2. {cities['440300']['name']}: {len(shenzhen['rounds'])} rounds of revision opinions, every text kept: "
        + " -> ".join(f"v{v['version']} {v['on']}" for v in shenzhen["versions"]))

    day += timedelta(days=7)
    clock.set(at(day))
    for region in cities:
        plans[region] = ok(requests.post(f"{review}/plans/{plans[region]['id']}/acceptance", headers=coordinator,
                                         json={"opinion": "方案基本成熟，同意正式受理，报相关部门批复"}))
    approvers = list(program.approvers)
    say(f"N3. formally accepted (正式受理) on {day}: each plan goes to {len(approvers)} approvers: "
        + ", ".join(f"{key} {name}" for key, name in program.approvers.items()))

    day += timedelta(days=10)
    clock.set(at(day))
    hangzhou = plans["330100"]["id"]
    for approver in approvers[:2]:
        ok(requests.post(f"{review}/plans/{hangzhou}/approvals", headers=stack.headers("ministry", approver), json={}))
    sent_back = ok(requests.post(f"{review}/plans/{hangzhou}/send-back", headers=stack.headers("ministry", approvers[2]),
                                 json={"reasons": ["信息基础设施建设目标不明确，请补充"]}))
    lapsed = approvers[:2]
    day += timedelta(days=10)
    clock.set(at(day))
    ok(requests.post(f"{review}/plans/{hangzhou}/revisions", headers=cities["330100"]["headers"],
                     json={"text": "杭州市创建国家电子商务示范城市工作方案（修改稿2，补充信息基础设施目标）"}), 201)
    ok(requests.post(f"{review}/plans/{hangzhou}/acceptance", headers=coordinator,
                     json={"opinion": "已按工业和信息化部意见修改，同意再次受理"}))
    day += timedelta(days=10)
    clock.set(at(day))
    for region in cities:
        for approver in approvers:
            plans[region] = ok(requests.post(f"{review}/plans/{plans[region]['id']}/approvals",
                                             headers=stack.headers("ministry", approver), json={}))
    say(f"N4. {approvers[2]} sent {cities['330100']['name']}'s plan back (status {sent_back['status']}); the approvals of "
        f"{', '.join(lapsed)} lapsed; revised as v{plans['330100']['text_version']}, accepted again and approved by all "
        f"{len(approvers)}; statuses: " + ", ".join(f"{cities[r]['name']} {p['status']}" for r, p in plans.items()))

    day = date(day.year, 9, 15) if day < date(day.year, 9, 15) else day + timedelta(days=1)
    clock.set(at(day))
    batch = ok(requests.post(f"{review}/batches", headers=coordinator, json={
        "program_id": CITIES_PROGRAM, "label": "第一批", "plan_ids": [p["id"] for p in plans.values()]}), 201)
    units = wait_for("cities certified", lambda: (u := ok(requests.get(
        f"{registry}/units", params={"program_id": CITIES_PROGRAM}))["units"]) and len(u) == len(CITIES) and u)
    say(f"N5. {batch['label']} confirmed on {batch['approved_on']}; the registry certified: "
        + "; ".join(f"{u['certificate_no']} {u['unit_name']} {u['title']}" for u in units))

    year = day.year
    clock.set(at(date(year + 1, 1, 20)))
    by_region = {u["region_code"]: u for u in units}
    results = {"440300": "excellent", "330100": "passed", "510100": "excellent"}
    assessments = [ok(requests.post(f"{registry}/units/{by_region[r]['id']}/assessments", headers=coordinator,
                                    json={"year": year, "result": result}), 201) for r, result in results.items()]
    commended = ok(requests.post(f"{registry}/units/{by_region['440300']['id']}/commendations", headers=coordinator,
                                 json={"year": year, "citation": "创建工作扎实，跨境电子商务示范效应突出"}), 201)
    listed = ok(requests.get(f"{registry}/programs/{CITIES_PROGRAM}/commendations"))["commendations"]
    say(f"N6. annual assessment {year}: " + "; ".join(f"{a['unit_name']} {a['result']}" for a in assessments)
        + f"; commended (嘉奖): " + ", ".join(f"{c['unit_name']} ({c['citation']})" for c in listed))
    return {"cities": cities, "plans": plans, "sent_back": sent_back, "lapsed": lapsed, "approvers": approvers,
            "batch": batch, "units": units, "year": year, "assessments": assessments, "commended": commended}
