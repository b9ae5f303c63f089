"""Contract fixtures: the envelopes the real producers emit when one application runs the whole course."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from services.applications.app import ApplicationsApp
from services.notify.app import NotifyApp
from services.notify.channels import SendFailed
from services.notify.policies import when_any_event_record_deliveries
from services.registry.app import RegistryApp
from services.registry.policies import (when_batch_approved_certify_cities, when_notice_closed_certify_units,
                                       when_rereview_concluded_confirm_or_revoke)
from services.review.app import ReviewApp
from services.review.policies import when_application_recommended_open_review, when_rereview_requested_open_rereview
from shared.contracts import CONTRACTS
from shared.contracts.envelope import decode, encode
from shared.messaging.follower import PublicEvent
from shared.messaging.log import read_public_log
from shared.programs import load_program
from shared.samples import credit_code, government_code, sample_application

from givens import ensure_experts, round_of, submitted, uniform

AT = datetime(2026, 11, 10, 6, 30, tzinfo=timezone.utc)


def consumed(envelope: dict) -> PublicEvent:
    """The event as a downstream policy sees it: over the wire, then loaded by its contract."""
    wire = decode(encode(envelope))
    return PublicEvent(id=wire["id"], type=wire["type"], source=wire["source"], subject=wire["subject"],
                       time=datetime.fromisoformat(wire["time"]),
                       data=CONTRACTS[wire["type"]].schema().load(wire["data"]))


def _follow(app, upstream_log: list, policy, only_type: str | None = None) -> None:
    for envelope in upstream_log:
        if only_type is None or envelope["type"] == only_type:
            app.save(*policy(app, consumed(envelope)))


def _whole_log(app) -> list[dict]:
    log, after = [], 0
    while page := read_public_log(app, after, 500):
        log += page
        after = int(page[-1]["id"].rsplit(":", 1)[1])
    return log


class _Channels:
    """Channels that fail for some kinds of subscription, as an unreachable endpoint would."""

    def __init__(self, fail: set):
        self.fail = fail

    def send(self, dispatch, subscription, now_ts):
        if dispatch.channel in self.fail:
            raise SendFailed(f"{dispatch.channel} endpoint answered 503")


@pytest.fixture(scope="module")
def produced() -> list[dict]:
    """Every envelope of all four services' logs after a course that touches every public type:
    applications drafted, returned, amended, withdrawn, declined and recommended under a raised
    quota; reviews with a conflicted and a recused expert, an override, a notice with a dismissed
    objection; units certified, reported, amended, re-reviewed and confirmed, revoked, given up;
    notify telling everybody concerned."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    applications, review, registry, notify = (ApplicationsApp(env=env), ReviewApp(env=env),
                                              RegistryApp(env=env), NotifyApp(env=env))
    contact = {"name": "李四", "phone": "13800001111"}
    chosen = submitted(applications, credit_code="91510104MA61XXXX0A", unit_name="成都蜀锦电子商务有限公司",
                       region_code="510104", contact=contact)
    other = submitted(applications, credit_code="91510703MA6XXXXX1B", unit_name="绵阳云购商贸有限公司",
                      region_code="510703", contact=contact)
    withdrawn = submitted(applications, credit_code="91510703MA6XXXXX2C", region_code="510703", contact=contact)
    applications.return_for_correction(other, ["材料不全"], by="510700", at=AT)
    applications.amend(other, {"unit_name": "绵阳云购商贸股份有限公司"}, by="applicant", at=AT)
    applications.submit(other, by="applicant", at=AT)
    applications.withdraw(withdrawn, by="applicant", reason="不再申报", at=AT)
    third = submitted(applications, credit_code="91510104MA61ZZZZ0C", unit_name="成都锦城数字贸易有限公司",
                      region_code="510104", contact=contact)
    applications.recommend(chosen, by="510100", at=AT)
    applications.recommend(third, by="510100", at=AT)
    applications.raise_quota(round_of(applications), "510700", "enterprise", 1, "省级专题会议决定", by="operator", at=AT)
    applications.decline(other, by="510700", reason="材料不全", at=AT)
    applications_log = _whole_log(applications)

    ensure_experts(review, ["expert-1", "expert-2"])
    review.declare_interests("expert-2", ["91510104MA61XXXX0A"], by="expert-2")
    _follow(review, applications_log, when_application_recommended_open_review,
            "shifan.applications.application_recommended.v1")
    review_id = review.review_of_application(chosen).id  # expert-1 assigned by itself: expert-2 is conflicted
    ensure_experts(review, ["expert-3"])
    review.recuse(review_id, "expert-1", "曾参与该企业项目咨询")  # expert-3 takes the place
    review.score(review_id, "expert-3", uniform(82), AT)
    third_review = review.review_of_application(third)
    review.score(third_review.id, third_review.experts[0], uniform(88), AT)
    notice = review.publish_notice([review_id, third_review.id], date(2026, 12, 1))
    objection = review.file_objection(notice.id, chosen, name="王五", contact="13900000000",
                                      reason="该企业有行政处罚记录", today=date(2026, 12, 2), at=AT)
    review.resolve_objection(notice.id, objection, "dismissed", "经核实不属实", by="operator", at=AT)
    review.close_notice(notice.id, date(2026, 12, 15))
    failing = {"eligible": False, "criteria": [{"id": "b2b_scale", "rule": "年收入500万元以上", "passed": False}]}
    rereview = review.prepare_rereview(unit_id=uuid4(), application_id=chosen, program_id="sichuan-ecommerce-demo",
                                       unit_name="成都蜀锦电子商务有限公司", unit_type="enterprise",
                                       subtype="b2b_platform", region_code="510104", credit_code="91510104MA61XXXX0A",
                                       due_on=date(2028, 12, 15), report=None, at=AT)
    review.save(rereview)
    review.score(rereview.id, review.review(rereview.id).experts[0], uniform(90), AT)
    other_review = review.prepare_review(application_id=uuid4(), program_id="sichuan-ecommerce-demo",
                                         program_version="test", unit_name="绵阳云购商贸股份有限公司",
                                         unit_type="enterprise", subtype="b2b_platform", region_code="510703",
                                         credit_code="91510703MA6XXXXX1B", eligibility=failing, at=AT)
    review.save(other_review)
    review.override(other_review.id, "b2b_scale", "专题会议同意", by="operator", at=AT)
    cities = "national-ecommerce-demo-cities"  # a city plan through every stage (ADR 42)
    plan = review.propose_plan(cities, "深圳市", "440300", government_code("440300", 1), "创建方案（初稿）",
                               date(2027, 3, 1)).id
    review.give_opinion(plan, "请量化创建目标", "coordinator", date(2027, 3, 8))
    review.revise_plan(plan, "创建方案（修改稿一）", date(2027, 3, 20))
    review.accept_plan(plan, "同意受理", "coordinator", date(2027, 4, 1))
    review.approve_plan(plan, "ndrc", date(2027, 4, 10))
    review.send_back_plan(plan, "miit", ["信息基础设施目标不明确"], date(2027, 4, 12))
    review.revise_plan(plan, "创建方案（修改稿二）", date(2027, 4, 20))
    review.accept_plan(plan, "同意再次受理", "coordinator", date(2027, 5, 1))
    for approver in load_program(cities).approvers:
        review.approve_plan(plan, approver, date(2027, 5, 10))
    review.approve_batch(cities, "第一批", [plan], "coordinator", date(2027, 9, 15))
    review_log = _whole_log(review)

    _follow(registry, review_log, when_notice_closed_certify_units, "shifan.review.notice_closed.v1")
    _follow(registry, review_log, when_batch_approved_certify_cities, "shifan.review.batch_approved.v1")
    city_unit = registry.unit_of_application(plan).id
    registry.record_assessment(city_unit, 2027, "excellent", "coordinator", date(2028, 1, 20), remarks="评估组意见")
    registry.commend(city_unit, 2027, "示范效应突出", "coordinator", date(2028, 1, 25))
    unit, other_unit = (registry.unit_of_application(a).id for a in (chosen, third))
    sample = sample_application(1, region_code="510104")
    registry.submit_report(unit, 2027, sample["figures"], sample["declarations"], date(2028, 3, 31))
    registry.amend(unit, {"unit_name": "成都蜀锦电子商务股份有限公司"}, "企业更名", date(2028, 6, 1))
    registry.request_due_rereviews(date(2028, 12, 15), [unit])
    _follow(review, _whole_log(registry), when_rereview_requested_open_rereview,
            "shifan.registry.rereview_requested.v1")
    rereview_of_unit = next(r for r in review.reviews() if r.unit_id == unit)
    review.score(rereview_of_unit.id, rereview_of_unit.experts[0], uniform(90), AT)
    _follow(registry, _whole_log(review), when_rereview_concluded_confirm_or_revoke,
            "shifan.review.rereview_concluded.v1")
    registry.revoke(other_unit, "violation", "市场监管行政处罚决定书 川市监罚〔2027〕12号", "虚假宣传", date(2027, 5, 1))
    registry.give_up(unit, "企业经营方向调整，主动放弃称号", date(2029, 1, 10))
    drafter = credit_code("350102", 1)
    standard = registry.register_standard("fujian-ecommerce-standards", "DB35/T 1701-2017", "电子商务平台服务规范",
                                          "local", "approval", [{"credit_code": drafter, "unit_name": "福州云商科技有限公司"}],
                                          date(2017, 3, 1))
    registry.advance_standard(standard.id, "published", date(2017, 9, 1))
    registry.pay_grant("fujian-ecommerce-standards", "standard_drafting", drafter, "福州云商科技有限公司", "350102",
                       2017, date(2017, 10, 9), standard_id=standard.id, amount=100_000)
    graded = registry.prepare_certification(uuid4(), "zhejiang-ecommerce-grading", [{
        "application_id": uuid4(), "review_id": uuid4(), "unit_name": "杭州云仓电子商务产业园", "unit_type": "base",
        "subtype": None, "region_code": "330106", "credit_code": credit_code("330106", 1),
        "program_id": "zhejiang-ecommerce-grading", "achievements": "", "mean_score": Decimal("86.50")}],
        date(2027, 1, 10))  # a grading program's award grades the unit: unit_graded
    registry.save(*graded)
    review_log = _whole_log(review)
    registry_log = _whole_log(registry)

    notify.subscribe("applicant:91510104MA61XXXX0A", "email", "sales@shujin.example.cn", [], by="applicant")
    notify.subscribe("agency:market-regulation", "webhook", "https://agency.example.cn/hook", ["shifan.registry.#"],
                     by="agency")
    for upstream_log in (applications_log, review_log, registry_log):
        _follow(notify, upstream_log, when_any_event_record_deliveries)
    notify.send_reminders(date(2026, 12, 30), datetime(2026, 12, 30, 1, tzinfo=timezone.utc))
    later = datetime(2029, 2, 1, tzinfo=timezone.utc)
    notify.dispatch_due(later, _Channels(fail={"webhook"}), retry_base=timedelta(seconds=1), max_attempts=2)
    notify.dispatch_due(later + timedelta(seconds=5), _Channels(fail={"webhook"}), max_attempts=2)
    given_up = notify.dispatches(status="given_up")[0]
    notify.resend(given_up.id, by="operator", at=later)
    notify.dispatch_due(later + timedelta(seconds=10), _Channels(fail=set()))
    return applications_log + review_log + registry_log + _whole_log(notify)
