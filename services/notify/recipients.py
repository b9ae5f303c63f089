"""Who each public event concerns, and what they are told: the one table of notify's routing."""
from __future__ import annotations

from uuid import UUID

PROVINCE = "province"
COORDINATOR = "coordinator"  # the national cities' coordination group (ADR 42)


def _applicant(data) -> str:
    return f"applicant:{data['credit_code']}"


def _city(data) -> str:
    """The recommending authority: named by the event, or (registry events) the unit's city."""
    return f"recommender:{data.get('recommender') or data['region_code'][:4] + '00'}"


# event type -> list of (recipient, text) for one application's data
ROUTES = {
    "shifan.applications.application_submitted.v1": lambda d: [
        (_applicant(d), f"已收到您的申报：{d['unit_name']}"),
        (_city(d), f"新的申报待审核：{d['unit_name']}")],
    "shifan.applications.application_returned.v1": lambda d: [
        (_applicant(d), f"您的申报已退回修改：{d['unit_name']}（{'；'.join(d['reasons'])}）")],
    "shifan.applications.application_withdrawn.v1": lambda d: [
        (_city(d), f"申报已撤回：{d['unit_name']}")],
    "shifan.applications.application_recommended.v1": lambda d: [
        (_applicant(d), f"您的申报已获推荐：{d['unit_name']}"),
        (PROVINCE, f"新的推荐申报：{d['unit_name']}")],
    "shifan.applications.application_declined.v1": lambda d: [
        (_applicant(d), f"您的申报未获推荐：{d['unit_name']}（{d['reason']}）"),
        (PROVINCE, f"申报未获推荐：{d['unit_name']}")],
    "shifan.review.review_opened.v1": lambda d: [
        (_applicant(d), f"专家评审已开始：{d['unit_name']}"),
        ("experts", f"新的评审任务：{d['unit_name']}")],
    "shifan.review.review_scored.v1": lambda d: [
        (PROVINCE, f"评审 {d['review_id']} 收到一份专家评分")],
    "shifan.review.review_concluded.v1": lambda d: [
        (PROVINCE, f"评审 {d['review_id']} 已结束：{'通过' if d['passed'] else '未通过'}")],
    "shifan.review.review_listed.v1": lambda d: [
        (PROVINCE, f"评审 {d['review_id']} 已列入公示 {d['notice_id']}")],
    "shifan.review.expert_recused.v1": lambda d: [
        (PROVINCE, f"评审 {d['review_id']} 有专家回避，已自动补充或待指派")],
    "shifan.review.criterion_overridden.v1": lambda d: [
        (PROVINCE, f"评审 {d['review_id']} 的资格条件 {d['criterion_id']} 经省厅决定放宽：{d['reason']}")],
    "shifan.review.objection_filed.v1": lambda d: [
        (PROVINCE, f"公示 {d['notice_id']} 收到一条异议，待处理")],
    "shifan.review.objection_resolved.v1": lambda d: [
        (PROVINCE, f"公示 {d['notice_id']} 的异议已{'成立' if d['decision'] == 'upheld' else '驳回'}：{d['reason']}")],
    "shifan.review.rereview_concluded.v1": lambda d: [
        (PROVINCE, f"复核结论：{'确认' if d['outcome'] == 'confirm' else '撤销'}（单位 {d['unit_id']}）")],
    "shifan.registry.rereview_requested.v1": lambda d: [
        (_applicant(d), f"{d['unit_name']}（{d['certificate_no']}）进入两年一次的复核，请确保已报送最新统计报表"),
        (PROVINCE, f"{d['unit_name']}（{d['certificate_no']}）复核到期，已申请复核")],
    "shifan.registry.unit_confirmed.v1": lambda d: [
        (PROVINCE, f"{d['certificate_no']} 复核合格，予以确认，下次复核 {d['rereview_due']}")],
    "shifan.registry.unit_revoked.v1": lambda d: [
        (PROVINCE, f"{d['certificate_no']} 已撤销授牌（{d['revoked_on']}）：{'；'.join(d['reasons'])}")],
    "shifan.registry.unit_given_up.v1": lambda d: [
        (PROVINCE, f"{d['certificate_no']} 主动放弃称号（{d['given_up_on']}）")],
    "shifan.registry.unit_certified.v1": lambda d: [
        (_applicant(d), f"恭喜！{d['unit_name']} 获评{d['title']}，证书编号 {d['certificate_no']}"),
        (_city(d), f"{d['unit_name']} 获评{d['title']}"),
        (PROVINCE, f"已授牌：{d['unit_name']}（{d['certificate_no']}）")],
    "shifan.registry.grant_paid.v1": lambda d: [
        (_applicant(d), f"{d['unit_name']} 获得{d['year']}年度补助 {d['amount']} 元（{d['scheme']}：{d['basis']}）"),
        (PROVINCE, f"已拨付补助：{d['unit_name']} {d['amount']} 元（{d['scheme']}）")],
    # the national cities' plans (ADR 42): the city government, the coordination group, each ministry
    "shifan.review.plan_proposed.v1": lambda d: [
        (COORDINATOR, f"{d['city_name']}提交了创建国家电子商务示范城市工作方案，待讨论")],
    "shifan.review.plan_opinion_given.v1": lambda d: [
        (_applicant(d), f"协调小组对{d['city_name']}创建方案（第{d['version']}稿）提出第{d['round']}轮修改意见，"
                        "请修改完善后提交")],
    "shifan.review.plan_revised.v1": lambda d: [
        (COORDINATOR, f"{d['city_name']}提交了创建方案修改稿（第{d['version']}稿）")],
    "shifan.review.plan_accepted.v1": lambda d: [
        (_applicant(d), f"{d['city_name']}创建方案（第{d['version']}稿）已正式受理，报{len(d['approvers'])}个部门批复"),
        *((f"ministry:{a}", f"{d['city_name']}创建方案（第{d['version']}稿）已正式受理，待贵部门批复")
          for a in d["approvers"])],
    "shifan.review.plan_approved.v1": lambda d: [
        (_applicant(d), f"{d['city_name']}创建方案已获各部门批复，待分批确定"),
        (COORDINATOR, f"{d['city_name']}创建方案已获各部门批复，可列入批次")] if d["jointly_approved"] else [],
    "shifan.review.plan_sent_back.v1": lambda d: [
        (_applicant(d), f"{d['approver']}退回{d['city_name']}创建方案（第{d['version']}稿），请修改完善后重新提交"),
        (COORDINATOR, f"{d['approver']}退回{d['city_name']}创建方案，已给出的批复意见失效")],
    "shifan.registry.assessment_recorded.v1": lambda d: [  # the national cities (ADR 42)
        (_applicant(d), f"{d['unit_name']}（{d['certificate_no']}）{d['year']}年度考核结果：{d['result']}")],
    "shifan.registry.unit_commended.v1": lambda d: [
        (_applicant(d), f"{d['unit_name']} 获{d['year']}年度嘉奖：{d['citation']}")],
}

# Events that list several units: one set of deliveries per listed unit.
LIST_ROUTES = {
    "shifan.review.notice_published.v1": ("entries", lambda d, e: [
        (_applicant(e), f"{e['unit_name']} 已列入公示（{d['first_day']} 至 {d['last_day']}）")]),
    "shifan.review.notice_closed.v1": ("approved", lambda d, e: [
        (_applicant(e), f"{e['unit_name']} 公示期满，无异议")]),
}


def deliveries_for(event_type: str, data: dict) -> list[tuple[UUID | None, str, str]]:
    """(application id, recipient, text) for every party the event concerns; [] for none."""
    if event_type in ROUTES:
        return [(data.get("application_id"), r, t) for r, t in ROUTES[event_type](data)]
    if event_type in LIST_ROUTES:
        key, route = LIST_ROUTES[event_type]
        return [(entry["application_id"], r, t) for entry in data[key] for r, t in route(data, entry)]
    return []
