"""The other programs played over HTTP on a running stack: Fujian's standard-drafting grants, its
two-level rural demonstration counties with their subsidies, and Zhejiang's grading. The demo prints them; the
end-to-end tests assert on what they return."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import requests

from shared.programs import load_program
from shared.samples import credit_code
from shared.stack import Stack, wait_for

CST = timezone(timedelta(hours=8))
STANDARDS = "fujian-ecommerce-standards"
RURAL = "fujian-rural-ecommerce-counties"


def ok(response: requests.Response, expect: int | None = None) -> dict:
    if (expect is not None and response.status_code != expect) or response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.url} -> {response.status_code}: {response.text}")
    return response.json()


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CST)


def play_fujian_standards(stack: Stack, clock, start: date, say=print) -> dict:
    """Two standards tracked from project to publication; their drafters paid once each, within
    the caps of their levels and the year's budget."""
    registry, operator = stack.url("registry"), stack.headers("operator")
    clock.set(at(start))
    drafters = [{"credit_code": credit_code("350102", n), "unit_name": name}
                for n, name in ((1, "福州云商科技有限公司"), (2, "福建省标准化研究院"))]
    national = ok(requests.post(f"{registry}/standards", headers=operator, json={
        "program_id": STANDARDS, "code": "GB/T 40000-2021", "title": "电子商务平台商家入驻审核规范",
        "level": "national", "status": "drafting", "drafters": drafters}), 201)
    local = ok(requests.post(f"{registry}/standards", headers=operator, json={
        "program_id": STANDARDS, "code": "DB35/T 1701-2017", "title": "农村电子商务服务站建设与服务规范",
        "level": "local", "status": "approval", "drafters": drafters[:1]}), 201)
    for standard, steps in ((national, ("approval", "published")), (local, ("published",))):
        for status in steps:
            ok(requests.post(f"{registry}/standards/{standard['id']}/status", headers=operator, json={"status": status}))
    found = ok(requests.get(f"{registry}/standards", params={"q": "電子商務", "status": "published"}))["standards"]
    say(f"F1. {STANDARDS}: {len(found)} published e-commerce standards found by 電子商務 (traditional characters):"
        f" {', '.join(s['code'] for s in found)}")
    year = start.year
    paid = []
    for drafter, standard, amount in ((drafters[0], national, 300_000), (drafters[1], national, 250_000),
                                      (drafters[0], local, 100_000)):
        paid.append(ok(requests.post(f"{registry}/programs/{STANDARDS}/grants", headers=operator, json={
            "scheme": "standard_drafting", "credit_code": drafter["credit_code"], "unit_name": drafter["unit_name"],
            "region_code": "350102", "year": year, "standard_id": standard["id"], "amount": amount}), 201))
    again = requests.post(f"{registry}/programs/{STANDARDS}/grants", headers=operator, json={
        "scheme": "standard_drafting", "credit_code": drafters[0]["credit_code"], "unit_name": drafters[0]["unit_name"],
        "region_code": "350102", "year": year + 1, "standard_id": national["id"], "amount": 1})
    ledger = ok(requests.get(f"{registry}/programs/{STANDARDS}/grants", params={"year": year}))
    say(f"F2. drafting grants {year}: " + "; ".join(f"{g['unit_name']} {g['amount']:,}元 ({g['basis']})" for g in paid)
        + f"; paid {ledger['paid']:,} of {ledger['budget']:,}; the same unit again for the same standard: "
          f"{again.status_code}")
    return {"national": national, "local": local, "drafters": drafters, "paid": paid, "again": again,
            "ledger": ledger}


COUNTIES = [  # (n, region, level, name)
    (1, "350121", "national", "闽侯县人民政府"),
    (2, "350181", "provincial", "福清市人民政府"),
]


def county_application(n: int, region: str, level: str, name: str, round_id: str) -> dict:
    program = load_program(RURAL)
    return {"round_id": round_id, "credit_code": credit_code(region, n), "unit_name": name,
            "unit_type": "rural_county", "subtype": level, "region_code": region,
            "contact": {"name": f"联系人{n}", "phone": f"1390000000{n}"},
            "figures": {"rural_population": 400_000, "rural_population_covered": 150_000,
                        "online_retail_by_year": {"2024": 900_000_000, "2025": 1_100_000_000}},
            "declarations": {d: True for d in program.required_declarations("rural_county", level)}}


def play_fujian_rural(stack: Stack, clock, start: date, say=print) -> dict:
    """Two counties, one per level, from application to the registry, then their subsidies."""
    apps, review, registry = (stack.url(s) for s in ("applications", "review", "registry"))
    operator, city = stack.headers("operator"), stack.headers("recommender", "350100")
    program = load_program(RURAL)
    clock.set(at(start))
    for n in (1, 2):
        ok(requests.post(f"{review}/experts", headers=operator, json={
            "expert_id": f"FJ{n:03d}", "name": f"福建专家{n}", "organisation": "福建省电子商务协会",
            "region_code": "510100"}))
    round_ = ok(requests.post(f"{apps}/rounds", headers=operator, json={
        "program_id": RURAL, "label": f"{start.year}-1", "submission_deadline": (start + timedelta(days=30)).isoformat()}), 201)
    ids = {}
    for n, region, level, name in COUNTIES:
        applicant = stack.headers("applicant", credit_code(region, n))
        body = county_application(n, region, level, name, round_["id"])
        ids[n] = ok(requests.post(f"{apps}/applications", headers=applicant, json=body), 201)["id"]
        ok(requests.post(f"{apps}/applications/{ids[n]}/submit", headers=applicant, json={}))
        ok(requests.post(f"{apps}/applications/{ids[n]}/recommend", headers=city, json={}))
    reviews = [wait_for("county review opened", lambda i=i: json_if_found(requests.get(
        f"{review}/applications/{i}/review", headers=operator))) for i in ids.values()]
    for r in reviews:
        scores = {item.id: 85 for item in program.review.scoring["rural_county"]}
        ok(requests.post(f"{review}/reviews/{r['id']}/scores", json={"scores": scores},
                         headers=stack.headers("expert", r["experts"][0])))
    notice = ok(requests.post(f"{review}/notices", headers=operator, json={"review_ids": [r["id"] for r in reviews]}), 201)
    clock.set(at(date.fromisoformat(notice["last_day"]) + timedelta(days=1)))
    units = wait_for("counties certified", lambda: (u := ok(requests.get(
        f"{registry}/units", params={"program_id": RURAL}))["units"]) and len(u) == 2 and u)
    say(f"R1. {RURAL}: 福州市 recommended two counties, experts passed them, notice {notice['first_day']}.."
        f"{notice['last_day']}; certified: " + "; ".join(f"{u['certificate_no']} {u['unit_name']} {u['title']}" for u in units))
    county = next(u for u in units if u["subtype"] == "national")
    year = date.fromisoformat(notice["last_day"]).year + 1
    subsidies = [
        ("incubation_new", {"quantity": "12000"}),          # 120万 by the rate: capped at 100万
        ("incubation_renovated", {"quantity": "3500.5"}),   # 175,025元
        ("training_base", {"amount": 800_000}),
        ("data_centre_rent", {"cost": 1_200_000}),          # 36万 by the share: capped at 30万
    ]
    paid = [ok(requests.post(f"{registry}/programs/{RURAL}/grants", headers=operator, json={
        "scheme": scheme, "credit_code": county["credit_code"], "unit_name": county["unit_name"],
        "region_code": county["region_code"], "unit_id": county["id"], "year": year, **inputs}), 201)
        for scheme, inputs in subsidies]
    ledger = ok(requests.get(f"{registry}/programs/{RURAL}/grants", params={"year": year}))
    say(f"R2. subsidies {year} to {county['unit_name']}: " + "; ".join(f"{g['scheme']} {g['amount']:,}元" for g in paid)
        + f"; paid {ledger['paid']:,} of {ledger['budget']:,}")
    return {"round": round_, "application_ids": ids, "notice": notice, "units": units, "county": county,
            "paid": paid, "ledger": ledger, "year": year}


def json_if_found(response: requests.Response):
    return response.json() if response.status_code == 200 else None


def rereview_of(review_url: str, headers: dict, unit: dict) -> dict | None:
    """The re-review the registry asked for on the unit's due date, once the review service opened it."""
    from uuid import UUID

    from services.review.domain import REREVIEW, Review

    review_id = Review.create_id(UUID(unit["application_id"]), kind=REREVIEW, unit_id=UUID(unit["id"]),
                                 due_on=date.fromisoformat(str(unit["rereview_due"])))
    return json_if_found(requests.get(f"{review_url}/reviews/{review_id}", headers=headers, timeout=5))


GRADING = "zhejiang-ecommerce-grading"
ZHEJIANG_UNITS = [  # (n, region, unit type, name, the panel's score for every item)
    (1, "330106", "base", "杭州云栖电子商务产业园", 90),
    (2, "330108", "base", "杭州滨江跨境电商产业园", 86),
    (3, "330203", "base", "宁波保税区电子商务产业基地", 80),
    (4, "330212", "base", "宁波鄞州电商创业园", 70),
    (5, "330106", "enterprise", "杭州标准云商科技有限公司", 78),
]


def zhejiang_application(n: int, region: str, unit_type: str, name: str, round_id: str) -> dict:
    program = load_program(GRADING)
    figures = {"base": {"resident_enterprises": 120}, "enterprise": {"online_sales": 80_000_000}}[unit_type]
    return {"round_id": round_id, "credit_code": credit_code(region, n), "unit_name": name,
            "unit_type": unit_type, "region_code": region, "contact": {"name": f"联系人{n}", "phone": f"1370000000{n}"},
            "figures": figures, "declarations": {d: True for d in program.required_declarations(unit_type, None)}}


def play_zhejiang_grading(stack: Stack, clock, start: date, say=print) -> dict:
    """Four bases and an enterprise from Hangzhou and Ningbo, graded by their panels' scores at the
    award; the share of bases at AAA or above against the 50% target; then a base downgraded by the
    province, and the share again."""
    apps, review, registry = (stack.url(s) for s in ("applications", "review", "registry"))
    operator = stack.headers("operator")
    clock.set(at(start))
    ok(requests.post(f"{review}/experts", headers=operator, json={
        "expert_id": "ZJ001", "name": "浙江专家1", "organisation": "浙江省商贸业联合会", "region_code": "330100"}))
    round_ = ok(requests.post(f"{apps}/rounds", headers=operator, json={
        "program_id": GRADING, "label": f"{start.year}-1",
        "submission_deadline": (start + timedelta(days=30)).isoformat()}), 201)
    ids = {}
    for n, region, unit_type, name, _ in ZHEJIANG_UNITS:
        applicant = stack.headers("applicant", credit_code(region, n))
        ids[n] = ok(requests.post(f"{apps}/applications", headers=applicant,
                                  json=zhejiang_application(n, region, unit_type, name, round_["id"])), 201)["id"]
        ok(requests.post(f"{apps}/applications/{ids[n]}/submit", headers=applicant, json={}))
        ok(requests.post(f"{apps}/applications/{ids[n]}/recommend", json={},
                         headers=stack.headers("recommender", region[:4] + "00")))
    reviews = {n: wait_for("grading review opened", lambda i=i: json_if_found(requests.get(
        f"{review}/applications/{i}/review", headers=operator))) for n, i in ids.items()}
    for n, _, _, _, score in ZHEJIANG_UNITS:
        r = reviews[n]
        ok(requests.post(f"{review}/reviews/{r['id']}/scores", json={"scores": {i["id"]: score for i in r["scoring"]}},
                         headers=stack.headers("expert", r["experts"][0])))
    notice = ok(requests.post(f"{review}/notices", headers=operator,
                              json={"review_ids": [r["id"] for r in reviews.values()]}), 201)
    awarded = date.fromisoformat(notice["last_day"]) + timedelta(days=1)
    clock.set(at(awarded))
    units = wait_for("graded units", lambda: (u := ok(requests.get(
        f"{registry}/units", params={"program_id": GRADING}))["units"]) and len(u) == len(ZHEJIANG_UNITS)
        and all(x["grade"] for x in u) and u)
    share = ok(requests.get(f"{registry}/programs/{GRADING}/grades"))
    say(f"Z1. {GRADING}: notice {notice['first_day']}..{notice['last_day']}; graded at the award: "
        + "; ".join(f"{u['unit_name']} {u['grade']}" for u in units))
    say("Z2. " + _share_line(share))
    top = next(u for u in units if u["unit_name"] == ZHEJIANG_UNITS[1][3])
    clock.set(at(awarded + timedelta(days=60)))
    downgraded = ok(requests.post(f"{registry}/units/{top['id']}/grade", headers=operator, json={
        "grade": "AA", "reason": "监督检查发现入驻企业标准执行不到位"}))
    after = wait_for("the share after the downgrade", lambda: (s := ok(requests.get(
        f"{registry}/programs/{GRADING}/grades")))["unit_types"]["base"]["target"]["at_or_above"] == 1 and s)
    say(f"Z3. the province downgraded {top['unit_name']} "
        f"{' → '.join(g['grade'] for g in downgraded['grades'])} on {downgraded['grades'][-1]['on']}; "
        + _share_line(after))
    return {"round": round_, "application_ids": ids, "notice": notice, "units": units, "share": share,
            "downgraded": downgraded, "after": after, "awarded": awarded}


def _share_line(report: dict) -> str:
    base = report["unit_types"]["base"]
    target = base["target"]
    counts = ", ".join(f"{g} {n}" for g, n in base["by_grade"].items())
    return (f"bases at {target['grade']} or above on {report['as_of']}: {target['at_or_above']} of {base['holders']}"
            f" = {target['share_percent']}% against the {target['percent']}% target"
            f" ({'met' if target['met'] else 'not met'}; {counts})")
