"""What an email says about an event: Chinese first, then English, from one template per type."""
from __future__ import annotations

from shared.programs import load_program
from shared.regions import city_name

# event type -> (subject, Chinese body, English body); fields come from the event's data plus `city`
TEMPLATES = {
    "shifan.applications.application_submitted.v1": (
        "已收到申报 / Application received: {unit_name}",
        "{unit_name}（{city}）的电子商务示范申报已提交，等待{recommender}审核。",
        "The e-commerce demonstration application of {unit_name} ({city}) was submitted and awaits its department."),
    "shifan.applications.application_returned.v1": (
        "申报退回修改 / Application returned: {unit_name}",
        "{unit_name}（{city}）的申报被退回修改，原因：{reasons_text}。请修改后重新提交。",
        "The application of {unit_name} ({city}) was returned for correction: {reasons_text}."),
    "shifan.applications.application_recommended.v1": (
        "申报已获推荐 / Application recommended: {unit_name}",
        "{unit_name}（{city}）的申报已由{city}商务主管部门推荐至省商务厅，进入专家评审。",
        "The application of {unit_name} ({city}) was recommended by the {city} commerce department to the province."),
    "shifan.applications.application_declined.v1": (
        "申报未获推荐 / Application not recommended: {unit_name}",
        "{unit_name}（{city}）的申报未获推荐，原因：{reason}。",
        "The application of {unit_name} ({city}) was not recommended: {reason}."),
    "shifan.registry.unit_certified.v1": (
        "授牌通知 / Title awarded: {unit_name}",
        "恭喜！{unit_name}（{city}）获评{title}，证书编号 {certificate_no}{rereview_zh}。",
        "{unit_name} ({city}) was awarded the title {title}, certificate {certificate_no}{rereview_en}."),
    "shifan.registry.rereview_requested.v1": (
        "复核通知 / Re-review due: {unit_name}",
        "{unit_name}（{city}）的示范称号（{certificate_no}）进入两年一次的复核。",
        "The title of {unit_name} ({city}), certificate {certificate_no}, is due for its two-yearly re-review."),
}
GENERIC = ("Shifan 通知 / notice: {type}", "{text}", "An event concerning you: {type}.")


def render(event_type: str, data: dict, text: str) -> tuple[str, str]:
    """(subject, body) of the email telling a party about an event."""
    subject, zh, en = TEMPLATES.get(event_type, GENERIC)
    region = data.get("region_code") or ""
    values = {**data, "type": event_type, "text": text,
              "city": (city_name(region) or region) if region else "",
              "reasons_text": "；".join(data.get("reasons") or [])}
    if data.get("rereview_due") and _rereviews(data.get("program_id")):
        values["rereview_zh"] = f"，下次复核 {data['rereview_due']}"
        values["rereview_en"] = f"; re-review due {data['rereview_due']}"
    values["recommender"] = city_name(data["recommender"]) if data.get("recommender", "")[:2] == "51" and \
        data.get("recommender") != "510000" else "省商务厅"
    fill = _Lenient(values)
    return subject.format_map(fill), f"{zh.format_map(fill)}\n\n{en.format_map(fill)}\n"


def _rereviews(program_id: str | None) -> bool:
    """Whether the program re-reviews its units (the national cities are assessed yearly instead)."""
    if not program_id:
        return False
    try:
        return load_program(program_id).has_stage("re_review")
    except LookupError:
        return False


class _Lenient(dict):
    def __missing__(self, key):
        return ""
