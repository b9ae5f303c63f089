"""Stored history made in-process, fast: the services' own aggregates and Application classes on
SQLite files (AES-encrypted like the services'), their events written in batches of 1,000 per
transaction rather than one command at a time. What a store holds is what the lifecycle over HTTP
leaves: rounds, applications submitted and recommended, quotas, reviews scored and listed, one
notice per review, published and closed; certified units with amendments in the registry."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID, uuid4

from services.applications.app import ApplicationsApp
from services.applications.domain import Application, Quota, Round
from services.registry.app import RegistryApp
from services.registry.domain import Unit
from services.review.app import ReviewApp
from services.review.domain import Expert, Review
from services.review.notices import Notice
from shared.keys import ensure_local_keys
from shared.programs import load_program
from shared.samples import PROGRAM, credit_code, sample_application

REGION, CITY = "510104", "510100"
PER_ROUND = 500
BATCH = 1_000
AT = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)
EXPERTS = [f"E{n:03d}" for n in range(1, 11)]


def open_app(app_class, var: Path, name: str | None = None):
    keys = ensure_local_keys(var)
    service = app_class.name
    return app_class(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                          "SQLITE_DBNAME": str(var / f"{name or service}.sqlite"),
                          "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
                          "CIPHER_KEY": keys.cipher_keys[service]})


class _Writer:
    """Collects aggregates' new events and inserts them a thousand at a time."""

    def __init__(self, app):
        self.app, self.pending, self.written = app, [], 0

    def add(self, *aggregates) -> None:
        for aggregate in aggregates:
            self.pending += aggregate.collect_events()
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.app.recorder.insert_events([self.app.mapper.to_stored_event(e) for e in self.pending])
            self.written += len(self.pending)
            self.pending = []


def fill_applications_and_review(apps: ApplicationsApp, review: ReviewApp, events_each: int) -> int:
    """Lifecycles, up to a closed notice, until each store holds about `events_each` events;
    returns how many lifecycles that took."""
    program = load_program(PROGRAM)
    sample = sample_application(1, region_code=REGION)
    eligibility = program.evaluate({k: sample[k] for k in ("unit_type", "subtype", "region_code", "figures",
                                                           "declarations")} | {"provincial_level": False}).as_dict()
    scoring = [{"id": i.id, "label": i.label, "weight": i.weight} for i in program.review.scoring["enterprise"]]
    items = {i["id"]: 85 for i in scoring}
    a, r = _Writer(apps), _Writer(review)
    r.add(*[Expert(expert_id=e, name=f"专家{e}", organisation="四川省电子商务研究院", organisation_credit_code=None,
                   region_code="510100", interests=[], by="operator") for e in EXPERTS])
    n, round_, quota = 0, None, None
    while a.written + len(a.pending) < events_each or r.written + len(r.pending) < events_each:
        if n % PER_ROUND == 0:
            round_ = Round(program_id=PROGRAM, program_version=program.version, label=f"history-{n // PER_ROUND}",
                           submission_deadline=date(2026, 12, 31), by="operator", at=AT)
            quota = Quota(round_id=round_.id, recommender=CITY, unit_type="enterprise", limit=None)
            a.add(round_)
        n += 1
        body = sample_application(n, region_code=REGION)
        application = Application(round_id=round_.id, program_id=PROGRAM, credit_code=body["credit_code"],
                                  unit_name=body["unit_name"], unit_type=body["unit_type"], subtype=body["subtype"],
                                  region_code=REGION, provincial_level=False, recommender=CITY,
                                  contact=body["contact"], figures=body["figures"],
                                  declarations=body["declarations"], by="applicant", at=AT)
        application.submit(program.version, eligibility, by="applicant", at=AT)
        application.recommend(by=CITY, note="", at=AT)
        quota.take(application.id)
        a.add(application, quota)
        rev = Review(application_id=application.id, program_id=PROGRAM, program_version=program.version,
                     unit_name=body["unit_name"], unit_type="enterprise", subtype=body["subtype"],
                     region_code=REGION, credit_code=body["credit_code"], experts_required=1, pass_mark=60,
                     scoring=scoring, eligibility=eligibility, at=AT, round_id=round_.id)
        rev.assign([EXPERTS[n % len(EXPERTS)]])
        rev.score(EXPERTS[n % len(EXPERTS)], items, at=AT)
        notice = Notice(program_id=PROGRAM, entries=[rev.entry()], published_on=date(2026, 12, 1),
                        first_day=date(2026, 12, 2), last_day=date(2026, 12, 15), end_estimated=False)
        rev.list_on(notice.id)
        notice.close(date(2026, 12, 16))
        r.add(rev, notice)
    a.flush()
    r.flush()
    return n


def fill_registry(registry: RegistryApp, events: int, amendments: int = 9) -> list[UUID]:
    """Certified units, each amended `amendments` times, until the store holds `events` events;
    returns the units' ids."""
    w, units, n = _Writer(registry), [], 0
    while w.written + len(w.pending) < events:
        n += 1
        unit = _unit(n)
        for k in range(min(amendments, events - w.written - len(w.pending) - 1)):
            unit.amend({"unit_name": f"示范{n:05d}电子商务{'股份' if k % 2 == 0 else ''}有限公司"}, "更名",
                       date(2027, 1, 1) + timedelta(days=k))
        w.add(unit)
        units.append(unit.id)
    w.flush()
    return units


def unit_with_history(registry: RegistryApp, events: int) -> UUID:
    """One certified unit with `events` events in all: its certification and amendments, a day apart."""
    w, unit = _Writer(registry), _unit(0, application_id=uuid4())
    for k in range(events - 1):
        unit.amend({"unit_name": f"示范长史电子商务{'股份' if k % 2 == 0 else ''}有限公司"}, "更名",
                   date(2027, 1, 1) + timedelta(days=k))
        w.add(unit)
    w.add(unit)
    w.flush()
    return unit.id


def _unit(n: int, application_id: UUID | None = None) -> Unit:
    return Unit(application_id=application_id or uuid4(), certificate_no=f"SCDS-2026-{n:05d}",
                title="四川省电子商务示范企业", unit_name=f"示范{n:05d}电子商务有限公司", unit_type="enterprise",
                subtype="b2b_platform", region_code=REGION, credit_code=credit_code(REGION, n + 1),
                program_id=PROGRAM, notice_id=uuid4(), round_id=None, round_label=None,
                valid_from=date(2026, 12, 16), rereview_due=date(2028, 12, 16))
