"""The national cities' pages (ADR 42) in a real browser on one site: the city government proposes
and revises its plan, the coordination group gives an opinion, accepts and confirms a batch, a
ministry sends a plan back (the approvals before lapse) and approves, the group records a year's
assessment and a commendation, and the public reads the commendations and the city's unit page.
The world is made through the JSON API; each city is in the state its test starts from."""
from datetime import date

import pytest
import requests

from browsing import shot
from shared.demo_programs import at
from shared.samples import credit_code, government_code
from support import wait_for

pytestmark = pytest.mark.e2e

PROGRAM = "national-ecommerce-demo-cities"
APPROVERS = ("ndrc", "mofcom", "miit", "pbc", "sat")
CITIES = {"suzhou": ("320500", "苏州市"), "qingdao": ("370200", "青岛市"), "hangzhou": ("330100", "杭州市"),
          "wuhan": ("420100", "武汉市"), "changsha": ("430100", "长沙市"), "shenzhen": ("440300", "深圳市"),
          "chengdu": ("510100", "成都市")}
ACCEPTANCE = "方案基本成熟，同意正式受理，报相关部门批复"


def _call(method, url, expect, headers=None, json=None):
    response = requests.request(method, url, json=json, headers=headers, timeout=10)
    assert response.status_code == expect, f"{method} {url} -> {response.status_code}: {response.text}"
    return response.json()


def code(city):
    return government_code(CITIES[city][0], 1)


@pytest.fixture(scope="module")
def world(site):
    """Qingdao proposed; Hangzhou revised once, accepted and approved by ndrc; Wuhan and Changsha
    approved by all five; Shenzhen and Chengdu confirmed as 第一批 in 2027 and certified. Today is
    2028-01-20, so 2027 is a whole year of their titles. Suzhou has no plan yet."""
    review, coordinator = f"{site.site_url}/api/review", site.headers("coordinator")
    site.clock.set(at(date(2027, 3, 1)))
    plans = {}
    for city in ("qingdao", "hangzhou", "wuhan", "changsha", "shenzhen", "chengdu"):
        region, name = CITIES[city]
        plans[city] = _call("POST", f"{review}/plans", 201, site.headers("applicant", code(city)), {
            "program_id": PROGRAM, "city_name": name, "region_code": region, "text": f"{name}创建方案（初稿）"})["id"]
    _call("POST", f"{review}/plans/{plans['hangzhou']}/opinions", 201, coordinator, {"opinion": "请补充电子认证体系建设步骤"})
    _call("POST", f"{review}/plans/{plans['hangzhou']}/revisions", 201, site.headers("applicant", code("hangzhou")),
          {"text": "杭州市创建方案（修改稿1）"})
    for city in ("hangzhou", "wuhan", "changsha", "shenzhen", "chengdu"):
        _call("POST", f"{review}/plans/{plans[city]}/acceptance", 200, coordinator, {"opinion": ACCEPTANCE})
    _call("POST", f"{review}/plans/{plans['hangzhou']}/approvals", 200, site.headers("ministry", "ndrc"), {})
    for city in ("wuhan", "changsha", "shenzhen", "chengdu"):
        for key in APPROVERS:
            _call("POST", f"{review}/plans/{plans[city]}/approvals", 200, site.headers("ministry", key), {})
    site.clock.set(at(date(2027, 4, 1)))
    _call("POST", f"{review}/batches", 201, coordinator, {"program_id": PROGRAM, "label": "第一批",
                                                          "plan_ids": [plans["shenzhen"], plans["chengdu"]]})
    units = wait_for("the first batch certified", lambda: (u := _units(site)) and len(u) == 2 and u)
    site.clock.set(at(date(2028, 1, 20)))
    return {"plans": plans, "units": {u["unit_name"]: u["id"] for u in units}}


def _units(site):
    return _call("GET", f"{site.site_url}/api/registry/units?program_id={PROGRAM}", 200)["units"]


# -- the city government ---------------------------------------------------------------------

def city_proposes_and_revises(site, suzhou, qingdao_plan, company):
    page = site.open("applicant", suzhou)
    page.goto("/")
    page.get_by_role("link", name="我市创建方案").click()
    assert page.locator("h1").inner_text() == "国家电子商务示范城市 · 创建方案"
    page.get_by_label("城市名称").fill("苏州市")
    page.get_by_label("创建方案文本").fill("苏州市创建国家电子商务示范城市工作方案（初稿）")
    # a region code the browser would stop is sent anyway: refused naming the field, nothing written
    page.locator("#region_code").evaluate("e => e.removeAttribute('pattern')")
    page.get_by_label("行政区划代码").fill("3205")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="提出创建方案").click()
    assert answer.value.status == 400 and "region_code" in page.locator("[role=alert]").inner_text()
    page.goto("/city-plans/mine")
    page.get_by_label("城市名称").fill("苏州市")
    page.get_by_label("行政区划代码").fill("320500")
    page.get_by_label("创建方案文本").fill("苏州市创建国家电子商务示范城市工作方案（初稿）")
    page.get_by_role("button", name="提出创建方案").click()
    assert page.locator("#plan-status").inner_text() == "已提出，待协调小组审理"
    assert "苏州市创建国家电子商务示范城市工作方案（初稿）" in page.locator("#version-0").inner_text()
    assert page.get_by_role("button", name="提交修改稿").count() == 0  # no opinion to answer yet
    shot(page, "city-plan-proposed")
    # another city government's plan is as if it did not exist; a company has no city plan
    assert page.goto(f"/city-plans/{qingdao_plan}").status == 404
    assert site.open("applicant", company).goto("/city-plans/mine").status == 403
    return page.url.rsplit("/", 1)[-1]


def city_revises(site, suzhou):
    page = site.open("applicant", suzhou)
    page.goto("/city-plans/mine")
    assert "请量化规制和政策建设目标" in page.locator("main").inner_text()
    page.get_by_label("修改后的方案文本").fill("苏州市创建国家电子商务示范城市工作方案（修改稿1，目标已量化）")
    page.get_by_role("button", name="提交修改稿").click()
    assert page.locator("#plan-status").inner_text() == "已修改，待协调小组审理"
    assert "初稿" in page.locator("#version-0").inner_text()
    assert "修改稿1，目标已量化" in page.locator("#version-1").inner_text()
    assert page.locator("#rounds li").all_inner_texts() == [
        "2028-01-20 提出创建方案（第0稿）",
        "2028-01-20 第1轮 · 协调小组修改意见 (国家电子商务示范城市创建工作协调小组，针对第0稿)：请量化规制和政策建设目标",
        "2028-01-20 提交修改稿（第1稿），答复第1轮"]
    shot(page, "city-plan-revised")


def test_a_city_government_proposes_and_revises_its_plan_through_the_form(site, browser, world):
    review = f"{site.site_url}/api/review"
    suzhou = site.headers("applicant", code("suzhou"))
    browser.run(city_proposes_and_revises, site, suzhou=code("suzhou"), qingdao_plan=world["plans"]["qingdao"],
                company=credit_code("320500", 1))
    plan = _call("GET", f"{review}/plans", 200, suzhou)["plans"]
    assert [(p["city_name"], p["region_code"], p["status"]) for p in plan] == [("苏州市", "320500", "proposed")]
    _call("POST", f"{review}/plans/{plan[0]['id']}/opinions", 201, site.headers("coordinator"),
          {"opinion": "请量化规制和政策建设目标"})
    browser.run(city_revises, site, suzhou=code("suzhou"))
    plan = _call("GET", f"{review}/plans/{plan[0]['id']}", 200, suzhou)
    assert [v["text"] for v in plan["versions"]] == ["苏州市创建国家电子商务示范城市工作方案（初稿）",
                                                     "苏州市创建国家电子商务示范城市工作方案（修改稿1，目标已量化）"]


# -- the coordination group ------------------------------------------------------------------

def coordinator_reviews(site, plan_id, qingdao):
    desk = site.open("coordinator")
    desk.goto("/")
    desk.get_by_role("link", name="创建方案审理").click()
    assert "青岛市" in desk.locator("#plans").inner_text()
    shot(desk, "city-plans-desk")
    stale = site.open("coordinator")
    stale.goto(f"/city-plans/{plan_id}")  # opened while the plan is proposed: its forms are shown
    desk.get_by_role("link", name="青岛市").click()
    desk.get_by_label("修改意见", exact=True).fill("请补充面向中小企业的财税扶持政策")
    desk.get_by_role("button", name="提出修改意见").click()
    assert desk.locator("#plan-status").inner_text() == "讨论修改中"
    assert "请补充面向中小企业的财税扶持政策" in desk.locator("#rounds").inner_text()
    # the stale tab's acceptance is refused with the message (409): the plan awaits its revision
    stale.get_by_label("受理意见").fill("同意受理")
    with stale.expect_response(lambda r: r.request.method == "POST") as answer:
        stale.get_by_role("button", name="正式受理").click()
    assert answer.value.status == 409 and "revising" in stale.locator("[role=alert]").inner_text()
    shot(stale, "city-plan-accept-refused")
    city = site.open("applicant", qingdao)
    city.goto("/city-plans/mine")
    city.get_by_label("修改后的方案文本").fill("青岛市创建方案（修改稿1，补充财税扶持政策）")
    city.get_by_role("button", name="提交修改稿").click()
    desk.reload()
    desk.get_by_label("受理意见").fill(ACCEPTANCE)
    desk.get_by_role("button", name="正式受理").click()
    assert desk.locator("#plan-status").inner_text() == "已正式受理，待批复"
    approvals = desk.locator("#approvals tbody tr")
    assert approvals.count() == 5 and "待批复" in approvals.nth(0).inner_text()
    assert desk.get_by_role("button", name="正式受理").count() == 0
    shot(desk, "city-plan-accepted")


def test_the_coordination_group_gives_an_opinion_and_accepts_and_a_stale_form_is_refused(site, browser, world):
    plan_id = world["plans"]["qingdao"]
    browser.run(coordinator_reviews, site, plan_id=plan_id, qingdao=code("qingdao"))
    plan = _call("GET", f"{site.site_url}/api/review/plans/{plan_id}", 200, site.headers("coordinator"))
    assert plan["status"] == "accepted" and [r["opinion"] for r in plan["rounds"]] == ["请补充面向中小企业的财税扶持政策"]
    assert [(a["version"], a["opinion"]) for a in plan["acceptances"]] == [(1, ACCEPTANCE)]


# -- a ministry ------------------------------------------------------------------------------

def ministry_sends_back_then_approves(site, plan_id, hangzhou):
    mofcom = site.open("ministry", "mofcom")
    mofcom.goto("/")
    mofcom.get_by_role("link", name="待批复的创建方案").click()
    awaiting = mofcom.locator(f"#awaiting-{plan_id}")
    assert ACCEPTANCE in awaiting.inner_text() and "杭州市创建方案（修改稿1）" in awaiting.inner_text()
    shot(mofcom, "city-plan-decisions")
    awaiting.get_by_role("link", name="审阅并批复或退回").click()
    assert "已批复" in mofcom.locator("#approvals tr", has_text="国家发展和改革委员会").inner_text()
    mofcom.get_by_label("退回理由").fill("电子商务统计监测体系不完善，请补充")
    mofcom.get_by_role("button", name="退回修改", exact=True).click()
    assert mofcom.locator("#plan-status").inner_text() == "讨论修改中"
    assert "电子商务统计监测体系不完善，请补充" in mofcom.locator("#rounds").inner_text()
    assert "国家发展和改革委员会" in mofcom.locator(".lapsed").inner_text()  # ndrc's approval lapsed
    assert mofcom.locator("#approvals").count() == 0  # no approval stands while the plan is revised
    shot(mofcom, "city-plan-sent-back")
    city = site.open("applicant", hangzhou)
    city.goto("/city-plans/mine")
    city.get_by_label("修改后的方案文本").fill("杭州市创建方案（修改稿2，补充统计监测体系）")
    city.get_by_role("button", name="提交修改稿").click()
    group = site.open("coordinator")
    group.goto(f"/city-plans/{plan_id}")
    group.get_by_label("受理意见").fill("已按商务部意见修改，同意再次受理")
    group.get_by_role("button", name="正式受理").click()
    stale = site.open("ministry", "mofcom")
    stale.goto(f"/city-plans/{plan_id}")
    mofcom.goto("/city-plans/decisions")
    mofcom.locator(f"#awaiting-{plan_id}").get_by_role("link").click()
    assert "修改稿2，补充统计监测体系" in mofcom.locator("#version-2").inner_text()
    mofcom.get_by_role("button", name="同意批复").click()
    assert "已批复" in mofcom.locator("#approvals tr", has_text="商务部").inner_text()
    assert mofcom.get_by_role("button", name="同意批复").count() == 0
    steps = mofcom.locator("#rounds li").all_inner_texts()  # in the order they happened, not by date alone
    expected = ["提出创建方案", "第1轮 · 协调小组修改意见", "提交修改稿（第1稿）", "正式受理第1稿",
                "第2轮 · 批复部门退回修改", "提交修改稿（第2稿）", "正式受理第2稿"]
    assert len(steps) == len(expected) and all(step.split(" ", 1)[1].startswith(prefix)
                                               for step, prefix in zip(steps, expected)), steps
    shot(mofcom, "city-plan-approved-by-one")
    with stale.expect_response(lambda r: r.request.method == "POST") as answer:  # a version is approved once
        stale.get_by_role("button", name="同意批复").click()
    assert answer.value.status == 409
    assert site.open("ministry", "cac").goto("/city-plans/decisions").status == 403  # not an approver


def test_a_ministry_sends_back_with_reasons_the_approvals_lapse_then_it_approves_the_new_text(site, browser, world):
    plan_id = world["plans"]["hangzhou"]
    browser.run(ministry_sends_back_then_approves, site, plan_id=plan_id, hangzhou=code("hangzhou"))
    plan = _call("GET", f"{site.site_url}/api/review/plans/{plan_id}", 200, site.headers("coordinator"))
    assert plan["status"] == "accepted" and list(plan["approvals"]) == ["mofcom"]
    assert [(r["kind"], r["by"]) for r in plan["rounds"]][-1] == ("sent_back", "mofcom")
    assert [a["version"] for a in plan["acceptances"]] == [1, 2]


# -- the batch -------------------------------------------------------------------------------

def batch_form(site, wuhan_plan, changsha_plan):
    desk = site.open("coordinator")
    desk.goto("/city-plans/")
    for plan_id in (wuhan_plan, changsha_plan):
        assert desk.locator(f"#batch-{plan_id}").is_checked()
    desk.locator(f"#batch-{wuhan_plan}").uncheck()
    desk.locator(f"#batch-{changsha_plan}").uncheck()
    desk.get_by_label("批次名称").fill("第二批")
    with desk.expect_response(lambda r: r.request.method == "POST") as answer:  # nothing ticked
        desk.get_by_role("button", name="确认批次").click()
    assert answer.value.status == 400 and "plan_ids" in desk.locator("[role=alert]").inner_text()
    desk.goto("/city-plans/")
    desk.locator(f"#batch-{changsha_plan}").uncheck()
    desk.get_by_label("批次名称").fill("第二批")
    desk.get_by_role("button", name="确认批次").click()
    assert desk.locator("#batch-confirmed").is_visible()
    rows = desk.locator("#batches tbody tr")
    assert rows.all_inner_texts() == ["第一批\t2027-04-01\t深圳市、成都市", "第二批\t2028-01-20\t武汉市"]
    assert desk.locator(f"#batch-{changsha_plan}").count() == 1  # still approved, awaiting a batch
    assert desk.locator(f"#batch-{wuhan_plan}").count() == 0
    shot(desk, "city-plans-batch")


def no_whole_year_yet(site, wuhan_unit):
    desk = site.open("coordinator")
    desk.goto("/city-assessments/")
    wuhan = desk.locator(f"#unit-{wuhan_unit}")  # certified today: no whole year of the title to assess
    assert wuhan.locator(".no-whole-year").count() == 1 and wuhan.get_by_role("button").count() == 0


def test_the_batch_form_confirms_the_ticked_approved_cities_and_the_registry_certifies_them(site, browser, world):
    plans = world["plans"]
    browser.run(batch_form, site, wuhan_plan=plans["wuhan"], changsha_plan=plans["changsha"])
    units = wait_for("Wuhan certified", lambda: (u := _units(site)) and len(u) == 3 and u)
    assert sorted(u["unit_name"] for u in units) == ["成都市", "武汉市", "深圳市"]
    browser.run(no_whole_year_yet, site, wuhan_unit=next(u["id"] for u in units if u["unit_name"] == "武汉市"))
    assert _call("GET", f"{site.site_url}/api/review/plans/{plans['changsha']}", 200,
                 site.headers("coordinator"))["status"] == "approved"


# -- the annual assessment and the public ----------------------------------------------------

def assessment_form(site, shenzhen, chengdu):
    desk = site.open("coordinator")
    desk.goto("/")
    desk.get_by_role("link", name="年度考核与嘉奖").click()
    city = desk.locator(f"#unit-{shenzhen}")
    assert city.get_by_label("年度").input_value() == "2027"
    city.get_by_label("考核结果").select_option(label="优秀")
    city.get_by_label("考核意见").fill("内部意见：跨境电商统计口径待核")
    city.get_by_role("button", name="记录考核结果").click()
    assert desk.locator("#recorded").is_visible()
    city = desk.locator(f"#unit-{shenzhen}")
    assert "2027\t优秀" in city.locator("tbody").inner_text()
    city.get_by_label("嘉奖理由").fill("创建工作扎实，跨境电子商务示范效应突出")
    city.get_by_role("button", name="予以嘉奖").click()
    assert "已嘉奖" in desk.locator(f"#unit-{shenzhen} tbody").inner_text()
    other = desk.locator(f"#unit-{chengdu}")
    other.get_by_label("考核结果").select_option(label="合格")
    other.get_by_role("button", name="记录考核结果").click()
    other = desk.locator(f"#unit-{chengdu}")
    assert "2027\t合格" in other.locator("tbody").inner_text()
    assert other.get_by_role("button", name="予以嘉奖").count() == 0  # a passed result is not commendable
    shot(desk, "city-assessments")
    # the year again: refused with the message (409); a year not over: refused naming the field (400)
    with desk.expect_response(lambda r: r.request.method == "POST") as answer:
        desk.locator(f"#unit-{chengdu}").get_by_role("button", name="记录考核结果").click()
    assert answer.value.status == 409 and "already been assessed" in desk.locator("[role=alert]").inner_text()
    desk.goto("/city-assessments/")
    year = desk.locator(f"#unit-{chengdu}").get_by_label("年度")
    year.evaluate("e => e.removeAttribute('max')")
    year.fill("2028")
    with desk.expect_response(lambda r: r.request.method == "POST") as answer:
        desk.locator(f"#unit-{chengdu}").get_by_role("button", name="记录考核结果").click()
    assert answer.value.status == 400 and "year" in desk.locator("[role=alert]").inner_text()

    public = site.open()
    public.goto("/")
    public.get_by_role("link", name="示范城市嘉奖").click()
    assert public.locator("h2").all_inner_texts() == ["2027年度"]
    table = public.locator("table").inner_text()
    assert "深圳市" in table and "创建工作扎实，跨境电子商务示范效应突出" in table and "成都市" not in table
    assert "内部意见" not in public.content()
    shot(public, "commendations")
    public.get_by_role("link", name="English").click()
    assert public.locator("h1").inner_text() == "国家电子商务示范城市 · Commended cities"
    assert "excellent" in public.locator("table").inner_text()
    public.get_by_role("link", name="中文").click()
    public.get_by_role("link", name="深圳市").click()
    assert "国家电子商务示范城市" in public.locator("table").first.inner_text()
    assert "440300" in public.locator("table").first.inner_text()
    assert "下次复核" not in public.content() and "内部意见" not in public.content()
    assert "2027\t优秀\t2028-01-20：创建工作扎实" in public.locator("#assessments").inner_text()
    shot(public, "city-unit-page")
    public.goto("/city-assessments/")  # the group's page: the public is sent to sign in
    assert "/signin?next=" in public.url


def test_the_assessment_form_records_a_result_and_a_commendation_the_public_reads(site, browser, world):
    shenzhen, chengdu = world["units"]["深圳市"], world["units"]["成都市"]
    browser.run(assessment_form, site, shenzhen=shenzhen, chengdu=chengdu)
    listed = _call("GET", f"{site.site_url}/api/registry/programs/{PROGRAM}/commendations", 200)["commendations"]
    assert [(c["unit_name"], c["year"], c["citation"]) for c in listed] == [
        ("深圳市", 2027, "创建工作扎实，跨境电子商务示范效应突出")]
    assessed = _call("GET", f"{site.site_url}/api/registry/programs/{PROGRAM}/assessments", 200)["assessments"]
    assert sorted((a["unit_name"], a["year"], a["result"]) for a in assessed) == [
        ("成都市", 2027, "passed"), ("深圳市", 2027, "excellent")]


# -- the two new roles on the new pages (the access matrix covers the seven older roles) -------

PAGE_CELLS = {  # (method, path) -> (coordinator, ministry ndrc); 400 = authorised (the probe was refused)
    ("GET", "/city-plans/mine"): (403, 403),
    ("POST", "/city-plans/mine"): (403, 403),
    ("POST", "/city-plans/{plan}/revision"): (403, 403),
    ("GET", "/city-plans/"): (200, 403),
    ("GET", "/city-plans/{plan}"): (200, 200),
    ("POST", "/city-plans/{plan}/opinion"): (400, 403),
    ("POST", "/city-plans/{plan}/acceptance"): (400, 403),
    ("POST", "/city-plans/batches"): (400, 403),
    ("GET", "/city-plans/decisions"): (403, 200),
    ("POST", "/city-plans/{plan}/approval"): (403, 400),
    ("POST", "/city-plans/{plan}/send-back"): (403, 400),
    ("GET", "/city-assessments/"): (200, 403),
    ("POST", "/city-assessments/units/{unit}/assessment"): (400, 403),
    ("POST", "/city-assessments/units/{unit}/commendation"): (400, 403),
    ("GET", "/commendations/"): (200, 200),
}


def test_the_coordinator_and_a_ministry_reach_only_their_own_pages(site, world):
    from shared.web.pages import CSRF_COOKIE, CSRF_FIELD, TOKEN_COOKIE  # not at the top: the browser's
    # interpreter loads this module and must not import nameko's eventlet (ADR 21)

    assert {(m, p.replace("{plan}", "<string:plan_id>").replace("{unit}", "<string:unit_id>"))
            for m, p in PAGE_CELLS} == _city_page_rules()
    ids = {"plan": world["plans"]["changsha"], "unit": world["units"]["深圳市"]}
    mismatches = []
    for (method, path), expected in PAGE_CELLS.items():
        for (role, scope), status in zip((("coordinator", None), ("ministry", "ndrc")), expected):
            response = requests.request(method, site.site_url + path.format(**ids), allow_redirects=False, timeout=10,
                                        cookies={TOKEN_COOKIE: site.token(role, scope), CSRF_COOKIE: "probe"},
                                        data={"matrix_probe": "1", CSRF_FIELD: "probe"} if method == "POST" else None)
            if response.status_code != status:
                mismatches.append(f"{method} {path} as {role}: {response.status_code}, expected {status}")
    assert mismatches == []


def _city_page_rules() -> set[tuple[str, str]]:
    """Every page of the national cities the service classes declare."""
    from shared.runner import SERVICES, service_class
    from shared.web.pages import PageHttp

    return {(entrypoint.method, entrypoint.url) for service in SERVICES for attribute in dir(service_class(service))
            for entrypoint in getattr(getattr(service_class(service), attribute), "nameko_entrypoints", ())
            if isinstance(entrypoint, PageHttp) and entrypoint.url.startswith(("/city-", "/commendations/"))}
