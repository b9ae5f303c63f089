"""The whole story through the browser, on one site: an applicant applies, its city recommends,
an expert recuses and another scores, the province publishes the notice, somebody objects, the
province dismisses the objection and closes the notice, and the public finds the unit and checks
its certificate."""
from datetime import datetime

import pytest
import requests

from browsing import shot
from support import CST, credit_code, wait_for

pytestmark = pytest.mark.e2e

APPLICANT = credit_code("510703", 7)


def test_from_application_to_a_checked_certificate_through_the_browser(site, browser):
    for expert_id in ("E101", "E102"):  # the province's pool: one of them is drawn for the review
        requests.post(f"{site.site_url}/api/review/experts",
                      json={"expert_id": expert_id, "name": f"专家{expert_id}", "organisation": "四川省电子商务研究院",
                            "region_code": "510100"}, headers=site.headers("operator"), timeout=10).raise_for_status()
    browser.run(whole_story, site)


def sign_in(page, token: str, lands_on: str) -> None:
    page.goto("/signin")
    page.get_by_label("访问令牌").fill(token)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"**{lands_on}")


def whole_story(site):
    api = site.url + "/api"

    # the province opens a round
    operator = site.open()
    sign_in(operator, site.token("operator"), "/operator/")
    operator.goto("/operator/rounds/")
    operator.get_by_label("批次编号").fill("2026-S")
    operator.get_by_label("申报截止日期").fill("2026-12-31")
    operator.get_by_role("button", name="开启", exact=True).click()
    assert "2026-S" in operator.locator("table").inner_text()

    # the applicant fills in its application; the pre-check follows the figures as they are typed
    applicant = site.open()
    sign_in(applicant, site.token("applicant", APPLICANT), "/apply/")
    applicant.goto("/apply/new")
    applicant.get_by_role("link", name="B2B电子商务平台").click()
    applicant.get_by_label("申报批次").select_option(label="2026-S（截止 2026-12-31）")
    applicant.get_by_label("单位名称").fill("绵阳云商電子商務有限公司")
    applicant.get_by_label("所在地行政区划代码").fill("510703")
    applicant.get_by_label("姓名").fill("李四")
    applicant.get_by_label("电话").fill("13800000007")
    applicant.get_by_label("注册资金（元）").fill("5000000")
    applicant.get_by_label("电子商务相关服务年收入（元）").fill("2000000")
    applicant.get_by_label("电子商务交易额（年）（元）").fill("100000000")
    applicant.get_by_label("已在平台注册的企业数（个）").fill("1500")
    for box in applicant.locator("input[name^='decl.']").all():
        box.check()
    verdict = applicant.locator("#precheck #eligibility-verdict")
    verdict.filter(has_text="尚不符合").wait_for()  # 2,000,000 yuan revenue, 1亿 volume: short of 市州's scale
    applicant.get_by_label("电子商务交易额（年）（元）").fill("320000000")
    verdict.filter(has_text="符合申报条件").wait_for()
    shot(applicant, "apply-form")
    applicant.get_by_role("button", name="保存", exact=True).click()
    applicant.get_by_role("button", name="提交申报", exact=True).click()
    assert applicant.locator("#status").inner_text() == "已提交"
    shot(applicant, "application")

    # the city clerk sees it in its queue with its pre-check and the quota left, and recommends it
    clerk = site.open()
    sign_in(clerk, site.token("recommender", "510700"), "/clerk/")
    assert "2 / 2" in clerk.locator("#quotas").inner_text()
    shot(clerk, "clerk-queue")
    clerk.get_by_role("link", name="绵阳云商電子商務有限公司").click()
    assert "剩余推荐名额" in clerk.locator("#quota-left").inner_text()
    shot(clerk, "clerk-application")
    clerk.get_by_role("button", name="推荐", exact=True).click()
    clerk.wait_for_url("**/clerk/?done=recommended")
    assert "1 / 2" in clerk.locator("#quotas").inner_text()

    # the review opens by itself with one expert of the pool; that expert recuses, the other scores
    application_id = clerk.locator("#queue a").first.get_attribute("href").rsplit("/", 1)[1]
    review = wait_for("review opened", lambda: _json(f"{api}/review/applications/{application_id}/review",
                                                     site.headers("operator")))
    first = review["experts"][0]
    second = ({"E101", "E102"} - {first}).pop()
    expert = site.open()
    sign_in(expert, site.token("expert", first), "/expert/")
    expert.get_by_role("link", name="绵阳云商電子商務有限公司").click()
    expert.get_by_label("回避理由").fill("本人曾为该企业提供咨询服务")
    expert.get_by_role("button", name="申请回避", exact=True).click()
    expert.wait_for_url("**/expert/?recused=1")
    assert "暂无分配给您的评审" in expert.locator("table").inner_text()

    expert = site.open()
    sign_in(expert, site.token("expert", second), "/expert/")
    expert.get_by_role("link", name="绵阳云商電子商務有限公司").click()
    expert.wait_for_url("**/expert/reviews/*")
    for field in expert.locator("input[name^='score.']").all():
        field.fill("86")
    shot(expert, "expert-review")
    # by keyboard, as a form must allow: Enter in a field submits its form
    expert.locator("input[name^='score.']").last.press("Enter")
    assert "86.00" in expert.locator("#scored").inner_text()

    # the province lists it on a notice with its main achievements
    operator.goto("/operator/")
    shot(operator, "operator")
    operator.get_by_label("主要成绩 绵阳云商電子商務有限公司").fill("2025年平台交易额3.2亿元，服务企业1500家")
    operator.get_by_role("button", name="发布公示", exact=True).click()
    operator.wait_for_url("**/operator/notices/*")
    notice_id = operator.url.rsplit("/", 1)[1]

    # somebody objects on the public notice board
    public = site.open()
    public.goto("/notice-board/")
    shot(public, "notices")
    public.get_by_role("link", name="拟认定名单公示").first.click()
    assert "3.2亿元" in public.locator("table").inner_text()
    public.get_by_label("姓名").fill("王五")
    public.get_by_label("联系方式").fill("13900000000")
    public.get_by_label("异议内容及理由").fill("该企业的注册企业数存疑，请核实")
    public.get_by_role("button", name="提交异议", exact=True).click()
    assert "您的异议已收到" in public.locator("[role=status]").inner_text()
    shot(public, "notice")

    # after the period, the notice waits for the province: closing first is refused, then the
    # province dismisses the objection and closes it (or finds its timer already did)
    site.clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=CST))
    operator.goto(f"/operator/notices/{notice_id}")
    assert "王五" in operator.locator("table").nth(1).inner_text()
    operator.get_by_role("button", name="结束公示", exact=True).click()
    assert "objection(s) to resolve first" in operator.locator("[role=alert]").inner_text()
    operator.goto(f"/operator/notices/{notice_id}")
    operator.get_by_label("处理意见").fill("经核实，平台注册企业数属实")
    operator.get_by_role("button", name="提交处理意见", exact=True).click()
    assert "异议不成立" in operator.locator("table").nth(1).inner_text()
    if operator.get_by_role("button", name="结束公示", exact=True).count():
        operator.get_by_role("button", name="结束公示", exact=True).click()
    operator.goto(f"/operator/notices/{notice_id}")
    assert "绵阳云商電子商務有限公司" in operator.locator("#closed").inner_text()
    shot(operator, "operator-notice")

    # the public finds the unit by its name in simplified characters and checks its certificate
    public.goto("/registry/?q=云商电子商务")
    wait_for("the unit in the registry", lambda: (public.reload(), public.locator("#total").inner_text() == "1")[1])
    shot(public, "registry")
    public.get_by_role("link", name="绵阳云商電子商務有限公司").click()
    certificate_no = public.locator("#certificate-no").inner_text()
    assert certificate_no.startswith("SCDS-2026-")
    assert "认定授牌" in public.locator(".timeline").inner_text()
    shot(public, "unit")
    public.get_by_role("link", name="查看证书").click()
    link = public.locator("figcaption a").get_attribute("href")
    assert link == f"{site.url}/check/{certificate_no}"
    shot(public, "certificate")
    public.goto("/check/")
    public.get_by_label("证书编号").fill(certificate_no)
    public.get_by_role("button", name="核验", exact=True).click()
    assert public.locator("#verdict").inner_text() == "证书有效"
    shot(public, "check")
    public.goto(link)
    assert public.locator("#verdict").inner_text() == "证书有效"


def _json(url, headers):
    response = requests.get(url, headers=headers, timeout=5)
    return response.json() if response.status_code == 200 and response.json().get("experts") else None
