"""Contract fixtures: the envelopes the real producers emit when one application runs the whole course."""
from datetime import date, datetime, timezone

import pytest

from services.applications.app import ApplicationsApp
from services.notify.app import NotifyApp
from services.notify.policies import when_any_event_record_deliveries
from services.registry.app import RegistryApp
from services.registry.policies import when_notice_closed_certify_units
from services.review.app import ReviewApp
from services.review.policies import when_application_recommended_open_review
from shared.contracts import CONTRACTS
from shared.contracts.envelope import decode, encode
from shared.messaging.follower import PublicEvent
from shared.messaging.log import read_public_log

from givens import round_of, submitted

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


@pytest.fixture(scope="module")
def produced() -> list[dict]:
    """Every envelope of all four services' logs after: submit two, recommend one, decline one,
    review and pass it, publish and close its notice, certify it, notify everybody concerned."""
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
    applications.recommend(chosen, by="510100", at=AT)
    applications.raise_quota(round_of(applications), "510700", "enterprise", 1, "省级专题会议决定", by="operator", at=AT)
    applications.decline(other, by="510700", reason="材料不全", at=AT)
    applications_log = read_public_log(applications, 0, 100)

    _follow(review, applications_log, when_application_recommended_open_review,
            "shifan.applications.application_recommended.v1")
    review_id = review.review_of_application(chosen).id
    review.assign(review_id, ["expert-1"])
    review.score(review_id, "expert-1", 82, AT)
    notice = review.publish_notice([review_id], date(2026, 12, 1))
    review.close_notice(notice.id, date(2026, 12, 15))
    review_log = read_public_log(review, 0, 100)

    _follow(registry, review_log, when_notice_closed_certify_units, "shifan.review.notice_closed.v1")
    registry_log = read_public_log(registry, 0, 100)

    for upstream_log in (applications_log, review_log, registry_log):
        _follow(notify, upstream_log, when_any_event_record_deliveries)
    return applications_log + review_log + registry_log + read_public_log(notify, 0, 100)
