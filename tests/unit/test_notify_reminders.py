"""NotifyApp: reminders on the service clock — a re-review due in 60 / 30 / 7 days, a report due
and overdue, a notice about to close — each sent once, and none for a title that ended."""
from datetime import date, datetime, timezone
from uuid import uuid4

from shared.messaging.follower import PublicEvent

AT = datetime(2026, 12, 15, 1, 0, tzinfo=timezone.utc)
CREDIT = "91510104MA61XXXX0A"


def event(type_, **data):
    return PublicEvent(id=f"registry:{uuid4().int % 10_000}", type=type_, source=type_.split(".")[1],
                       subject="x", time=AT, data=data)


def certified(notify, unit_id):
    notify.save(*notify.prepare_watches(event(
        "shifan.registry.unit_certified.v1", unit_id=unit_id, credit_code=CREDIT, unit_name="成都蜀锦电子商务有限公司",
        rereview_due=date(2028, 12, 15), valid_from=date(2026, 12, 15))))


def reminders(notify, recipient=f"applicant:{CREDIT}"):
    return [d.text for d in notify.deliveries(recipient=recipient) if d.event_type.startswith("shifan.notify.reminder")]


def test_a_rereview_is_reminded_60_30_and_7_days_before_each_once(notify):
    certified(notify, uuid4())

    for day in (date(2028, 10, 15), date(2028, 10, 16), date(2028, 11, 15), date(2028, 12, 8), date(2028, 12, 9)):
        notify.send_reminders(day, AT)

    texts = [t for t in reminders(notify) if "复核" in t]
    assert [t.split("还有 ")[1].split(" 天")[0] for t in texts] == ["60", "30", "7"]
    assert any("复核" in t for t in reminders(notify, "province"))


def test_a_service_back_after_weeks_sends_only_the_latest_reminder(notify):
    certified(notify, uuid4())

    notify.send_reminders(date(2028, 12, 10), AT)  # 60, 30 and 7 days before have all passed

    assert [t.split("还有 ")[1].split(" 天")[0] for t in reminders(notify) if "复核" in t] == ["7"]


def test_a_yearly_report_is_reminded_before_it_is_due_and_when_overdue_unless_submitted(notify):
    filed, silent = uuid4(), uuid4()
    certified(notify, filed)
    certified(notify, silent)
    notify.save(*notify.prepare_watches(event("shifan.registry.report_submitted.v1", unit_id=filed, year=2026)))

    notify.send_reminders(date(2027, 3, 1), AT)
    notify.send_reminders(date(2027, 4, 1), AT)

    texts = [t for t in reminders(notify) if "报表" in t]
    assert len([t for t in texts if "应于 2027-03-31 前报送 /" in t]) == 1  # only the silent unit
    assert len([t for t in texts if "已逾期" in t]) == 1


def test_no_reminder_for_a_revoked_unit(notify):
    unit_id = uuid4()
    certified(notify, unit_id)
    notify.save(*notify.prepare_watches(event("shifan.registry.unit_revoked.v1", unit_id=unit_id)))

    notify.send_reminders(date(2028, 12, 10), AT)

    assert reminders(notify) == []


def test_a_dispatch_given_up_and_sent_again_is_tried_again(notify):
    from services.notify.channels import SendFailed

    class Down:
        def send(self, dispatch, subscription, now_ts):
            raise SendFailed("503")

    class Up:
        sent = []

        def send(self, dispatch, subscription, now_ts):
            Up.sent.append(dispatch.id)

    notify.subscribe("province", "email", "ops@commerce.sc.example.cn", [], by="operator")
    notify.save(*notify.prepare_dispatches(
        event("shifan.registry.unit_certified.v1", unit_id=uuid4(), credit_code=CREDIT, unit_name="x",
              region_code="510104", certificate_no="SCDS-2026-00001", title="t", rereview_due=date(2028, 12, 15)),
        notify.prepare_deliveries("registry:1", "shifan.registry.unit_certified.v1",
                                  {"credit_code": CREDIT, "unit_name": "x", "region_code": "510104",
                                   "certificate_no": "SCDS-2026-00001", "title": "t", "application_id": None},
                                  AT)))
    notify.dispatch_due(AT, Down(), max_attempts=1)
    notify.dispatch_due(AT, Down(), max_attempts=1)  # a later tick: the dispatcher now skips it as settled
    (given_up,) = notify.dispatches(status="given_up")

    notify.resend(given_up.id, by="operator", at=AT)
    notify.dispatch_due(AT, Up())

    assert Up.sent == [given_up.id]
    assert notify.dispatches(status="delivered")[0].id == given_up.id
