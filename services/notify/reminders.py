"""Which dates each public event starts, moves or ends a watch over, and what a reminder says."""
from __future__ import annotations

from datetime import date

PROVINCE = "province"

# kind -> offsets in days before the date (negative: after it, overdue)
OFFSETS = {"round_deadline": [7, 1], "notice_closing": [2], "rereview": [60, 30, 7], "report": [30, -1]}


def report_due(year: int) -> date:
    """A unit's statistical report for a year is due by 31 March of the next."""
    return date(year + 1, 3, 31)


def watch_actions(event_type: str, d: dict) -> list[tuple]:
    """("start", kind, subject, due_on, recipients, label) | ("move", kind, subject, due_on) |
    ("stop", kind, subject, reason)."""
    kind = event_type.split(".")[2]
    if kind == "round_opened":
        return [("start", "round_deadline", str(d["round_id"]), d["submission_deadline"], [PROVINCE],
                 f"第 {d['label']} 轮申报")]
    if kind == "notice_published":
        return [("start", "notice_closing", str(d["notice_id"]), d["last_day"], [PROVINCE], "公示")]
    if kind == "notice_closed":
        return [("stop", "notice_closing", str(d["notice_id"]), "closed")]
    if kind == "unit_certified":
        parties = [f"applicant:{d['credit_code']}", PROVINCE]
        return [("start", "rereview", str(d["unit_id"]), d["rereview_due"], parties, d["unit_name"]),
                ("start", "report", str(d["unit_id"]), report_due(d["valid_from"].year), parties[:1], d["unit_name"])]
    if kind == "unit_confirmed":
        return [("move", "rereview", str(d["unit_id"]), d["rereview_due"])]
    if kind == "report_submitted":
        return [("move", "report", str(d["unit_id"]), report_due(d["year"] + 1))]
    if kind in ("unit_revoked", "unit_given_up"):
        return [("stop", "rereview", str(d["unit_id"]), kind), ("stop", "report", str(d["unit_id"]), kind)]
    return []


def reminder_text(kind: str, label: str, due_on: date, offset: int) -> str:
    if kind == "round_deadline":
        return f"{label}将于 {due_on} 截止，还有 {offset} 天 / submissions close on {due_on}"
    if kind == "notice_closing":
        return f"{label}将于 {due_on} 结束，请及时处理未决异议 / the notice ends on {due_on}"
    if kind == "rereview":
        return f"{label}的示范称号将于 {due_on} 复核，还有 {offset} 天 / re-review due on {due_on}"
    if offset < 0:
        return f"{label}的年度统计报表已逾期（应于 {due_on} 前报送）/ the yearly report is overdue since {due_on}"
    return f"{label}的年度统计报表应于 {due_on} 前报送 / the yearly report is due by {due_on}"
