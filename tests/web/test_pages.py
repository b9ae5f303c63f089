"""One test per page, in a real browser on one site. The world is made through the JSON API:
unit 1 certified (its notice closed), unit 2 submitted and waiting for its city, unit 3 passed and
on a notice still open, an applicant's email that could not be delivered."""
from datetime import datetime

import pytest
import requests

from browsing import shot
from support import CST, application, credit_code, scores, wait_for

pytestmark = pytest.mark.e2e

CITY = "510700"


def _call(method, url, expect, headers=None, json=None):
    response = requests.request(method, url, json=json, headers=headers, timeout=10)
    assert response.status_code == expect, f"{method} {url} -> {response.status_code}: {response.text}"
    return response.json()


@pytest.fixture(scope="module")
def world(site):
    api = site.site_url + "/api"
    operator = site.headers("operator")
    round_id = _call("POST", f"{api}/applications/rounds", 201, operator,
                     {"program_id": "sichuan-ecommerce-demo", "label": "2026-P", "submission_deadline": "2026-12-31"})["id"]
    ids = {}
    for n in (1, 2, 3):
        headers = site.headers("applicant", credit_code("510703", n))
        ids[n] = _call("POST", f"{api}/applications/applications", 201, headers, application(n, "510703", round_id))["id"]
        _call("POST", f"{api}/applications/applications/{ids[n]}/submit", 200, headers, {})
    _call("POST", f"{api}/notify/subscriptions", 201, site.headers("applicant", credit_code("510703", 1)),
          {"channel": "email", "address": "office@example.cn"})
    reviews = {}
    for n in (1, 3):
        _call("POST", f"{api}/applications/applications/{ids[n]}/recommend", 200, site.headers("recommender", CITY), {})
        reviews[n] = wait_for("review open", lambda n=n: _review(api, ids[n], operator))["id"]
    for n, expert in ((1, "E001"), (3, "E002")):  # after the reviews opened: assigned by hand
        _call("POST", f"{api}/review/experts", 201, operator, {"expert_id": expert, "name": f"专家{expert}",
                                                               "organisation": "四川省电子商务研究院", "region_code": "510100"})
        _call("POST", f"{api}/review/reviews/{reviews[n]}/experts", 200, operator, {"expert_ids": [expert]})
    _call("POST", f"{api}/review/reviews/{reviews[1]}/scores", 200, site.headers("expert", "E001"), scores(90))
    first = _call("POST", f"{api}/review/notices", 201, operator,
                  {"review_ids": [reviews[1]], "achievements": {reviews[1]: "年交易额1.2亿元，带动就业300人"}})
    site.clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=CST))
    unit = wait_for("unit certified", lambda: _call("GET", f"{api}/registry/units?application_id={ids[1]}", 200)["units"])[0]
    _call("POST", f"{api}/review/reviews/{reviews[3]}/scores", 200, site.headers("expert", "E002"), scores(80))
    second = _call("POST", f"{api}/review/notices", 201, operator, {"review_ids": [reviews[3]]})
    wait_for("a delivery given up", lambda: _call("GET", f"{api}/notify/dispatches?status=given_up", 200,
                                                  operator)["dispatches"])
    return {"applications": {str(k): v for k, v in ids.items()}, "reviews": {str(k): v for k, v in reviews.items()},
            "closed_notice": first["id"], "open_notice": second["id"], "unit": unit["id"],
            "certificate_no": unit["certificate_no"], "round_id": round_id}


def _review(api, application_id, headers):
    response = requests.get(f"{api}/review/applications/{application_id}/review", headers=headers, timeout=5)
    return response.json() if response.status_code == 200 else None


# -- public pages ----------------------------------------------------------------------------

def home(site):
    page = site.open()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("link", name="English").click()
    assert page.locator("h1").inner_text().startswith("Sichuan e-commerce demonstration")
    page.goto("/registry/")  # the language stays with the visitor (cookie)
    assert page.locator("h1").inner_text() == "Registry of demonstration units"
    shot(page, "home-en")
    page.get_by_role("link", name="中文").click()
    assert page.locator("h1").inner_text() == "示范名录"


def test_home_page_is_chinese_first_with_an_english_switch(site, browser, world):
    browser.run(home, site)


def registry(site):
    page = site.open()
    page.goto("/registry/")
    page.get_by_label("名称").fill("示范001電子商務")  # traditional characters find the simplified name
    page.get_by_label("城市").select_option(label="绵阳市")
    page.get_by_label("类型").select_option(label="示范企业")
    page.get_by_role("button", name="查询", exact=True).click()
    assert page.locator("#total").inner_text() == "1"
    assert "示范001电子商务有限公司" in page.locator("tbody").inner_text()
    shot(page, "registry-search")
    page.get_by_label("截至日期").fill("2026-12-01")  # before it was certified
    page.get_by_role("button", name="查询", exact=True).click()
    assert page.locator("#total").inner_text() == "0"
    page.goto("/registry/?as_of=2026-13-01")
    assert page.locator("h1").inner_text() == "填写有误" and "as_of" in page.locator("[role=alert]").inner_text()
    assert page.goto("/registry/?page=0").status == 400 and "page" in page.locator("[role=alert]").inner_text()


def test_registry_page_searches_by_name_in_either_script_city_type_and_date(site, browser, world):
    browser.run(registry, site)


def unit_page(site, unit_id, certificate_no):
    page = site.open()
    page.goto(f"/registry/units/{unit_id}")
    assert page.locator("#certificate-no").inner_text() == certificate_no
    assert "绵阳市" in page.locator("table").inner_text()
    assert "认定授牌" in page.locator(".timeline").inner_text()
    assert "联系人" not in page.content() and "13800000001" not in page.content()  # no personal data
    shot(page, "unit-page")


def test_unit_page_shows_title_city_certificate_and_timeline_without_personal_data(site, browser, world):
    browser.run(unit_page, site, unit_id=world["unit"], certificate_no=world["certificate_no"])


def certificate(site, unit_id, certificate_no):
    page = site.open()
    page.goto(f"/registry/units/{unit_id}/certificate")
    assert page.locator("figure svg").count() == 1  # the QR code
    assert page.locator("figcaption a").get_attribute("href") == f"{site.url}/check/{certificate_no}"
    shot(page, "certificate-page")


def test_certificate_page_has_a_qr_code_linking_to_its_check(site, browser, world):
    browser.run(certificate, site, unit_id=world["unit"], certificate_no=world["certificate_no"])


def check(site, certificate_no):
    page = site.open()
    page.goto("/check/")
    page.get_by_label("证书编号").fill(certificate_no)
    page.get_by_label("证书编号").press("Enter")
    assert page.locator("#verdict").inner_text() == "证书有效"
    assert "认定授牌" in page.locator(".timeline").inner_text()
    response = page.goto("/check/SCDS-1999-99999")
    assert response.status == 404 and "未找到证书编号" in page.locator("[role=alert]").inner_text()


def test_check_page_says_whether_a_certificate_is_valid_now(site, browser, world):
    browser.run(check, site, certificate_no=world["certificate_no"])


def progress(site):
    page = site.open()
    page.goto("/progress/")
    rows = page.locator("tbody tr")
    assert rows.nth(0).inner_text().split() == ["示范企业", "1", "50"]
    assert rows.nth(1).inner_text().split() == ["示范基地", "0", "20"]
    assert page.locator("svg[role=img] rect").count() == 6
    shot(page, "progress")


def test_progress_page_charts_certified_units_against_the_targets(site, browser, world):
    browser.run(progress, site)


def signin(site):
    page = site.open()
    page.goto("/apply/")  # a page that needs a sign-in sends the visitor to sign in, then back
    page.wait_for_url("**/signin?next=%2Fapply%2F")
    page.get_by_label("访问令牌").fill("not-a-token")
    page.get_by_role("button", name="登录", exact=True).click()
    assert "not valid" in page.locator("[role=alert]").inner_text()
    shot(page, "signin")
    page.get_by_label("访问令牌").fill(site.token("applicant", credit_code("510703", 1)))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/apply/")
    cookie = next(c for c in page.context.cookies() if c["name"] == "shifan_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="退出", exact=True).click()
    page.goto("/apply/")
    page.wait_for_url("**/signin?next=%2Fapply%2F")


def test_signin_page_keeps_the_token_in_an_httponly_strict_cookie(site, browser, world):
    browser.run(signin, site)


def notice_board(site):
    page = site.open()
    page.goto("/notice-board/")
    tables = page.locator("table")
    assert "2026-12-15" in tables.nth(0).inner_text() and "2026-12-01" in tables.nth(1).inner_text()
    page.get_by_role("link", name="拟认定名单公示 2026-12-01").click()
    assert "年交易额1.2亿元" in page.locator("table").inner_text()
    assert page.get_by_role("button", name="提交异议").count() == 0  # closed: no objection form
    assert "认定名单" in page.locator("main").inner_text()
    shot(page, "notices-board")


def test_notice_board_lists_current_and_past_notices_with_achievements(site, browser, world):
    browser.run(notice_board, site)


def objection(site, open_notice):
    page = site.open()
    page.goto(f"/notice-board/{open_notice}")
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("联系方式").fill("13700000000")
    page.get_by_label("异议内容及理由").evaluate("e => e.removeAttribute('minlength')")
    page.get_by_label("异议内容及理由").fill("短")  # too short: refused, naming the field
    page.get_by_role("button", name="提交异议", exact=True).click()
    assert "reason" in page.locator("[role=alert]").inner_text()
    page.goto(f"/notice-board/{open_notice}")
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("联系方式").fill("13700000000")
    page.get_by_label("异议内容及理由").fill("该单位统计数据存疑")
    page.get_by_role("button", name="提交异议", exact=True).click()
    assert "您的异议已收到" in page.locator("[role=status]").inner_text()
    # a form opened during the period and sent after it is refused with a clear message (409)
    page.goto(f"/notice-board/{open_notice}")
    page.get_by_label("姓名").fill("孙七")
    page.get_by_label("联系方式").fill("13600000000")
    page.get_by_label("异议内容及理由").fill("逾期提出的异议")
    site.clock.set(datetime(2026, 12, 30, 9, 0, tzinfo=CST))
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="提交异议", exact=True).click()
    assert answer.value.status == 409
    assert "已不再受理异议" in page.locator("#refused").inner_text()
    shot(page, "objection-refused")


def test_objection_form_takes_objections_during_the_period_and_refuses_them_after(site, browser, world):
    browser.run(objection, site, open_notice=world["open_notice"])
    objections = _call("GET", f"{site.site_url}/api/review/notices/{world['open_notice']}/objections", 200,
                       site.headers("operator"))["objections"]
    assert [o["reason"] for o in objections] == ["该单位统计数据存疑"]


# -- the applicant ---------------------------------------------------------------------------

def apply_without_script(site):
    page = site.open("applicant", credit_code("510703", 9), script=False)
    page.goto("/apply/new")
    page.get_by_role("link", name="开展电子商务的传统企业").click()
    page.get_by_label("单位名称").fill("示范九商贸有限公司")
    page.get_by_label("所在地行政区划代码").fill("510703")
    page.get_by_label("注册资金（元）").fill("8000000")
    page.get_by_label("应用电子商务平台的网上销售金额（年）（元）").fill("5000000")
    page.get_by_label("企业总销售额（年）（元）").fill("90000000")
    page.get_by_role("button", name="预审", exact=True).click()  # the form posts to /apply/check
    page.wait_for_url("**/apply/check")
    assert page.get_by_label("单位名称").input_value() == "示范九商贸有限公司"  # the form comes back filled
    assert "不符合" in page.locator("table.eligibility").inner_text()
    shot(page, "apply-check")


def test_apply_form_checks_eligibility_without_javascript(site, browser, world):
    browser.run(apply_without_script, site)


def my_application(site, application_id):
    page = site.open("applicant", credit_code("510703", 2))
    page.goto("/apply/")
    page.get_by_role("link", name="示范002电子商务有限公司").click()
    assert page.locator("#status").inner_text() == "已提交"
    assert "符合申报条件" in page.locator("#eligibility-verdict").inner_text()
    shot(page, "my-application")
    other = site.open("applicant", credit_code("510703", 3))
    assert other.goto(f"/apply/{application_id}").status == 404  # another applicant's: as if it did not exist


def test_application_page_shows_its_status_to_its_applicant_only(site, browser, world):
    browser.run(my_application, site, application_id=world["applications"]["2"])


def clerk_return_and_answer(site, application_id):
    clerk = site.open("recommender", CITY)
    clerk.goto(f"/clerk/applications/{application_id}")
    assert "剩余推荐名额" in clerk.locator("#quota-left").inner_text()
    clerk.get_by_label("退回补正的理由（每行一条）").fill("请补充平台注册企业名单\n请提供审计报告")
    clerk.get_by_role("button", name="退回补正", exact=True).click()
    clerk.wait_for_url("**/clerk/?done=returned")
    shot(clerk, "clerk-queue-after-return")
    applicant = site.open("applicant", credit_code("510703", 2))
    applicant.goto(f"/apply/{application_id}")
    assert "请提供审计报告" in applicant.locator("#return-reasons").inner_text()
    applicant.get_by_role("link", name="修改", exact=True).click()
    applicant.get_by_label("已在平台注册的企业数（个）").fill("1300")
    applicant.get_by_role("button", name="保存", exact=True).click()
    applicant.get_by_role("button", name="重新提交", exact=True).click()
    assert applicant.locator("#status").inner_text() == "已提交"
    shot(applicant, "application-resubmitted")


def test_clerk_returns_with_reasons_and_the_applicant_answers(site, browser, world):
    browser.run(clerk_return_and_answer, site, application_id=world["applications"]["2"])
    resubmitted = _call("GET", f"{site.site_url}/api/applications/applications/{world['applications']['2']}", 200,
                        site.headers("operator"))
    assert resubmitted["status"] == "submitted" and resubmitted["figures"]["registered_enterprises"] == 1300


def clerk_queue(site):
    page = site.open("recommender", CITY)
    page.goto("/clerk/")
    assert "0 / 2" in page.locator("#quotas").inner_text()  # units 1 and 3 took Mianyang's two places
    assert page.locator("#queue tbody tr").count() == 3
    shot(page, "clerk-queue-page")
    other = site.open("recommender", "510100")
    other.goto("/clerk/")
    assert "暂无申报" in other.locator("#queue").inner_text()  # Chengdu sees none of Mianyang's


def test_clerk_queue_shows_its_region_only_with_the_quota_left(site, browser, world):
    browser.run(clerk_queue, site)


def decline(site, application_id):
    page = site.open("recommender", CITY)
    page.goto(f"/clerk/applications/{application_id}")
    page.get_by_label("不予推荐的理由").fill("本批次名额已满，请下一批次申报")
    page.get_by_role("button", name="不予推荐", exact=True).click()
    page.wait_for_url("**/clerk/?done=declined")
    assert "未予推荐" in page.locator("#queue tr", has_text="示范002电子商务有限公司").inner_text()
    applicant = site.open("applicant", credit_code("510703", 2))
    applicant.goto(f"/apply/{application_id}")
    assert applicant.locator("#status").inner_text() == "未予推荐"
    assert "本批次名额已满" in applicant.locator("main").inner_text()


def test_clerk_declines_with_a_reason_the_applicant_reads(site, browser, world):
    browser.run(decline, site, application_id=world["applications"]["2"])


def report(site, unit_id):
    page = site.open("applicant", credit_code("510703", 1))

    def fill_report():
        page.goto("/registry/mine")
        assert "示范001电子商务有限公司" in page.locator("table").inner_text()
        page.get_by_role("link", name="报送统计报表").click()
        page.get_by_label("报表年度").fill("2026")
        for name, value in (("注册资金", "5000000"), ("电子商务相关服务年收入", "6000000"),
                            ("电子商务交易额（年）", "150000000"), ("已在平台注册的企业数", "1400")):
            page.get_by_label(name).fill(value)
        for box in page.locator("input[name^='decl.']").all():
            box.check()

    fill_report()  # 2026 is not over yet: refused, naming the year
    page.get_by_role("button", name="报送", exact=True).click()
    assert "year" in page.locator("[role=alert]").inner_text()
    site.clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=CST))
    fill_report()
    shot(page, "report-form")
    page.get_by_role("button", name="报送", exact=True).click()
    assert "2026" in page.locator("[role=status]").inner_text()
    stranger = site.open("applicant", credit_code("510703", 2))
    assert stranger.goto(f"/registry/units/{unit_id}/report").status == 404


def test_report_page_takes_the_units_yearly_figures(site, browser, world):
    browser.run(report, site, unit_id=world["unit"])
    reports = _call("GET", f"{site.site_url}/api/registry/units/{world['unit']}/reports", 200)["reports"]
    assert [r["year"] for r in reports] == [2026]


# -- experts and the province ----------------------------------------------------------------

def expert_pages(site):
    page = site.open("expert", "E002")
    page.goto("/expert/")
    assert page.locator("tbody tr").count() == 1 and "示范003电子商务有限公司" in page.locator("tbody").inner_text()
    page.get_by_role("link", name="示范003电子商务有限公司").click()
    assert "您已评分" in page.locator("#scored").inner_text()
    shot(page, "expert-page")
    assert site.open("expert", "E001").goto(page.url).status == 404  # not assigned to it


def test_expert_pages_show_assigned_reviews_only(site, browser, world):
    browser.run(expert_pages, site)


def operator_desk(site, open_notice):
    page = site.open("operator")
    page.goto("/operator/")
    assert page.locator("h2").all_inner_texts()[:2] == ["进行中的评审", "评审通过、待公示"]
    shot(page, "operator-desk")
    page.goto(f"/operator/notices/{open_notice}")
    assert "赵六" in page.locator("table").nth(1).inner_text()
    page.get_by_role("button", name="结束公示", exact=True).click()  # an objection is open: refused (409)
    assert "objection(s) to resolve first" in page.locator("[role=alert]").inner_text()
    auditor = site.open("auditor")
    auditor.goto("/operator/")
    assert auditor.get_by_role("button", name="发布公示").count() == 0  # auditors read, never act
    assert site.open("expert", "E001").goto("/operator/").status == 403


def test_operator_desk_lists_reviews_notices_and_refuses_an_early_close(site, browser, world):
    browser.run(operator_desk, site, open_notice=world["open_notice"])


def assign(site, unit_name):
    page = site.open("operator")
    page.goto("/operator/")
    row = page.locator("tr", has_text=unit_name)
    assert "(0/1)" in row.inner_text()  # everybody in the pool declared an interest in it
    row.get_by_label("专家").select_option("E004")
    row.get_by_role("button", name="分配", exact=True).click()
    page.wait_for_url("**/operator/")
    assert "暂无" in page.locator("table").first.inner_text() or "(1/1)" in page.locator("tr", has_text=unit_name).inner_text()
    expert = site.open("expert", "E004")
    expert.goto("/expert/")
    assert unit_name in expert.locator("tbody").inner_text()


def test_operator_assigns_an_expert_when_the_pool_has_none_free(site, browser, world):
    api, operator = site.site_url + "/api", site.headers("operator")
    code = credit_code("510104", 4)
    for expert in ("E001", "E002"):
        _call("POST", f"{api}/review/experts/{expert}/interests", 200, operator, {"credit_codes": [code]})
    headers = site.headers("applicant", code)
    round_id = _call("POST", f"{api}/applications/rounds", 201, operator, {
        "program_id": "sichuan-ecommerce-demo", "label": "2027-A", "submission_deadline": "2027-12-31"})["id"]
    draft = _call("POST", f"{api}/applications/applications", 201, headers, application(4, "510104", round_id))
    _call("POST", f"{api}/applications/applications/{draft['id']}/submit", 200, headers, {})
    _call("POST", f"{api}/applications/applications/{draft['id']}/recommend", 200, site.headers("recommender", "510100"), {})
    wait_for("review open", lambda: _review(api, draft["id"], operator))
    _call("POST", f"{api}/review/experts", 201, operator, {"expert_id": "E004", "name": "专家四", "region_code": "510100",
                                                           "organisation": "西南财经大学"})  # joins the pool later
    browser.run(assign, site, unit_name=draft["unit_name"])
    assert _review(api, draft["id"], operator)["experts"] == ["E004"]


def rounds(site):
    page = site.open("operator")
    page.goto("/operator/rounds/")
    page.get_by_label("批次编号").fill("2027-1")
    page.get_by_label("申报截止日期").fill("2027-06-30")
    page.get_by_role("button", name="开启", exact=True).click()
    assert "2027-1" in page.locator("table").inner_text()
    shot(page, "rounds")


def test_rounds_page_opens_a_round(site, browser, world):
    browser.run(rounds, site)


def revoke(site, unit_id):
    page = site.open("operator")
    page.goto("/operator/units/")
    shot(page, "operator-units")
    page.get_by_role("link", name="撤销称号").first.click()
    page.get_by_label("撤销理由").select_option("violation")
    page.get_by_label("依据（文书编号等）").fill("川市监罚〔2026〕12号")
    page.get_by_role("button", name="撤销称号", exact=True).click()
    page.wait_for_url(f"**/registry/units/{unit_id}")
    assert "已撤销" in page.locator("table").inner_text()
    page.goto("/check/" + page.locator("#certificate-no").inner_text())
    assert "证书已失效" in page.locator("#verdict").inner_text()


def test_revoke_page_revokes_a_title_and_the_check_says_so(site, browser, world):
    browser.run(revoke, site, unit_id=world["unit"])


def deliveries(site):
    page = site.open("operator")
    page.goto("/operator/deliveries/")
    assert "office@example.cn" not in page.content()  # the address is personal: the recipient is shown
    assert page.locator("tbody tr").count() >= 1 and "applicant:" in page.locator("tbody").inner_text()
    shot(page, "deliveries")
    page.get_by_role("button", name="重新发送").first.click()
    assert "已重新发送" in page.locator("[role=status]").inner_text()


def test_failed_deliveries_page_lists_given_up_dispatches_and_sends_again(site, browser, world):
    browser.run(deliveries, site)


def csrf(site):
    page = site.open("operator")
    page.goto("/operator/rounds/")
    page.locator("input[name=csrf]").last.evaluate("e => e.value = 'forged'")
    page.get_by_label("批次编号").fill("2027-X")
    page.get_by_label("申报截止日期").fill("2027-06-30")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="开启", exact=True).click()
    assert answer.value.status == 403 and "CSRF" in page.locator("[role=alert]").inner_text()


def test_a_form_without_the_pages_csrf_token_is_refused(site, browser, world):
    browser.run(csrf, site)
    rounds = _call("GET", f"{site.site_url}/api/applications/rounds", 200)["rounds"]
    assert "2027-X" not in [r["label"] for r in rounds]


def grades(site, unit_id):
    page = site.open()
    page.goto("/progress/?program=zhejiang-ecommerce-grading")
    row = page.locator("#grades tbody tr").filter(has_text="产业基地")
    assert row.inner_text().split() == ["电子商务产业基地", "1", "2", "1", "50%", "达到", "AAA级以上", "1", "/", "4", "=",
                                        "25.00%", "（未达标）"]
    shot(page, "progress-grades")
    page.goto(f"/registry/units/{unit_id}")
    assert page.locator("#grade").inner_text() == "AA"
    timeline = page.locator("ol.timeline li").all_inner_texts()
    assert [t.split()[1:] for t in timeline] == [["认定授牌"], ["评定等级", "AAA"], ["等级下调", "AA"]]
    shot(page, "unit-graded")


def test_a_grading_programs_progress_shows_the_share_at_the_target_grade_and_a_unit_its_grade_history(site, browser,
                                                                                                   world):
    from datetime import date

    from shared.demo_programs import play_zhejiang_grading

    # after every other page's test: this moves the clock on, to 2027
    outcome = play_zhejiang_grading(site, site.clock, date(2027, 2, 1), say=lambda line: None)
    browser.run(grades, site, unit_id=outcome["downgraded"]["id"])
