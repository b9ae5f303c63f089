"""Random sequences of commands through applications, review and registry (in-memory stores, the
followers reading each upstream log directly), with the invariants checked after every step:
replaying the events gives the state the commands left; no unit is certified without a passed
review and a closed notice; no quota is exceeded without a recorded raise; a unit that lost its
title is never in today's registry; no expert scores a review it was conflicted on; a refused
command writes nothing."""
from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone

from hypothesis import event, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from shared.clock import china_date
from shared.errors import ShifanError
from shared.messaging.follower import Follower
from shared.messaging.log import read_public_log
from shared.programs import load_program
from shared.regions import PROVINCE, recommender_for
from shared.samples import PROGRAM, credit_code, sample_application

from services.applications.app import ApplicationsApp
from services.applications.domain import RECOMMENDED, Application, Quota, Round
from services.registry.app import RegistryApp
from services.registry.domain import HOLDING, Unit
from services.registry.policies import FROM_REVIEW
from services.registry.readmodel import RegistryView
from services.review.app import ReviewApp
from services.review.domain import OPEN, PASSED, Expert, Review
from services.review.notices import NOTICE_CLOSED, Notice
from services.review.policies import FROM_APPLICATIONS, FROM_REGISTRY

MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
START = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)  # 10:00 on a Monday in China
REGIONS = ("510104", "510182", "510703", "510722", "511002")  # Chengdu (exempt) x2, Mianyang x2, Neijiang
KINDS = ("b2b", "b2b", "traditional", "base", "county")
EXPERTS = ("E1", "E2", "E3", "E4")
PROGRAM_ = load_program(PROGRAM)

pick = st.integers(min_value=0, max_value=10_000)


def chosen(items, index):
    items = list(items)
    return items[index % len(items)]


def state_of(aggregate) -> dict:
    return copy.deepcopy({k: v for k, v in vars(aggregate).items() if k != "_pending_events"})


def observe(app, states: dict) -> None:
    """Keeps the state of every aggregate as the command or policy that saved it left it."""
    save, record = app.save, app.record

    def saving(*objs, **kwargs):
        result = save(*objs, **kwargs)
        for obj in objs:
            states[obj.id] = state_of(obj)
        return result

    def recording(processing_event):
        record(processing_event)
        for obj in processing_event.aggregates.values():
            states[obj.id] = state_of(obj)

    app.save, app.record = saving, recording


def log_events(app):
    """Every domain event of the app, in log order."""
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=500)
        for notification in page:
            yield app.mapper.to_domain_event(notification)
        if len(page) < 500:
            return
        start = page[-1].id + 1


class Lifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.applications = ApplicationsApp(env=MEMORY)
        self.review = ReviewApp(env=MEMORY)
        self.registry = RegistryApp(env=MEMORY)
        self.apps = (self.applications, self.review, self.registry)
        self.states = {app.name: {} for app in self.apps}
        for app in self.apps:
            observe(app, self.states[app.name])
        self.followers = {
            "review<-applications": self._follower(self.review, self.applications, FROM_APPLICATIONS),
            "registry<-review": self._follower(self.registry, self.review, FROM_REVIEW),
            "review<-registry": self._follower(self.review, self.registry, FROM_REGISTRY),
        }
        self.view = RegistryView(":memory:")
        self.now = START
        self.rounds: list = []

    @staticmethod
    def _follower(app, upstream, policies):
        return Follower(app, upstream.name, policies, lambda after, limit: read_public_log(upstream, after, limit),
                        amqp_uri="unused")

    def teardown(self):
        """Tells the statistics (`--hypothesis-show-statistics`) how far each sequence got."""
        units = list(map(self.registry.unit, self.registry.ids_with_events(Unit.Certified)))
        event(f"units certified: {min(len(units), 3)}{'+' if len(units) >= 3 else ''}")
        event(f"a unit lost its title: {any(not u.holds_title for u in units)}")
        event(f"a re-review concluded: {any(u.rereviews_concluded for u in units)}")
        self.view.close()

    @property
    def today(self) -> date:
        return china_date(self.now)

    def attempt(self, command):
        """Runs a command; a refusal (400/404/409) must leave every store as it was."""
        before = [app.recorder.max_notification_id() for app in self.apps]
        try:
            return command()
        except ShifanError:
            assert [app.recorder.max_notification_id() for app in self.apps] == before, "a refused command wrote"
            return None

    # -- set-up ------------------------------------------------------------------------------------
    @initialize()
    def pool_and_round(self):
        organisation_of = {"E2": credit_code("510703", 1)}
        interests_of = {"E3": [credit_code("510104", 2)]}
        for expert_id in EXPERTS:
            self.review.register_expert(expert_id=expert_id, name=f"专家{expert_id}", organisation="某研究院",
                                        organisation_credit_code=organisation_of.get(expert_id), region_code="510100",
                                        interests=interests_of.get(expert_id, []), by="operator")
        self.open_round()
        # two drafts to start from, so that most sequences have something to move along
        self.draft(n=1, region="510703", kind="b2b", eligible=True, provincial=False)
        self.draft(n=2, region="510104", kind="base", eligible=True, provincial=False)

    # -- applications ------------------------------------------------------------------------------
    @rule()
    def open_round(self):
        label = f"r{len(self.rounds) + 1}"
        round_ = self.attempt(lambda: self.applications.open_round(PROGRAM, label, self.today + timedelta(days=60),
                                                                   by="operator", at=self.now))
        if round_ is not None:
            self.rounds.append(round_.id)

    @rule(n=st.integers(1, 4), region=st.sampled_from(REGIONS), kind=st.sampled_from(KINDS),
          eligible=st.booleans(), provincial=st.sampled_from((False, False, False, True)))
    def draft(self, n, region, kind, eligible, provincial):
        body = sample_application(n, region_code=region, kind=kind)
        if not eligible and kind == "b2b":
            body["figures"]["registered_capital"] = 1_000_000  # under 200万: a criterion fails
        provincial = provincial and kind in ("b2b", "traditional")
        self.attempt(lambda: self.applications.draft(round_id=self.rounds[-1], provincial_level=provincial,
                                                     by=body["credit_code"], at=self.now,
                                                     **{k: v for k, v in body.items() if k != "round_id"}))

    def _application(self, index):
        return self.applications.application(chosen(self.applications.ids_with_events(Application.Drafted), index))

    def _has(self, app, event_class) -> bool:
        return next(iter(app.ids_with_events(event_class)), None) is not None

    @precondition(lambda self: self._has(self.applications, Application.Drafted))
    @rule(index=pick, region=st.sampled_from(REGIONS), name=st.booleans())
    def amend(self, index, region, name):
        application = self._application(index)
        changes = {"region_code": region}
        if name:
            changes["unit_name"] = application.unit_name + "（更名）"
        self.attempt(lambda: self.applications.amend(application.id, changes, by=application.credit_code, at=self.now))

    @precondition(lambda self: self._has(self.applications, Application.Drafted))
    @rule(index=pick, action=st.sampled_from(("submit", "withdraw", "return", "recommend", "decline")))
    def act_on_application(self, index, action):
        application = self._application(index)
        app, decider = self.applications, application.recommender
        commands = {
            "submit": lambda: app.submit(application.id, by=application.credit_code, at=self.now),
            "withdraw": lambda: app.withdraw(application.id, by=application.credit_code, reason="不再申报", at=self.now),
            "return": lambda: app.return_for_correction(application.id, ["材料不全"], by=decider, at=self.now),
            "recommend": lambda: app.recommend(application.id, by=decider, at=self.now),
            "decline": lambda: app.decline(application.id, by=decider, reason="不符合条件", at=self.now),
        }
        self.attempt(commands[action])

    @precondition(lambda self: self._has(self.applications, Application.Drafted))
    @rule(index=pick)
    def carry_forward(self, index):
        """The next step of the usual path: a draft or returned application is submitted, a
        submitted one recommended (so that sequences often reach review and the registry)."""
        application = self._application(index)
        if application.status in ("draft", "returned"):
            self.attempt(lambda: self.applications.submit(application.id, by=application.credit_code, at=self.now))
        elif application.status == "submitted":
            self.attempt(lambda: self.applications.recommend(application.id, by=application.recommender, at=self.now))

    @rule(recommender=st.sampled_from(("510100", "510700", "511000", PROVINCE)),
          unit_type=st.sampled_from(("enterprise", "base", "rural_county")), extra=st.integers(1, 2))
    def raise_quota(self, recommender, unit_type, extra):
        self.attempt(lambda: self.applications.raise_quota(self.rounds[-1], recommender, unit_type, extra,
                                                           "省商务厅专题会议同意增加名额", by="operator", at=self.now))

    # -- the followers -----------------------------------------------------------------------------
    @rule(which=st.sampled_from(("review<-applications", "registry<-review", "review<-registry")))
    def deliver(self, which):
        self.followers[which].catch_up()

    # -- review ------------------------------------------------------------------------------------
    def _review(self, index):
        return self.review.review(chosen(self.review.ids_with_events(Review.Opened), index))

    @rule(expert=st.sampled_from(EXPERTS), n=st.integers(1, 4), region=st.sampled_from(REGIONS))
    def declare_interest(self, expert, n, region):
        self.attempt(lambda: self.review.declare_interests(expert, [credit_code(region, n)], by=expert))

    @precondition(lambda self: self._has(self.review, Review.Opened))
    @rule(index=pick, expert=st.sampled_from(EXPERTS))
    def declare_interest_in_a_reviewed_unit(self, index, expert):
        """An expert, perhaps one already on the panel, declares an interest in a unit under review."""
        review = self._review(index)
        self.attempt(lambda: self.review.declare_interests(expert, [review.credit_code], by=expert))

    @precondition(lambda self: self._has(self.review, Review.Opened))
    @rule(index=pick, expert=st.sampled_from(EXPERTS))
    def assign(self, index, expert):
        self.attempt(lambda: self.review.assign(self._review(index).id, [expert]))

    @precondition(lambda self: self._has(self.review, Review.Opened))
    @rule(index=pick, which=pick)
    def recuse(self, index, which):
        review = self._review(index)
        if review.experts:
            self.attempt(lambda: self.review.recuse(review.id, chosen(review.experts, which), "与申报单位有合作"))

    @precondition(lambda self: self._has(self.review, Review.Opened))
    @rule(index=pick, which=pick, points=st.sampled_from((40, 59, 60, 85)))
    def score(self, index, which, points):
        review = self._review(index)
        if review.experts:
            items = {item["id"]: points for item in review.scoring}
            self.attempt(lambda: self.review.score(review.id, chosen(review.experts, which), items, at=self.now))

    @precondition(lambda self: self._has(self.review, Review.Opened))
    @rule(index=pick)
    def panel_passes(self, index):
        """Every expert assigned to an open review gives it 85 (the usual path)."""
        review = self._review(index)
        for expert_id in review.experts:
            items = {item["id"]: 85 for item in review.scoring}
            self.attempt(lambda: self.review.score(review.id, expert_id, items, at=self.now))

    @precondition(lambda self: self._has(self.review, Review.Opened))
    @rule(index=pick, which=pick)
    def override(self, index, which):
        review = self._review(index)
        criterion = chosen(review.failed_criteria() or ["no_such_criterion"], which)
        self.attempt(lambda: self.review.override(review.id, criterion, "省商务厅认定其情况特殊", by="operator", at=self.now))

    @rule()
    def publish_notice(self):
        self.attempt(lambda: self.review.publish_notice(None, today=self.today))

    @precondition(lambda self: self._has(self.review, Notice.Published))
    @rule(index=pick, which=pick)
    def object(self, index, which):
        notice = self.review.notice(chosen(self.review.ids_with_events(Notice.Published), index))
        entry = chosen(notice.entries, which)
        self.attempt(lambda: self.review.file_objection(notice.id, entry["application_id"], name="王五",
                                                        contact="13800000000", reason="该企业存在虚报数据的情况",
                                                        today=self.today, at=self.now))

    @precondition(lambda self: self._has(self.review, Notice.Published))
    @rule(index=pick, which=pick, decision=st.sampled_from(("upheld", "dismissed")))
    def resolve(self, index, which, decision):
        notice = self.review.notice(chosen(self.review.ids_with_events(Notice.Published), index))
        if notice.objections:
            objection_id = chosen(list(notice.objections), which)  # filing order
            self.attempt(lambda: self.review.resolve_objection(notice.id, objection_id, decision, "经核查",
                                                               by="operator", at=self.now))

    # -- registry ----------------------------------------------------------------------------------
    def _unit(self, index):
        return self.registry.unit(chosen(self.registry.ids_with_events(Unit.Certified), index))

    @precondition(lambda self: self._has(self.registry, Unit.Certified))
    @rule(index=pick, action=st.sampled_from(("revoke", "give_up", "report", "amend")))
    def act_on_unit(self, index, action):
        unit = self._unit(index)
        report = sample_application(1, region_code=unit.region_code, kind=_kind_of(unit))
        commands = {
            "revoke": lambda: self.registry.revoke(unit.id, "violation", "川市监罚〔2027〕1号", "", today=self.today),
            "give_up": lambda: self.registry.give_up(unit.id, "业务调整", today=self.today),
            "report": lambda: self.registry.submit_report(unit.id, self.today.year - 1, report["figures"],
                                                          report["declarations"], today=self.today),
            "amend": lambda: self.registry.amend(unit.id, {"unit_name": unit.unit_name + "新"}, "更名",
                                                 today=self.today),
        }
        self.attempt(commands[action])

    # -- time and the timers -----------------------------------------------------------------------
    @rule(days=st.sampled_from((1, 3, 15, 400)))
    def time_passes(self, days):
        self.now += timedelta(days=days)

    @rule()
    def everything_moves_on(self):
        """Every application, review and notice takes the next step of the usual path, in one go:
        so that random sequences often reach the registry, and then the re-review."""
        for index in range(len(list(self.applications.ids_with_events(Application.Drafted)))):
            self.carry_forward(index)
        self.deliver_everything()
        for index in range(len(list(self.review.ids_with_events(Review.Opened)))):
            self.panel_passes(index)
        self.publish_notice()
        self.a_fortnight_passes()
        self.deliver_everything()

    @rule()
    def deliver_everything(self):
        for follower in self.followers.values():
            follower.catch_up()

    @rule()
    def a_fortnight_passes(self):
        self.now += timedelta(days=15)
        self.timers()

    @rule()
    def two_years_pass(self):
        self.now += timedelta(days=731)
        self.timers()
        self.deliver_everything()

    @rule()
    def timers(self):
        """What the services' timers do: close notices that are due, ask for re-reviews that are due."""
        self.review.close_due_notices(self.today)
        self.view.catch_up(self.registry)
        self.registry.request_due_rereviews(self.today, self.view.due_for_rereview(self.today))

    # -- invariants ---------------------------------------------------------------------------------
    @invariant()
    def replaying_the_events_gives_the_same_state(self):
        for app in self.apps:
            for aggregate_id, state in self.states[app.name].items():
                replayed = state_of(app.repository.get(aggregate_id))
                assert replayed == state, f"{app.name} {aggregate_id}: replayed {replayed} != saved {state}"

    @invariant()
    def no_unit_is_certified_without_a_passed_review_and_a_closed_notice(self):
        for unit in map(self.registry.unit, self.registry.ids_with_events(Unit.Certified)):
            review = self.review.review_of_application(unit.application_id)
            notice = self.review.notice(unit.notice_id)
            assert review.status == PASSED and review.notice_id == notice.id, (unit.certificate_no, review.status)
            assert notice.status == NOTICE_CLOSED
            assert str(unit.application_id) in {e["application_id"] for e in notice.approved}

    @invariant()
    def no_quota_is_exceeded_without_a_recorded_raise(self):
        recommended: dict = {}
        for application in self.applications.applications():
            if application.status == RECOMMENDED:
                key = Quota.create_id(application.round_id, application.recommender, application.unit_type)
                recommended.setdefault(key, set()).add(application.id)
        quotas = {q: self.applications.repository.get(q) for q in self.applications.ids_with_events(Quota.Opened)}
        assert set(recommended) <= set(quotas), "a recommendation took no quota"
        for quota_id, quota in quotas.items():
            assert set(quota.used) == recommended.get(quota_id, set()) and len(quota.used) == len(set(quota.used))
            if quota.limit is None:
                assert quota.recommender == PROVINCE or PROGRAM_.quota_for(quota.recommender, quota.unit_type) is None
                continue
            assert all(r["reason"].strip() and r["by"] for r in quota.raises)
            assert len(quota.used) <= quota.limit + sum(r["extra"] for r in quota.raises)

    @invariant()
    def every_application_goes_to_the_authority_of_its_region(self):
        for application in self.applications.applications():
            expected = PROVINCE if application.provincial_level else recommender_for(application.region_code)
            assert application.recommender == expected, (application.region_code, application.recommender)

    @invariant()
    def a_unit_without_its_title_is_never_in_todays_registry(self):
        self.view.catch_up(self.registry)
        _, listed = self.view.search(self.today, limit=1000)
        listed_ids = {row["id"] for row in listed}
        for unit in map(self.registry.unit, self.registry.ids_with_events(Unit.Certified)):
            assert (str(unit.id) in listed_ids) == (unit.status in HOLDING), (unit.certificate_no, unit.status)

    @invariant()
    def no_expert_scores_a_review_it_is_conflicted_on(self):
        employer, interests, unit_of = {}, {}, {}
        for event in log_events(self.review):
            if isinstance(event, Expert.Registered):
                employer[event.expert_id] = event.organisation_credit_code
                interests[event.expert_id] = set(event.interests)
            elif isinstance(event, Expert.InterestsDeclared):
                interests[self.review.repository.get(event.originator_id).expert_id].update(event.credit_codes)
            elif isinstance(event, Review.Opened):
                unit_of[event.originator_id] = event.credit_code
            elif isinstance(event, Review.Scored):
                code = unit_of[event.originator_id]
                assert employer[event.expert_id] != code and code not in interests[event.expert_id], (
                    f"{event.expert_id} scored the review of {code} while conflicted")

    @invariant()
    def an_open_review_never_has_more_experts_than_it_takes(self):
        for review in self.review.reviews():
            assert len(review.experts) <= review.experts_required
            assert review.status != OPEN or len(review.scores) < review.experts_required


def _kind_of(unit) -> str:
    return {"b2b_platform": "b2b", "traditional_enterprise": "traditional"}.get(unit.subtype) or (
        "base" if unit.unit_type == "base" else "county")


TestLifecycle = Lifecycle.TestCase
