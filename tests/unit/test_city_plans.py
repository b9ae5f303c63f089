"""The CityPlan and Batch aggregates and the review service's commands on them, without I/O (ADR 42)."""
from datetime import date

import pytest

from services.review.app import ReviewApp
from services.review.domain import WrongState
from services.review.plans import ACCEPTED, APPROVED, BATCHED, PROPOSED, REVISED, REVISING, CityPlan
from shared.errors import Conflict, InvalidInput
from shared.samples import government_code

PROGRAM = "national-ecommerce-demo-cities"
APPROVERS = ["ndrc", "mofcom", "miit", "pbc", "sat"]
DAY = date(2027, 3, 1)


def plan(**kwargs) -> CityPlan:
    return CityPlan(program_id=PROGRAM, program_version="v", city_name="深圳市", region_code="440300",
                    credit_code=government_code("440300", 1), text="深圳市创建方案（初稿）", proposed_on=DAY, **kwargs)


def accepted() -> CityPlan:
    p = plan()
    p.accept("同意受理", "coordinator", APPROVERS, DAY)
    return p


def test_every_opinion_and_every_revised_text_is_kept_in_order():
    p = plan()
    p.give_opinion("请补充物流配送体系的目标", "coordinator", DAY)
    p.revise("深圳市创建方案（修改稿一）", date(2027, 3, 10))
    p.give_opinion("保障措施请量化", "coordinator", date(2027, 3, 20))
    p.revise("深圳市创建方案（修改稿二）", date(2027, 4, 1))

    assert [r["opinion"] for r in p.rounds] == ["请补充物流配送体系的目标", "保障措施请量化"]
    assert [(r["round"], r["on_version"], r["version"]) for r in p.rounds] == [(1, 0, 1), (2, 1, 2)]
    assert [v["text"] for v in p.versions] == ["深圳市创建方案（初稿）", "深圳市创建方案（修改稿一）", "深圳市创建方案（修改稿二）"]
    assert p.status == REVISED


def test_the_city_revises_only_an_open_round_and_the_group_waits_for_the_revision():
    p = plan()
    with pytest.raises(WrongState):
        p.revise("未经意见的修改", DAY)
    p.give_opinion("意见", "coordinator", DAY)
    with pytest.raises(WrongState):
        p.give_opinion("第二条意见", "coordinator", DAY)
    with pytest.raises(WrongState):
        p.accept("受理", "coordinator", APPROVERS, DAY)
    assert p.status == REVISING and len(p.rounds) == 1


def test_rounds_stop_at_the_files_max_rounds_when_it_has_one():
    p = plan(max_rounds=1)
    p.give_opinion("意见", "coordinator", DAY)
    p.revise("修改稿", DAY)
    with pytest.raises(WrongState):
        p.give_opinion("再一轮", "coordinator", DAY)


def test_the_plan_is_approved_only_when_every_approver_has_approved():
    p = accepted()
    for approver in APPROVERS[:-1]:
        p.approve(approver, DAY)
        assert p.status == ACCEPTED
    p.approve(APPROVERS[-1], DAY)

    assert p.status == APPROVED and p.remaining == []


def test_an_approver_approves_once_and_only_an_accepted_plan():
    p = plan()
    with pytest.raises(WrongState):
        p.approve("ndrc", DAY)
    p.accept("受理", "coordinator", APPROVERS, DAY)
    p.approve("ndrc", DAY)
    with pytest.raises(WrongState):
        p.approve("ndrc", DAY)
    with pytest.raises(WrongState):
        p.approve("cac", DAY)  # not an approver of this plan


def test_a_send_back_returns_the_plan_to_revision_and_every_approval_lapses():
    p = accepted()
    p.approve("ndrc", DAY)
    p.approve("mofcom", DAY)
    p.send_back("miit", ["信息化基础设施建设目标不明确"], date(2027, 4, 2))

    assert p.status == REVISING and p.approvals == {}
    assert p.rounds[-1]["kind"] == "sent_back" and p.rounds[-1]["by"] == "miit"
    with pytest.raises(WrongState):
        p.approve("sat", DAY)  # back in revision: nobody approves now
    p.revise("修改稿", DAY)
    p.accept("再次受理", "coordinator", APPROVERS, DAY)
    p.approve("ndrc", DAY)
    assert p.status == ACCEPTED and p.remaining == ["mofcom", "miit", "pbc", "sat"]
    assert [a["version"] for a in p.acceptances] == [0, 1]


def test_nobody_sends_back_a_plan_every_approver_approved():
    p = accepted()
    for approver in APPROVERS:
        p.approve(approver, DAY)
    with pytest.raises(WrongState):
        p.send_back("ndrc", ["改变主意"], DAY)
    with pytest.raises(ValueError):
        accepted().send_back("ndrc", [], DAY)


@pytest.fixture
def app():
    return ReviewApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _approved(app, n: int, region: str, name: str):
    p = app.propose_plan(PROGRAM, name, region, government_code(region, n), f"{name}创建方案", DAY)
    app.accept_plan(p.id, "同意受理", "coordinator", DAY)
    for approver in APPROVERS:
        app.approve_plan(p.id, approver, DAY)
    return p


def test_a_batch_takes_only_jointly_approved_plans_and_writes_nothing_when_it_refuses(app):
    ready = _approved(app, 1, "440300", "深圳市")
    waiting = app.propose_plan(PROGRAM, "杭州市", "330100", government_code("330100", 2), "杭州市创建方案", DAY)
    before = app.recorder.max_notification_id()

    with pytest.raises(Conflict):
        app.approve_batch(PROGRAM, "第一批", [ready.id, waiting.id], "coordinator", DAY)
    assert app.recorder.max_notification_id() == before
    assert app.plan(ready.id).status == APPROVED

    batch = app.approve_batch(PROGRAM, "第一批", [ready.id], "coordinator", DAY)
    assert [c["city_name"] for c in batch.cities] == ["深圳市"]
    assert app.plan(ready.id).status == BATCHED and app.plan(ready.id).batch_id == batch.id
    with pytest.raises(Conflict):
        app.approve_batch(PROGRAM, "第一批", [ready.id], "coordinator", DAY)  # the label again


def test_one_plan_per_city_and_program_and_only_in_a_program_with_the_stage(app):
    app.propose_plan(PROGRAM, "深圳市", "440300", government_code("440300", 1), "方案", DAY)
    with pytest.raises(Conflict):
        app.propose_plan(PROGRAM, "深圳市", "440300", government_code("440300", 1), "另一个方案", DAY)
    with pytest.raises(InvalidInput) as error:
        app.propose_plan("sichuan-ecommerce-demo", "成都市", "510100", government_code("510100", 1), "方案", DAY)
    assert "program_id" in error.value.fields
    assert app.plan(CityPlan.create_id(PROGRAM, government_code("440300", 1))).status == PROPOSED
