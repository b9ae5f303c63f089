"""Commands and queries of the review service, on its event store."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from shared.contracts import review as public
from shared.errors import Conflict, InvalidInput, NotFound, guarded
from shared.eventstore import ServiceApplication
from shared.programs import load_program
from shared.workdays import working_day_period

from services.review.domain import PASSED, REREVIEW, Expert, Review, WrongState
from services.review.notices import NOTICE_OPEN, Notice
from services.review.planning import Planning
from services.review.plans import Batch, CityPlan


class ReviewApp(Planning, ServiceApplication):
    name = "review"
    public_events = {
        Expert.Registered: public.ExpertRegisteredV1,
        Expert.InterestsDeclared: public.ExpertInterestsDeclaredV1,
        Review.Opened: public.ReviewOpenedV1,
        Review.ExpertsAssigned: public.ExpertsAssignedV1,
        Review.ExpertRecused: public.ExpertRecusedV1,
        Review.Scored: public.ReviewScoredV1,
        Review.CriterionOverridden: public.CriterionOverriddenV1,
        Review.Concluded: public.ReviewConcludedV1,
        Review.RereviewConcluded: public.RereviewConcludedV1,
        Review.Listed: public.ReviewListedV1,
        Notice.Published: public.NoticePublishedV1,
        Notice.ObjectionFiled: public.ObjectionFiledV1,
        Notice.ObjectionResolved: public.ObjectionResolvedV1,
        Notice.Closed: public.NoticeClosedV1,
        CityPlan.Proposed: public.PlanProposedV1,       # city plans and batches (ADR 42)
        CityPlan.OpinionGiven: public.PlanOpinionGivenV1,
        CityPlan.Revised: public.PlanRevisedV1,
        CityPlan.Accepted: public.PlanAcceptedV1,
        CityPlan.Approved: public.PlanApprovedV1,
        CityPlan.SentBack: public.PlanSentBackV1,
        CityPlan.Batched: public.PlanBatchedV1,
        Batch.Approved: public.BatchApprovedV1,
    }

    def __init__(self, env: dict[str, str] | None = None):
        super().__init__(env)
        self._open_notices: set[UUID] = set()  # the notice timer's: notices not yet seen closed
        self._notices_seen = 0                 # how many published notices it has taken in

    # -- the expert pool
    def register_expert(self, *, expert_id: str, name: str, organisation: str,
                        organisation_credit_code: str | None, region_code: str, interests: list[str],
                        by: str) -> Expert:
        if self.exists(Expert.create_id(expert_id)):
            raise Conflict(f"expert {expert_id} is already in the pool")
        expert = Expert(expert_id=expert_id, name=name, organisation=organisation,
                        organisation_credit_code=organisation_credit_code, region_code=region_code,
                        interests=interests, by=by)
        self.save(expert)
        return expert

    def declare_interests(self, expert_id: str, credit_codes: list[str], by: str) -> Expert:
        expert = self.expert(expert_id)
        expert.declare_interests(credit_codes, by=by)
        self.save(expert)
        return expert

    def expert(self, expert_id: str) -> Expert:
        try:
            return self.get(Expert.create_id(expert_id), Expert, "expert")
        except NotFound:
            raise NotFound("expert", expert_id) from None

    def experts(self) -> list[Expert]:
        return [self.get(i, Expert, "expert") for i in self.ids_with_events(Expert.Registered)]

    def pick_experts(self, review: Review, count: int) -> list[str]:
        """Experts free of conflict with the unit, in an order that spreads reviews over the pool
        and is the same on every replay (a hash of review and expert)."""
        taken = set(review.experts) | set(review.recused)
        free = [e for e in self.experts() if e.expert_id not in taken and e.conflict_with(review.credit_code) is None]
        free.sort(key=lambda e: uuid.uuid5(review.id, e.expert_id))
        return [e.expert_id for e in free[:count]]

    # -- opening reviews (reactions to upstream events)
    def prepare_review(self, *, application_id: UUID, program_id: str, program_version: str, unit_name: str,
                       unit_type: str, subtype: str | None, region_code: str, credit_code: str,
                       eligibility: dict, at: datetime, round_id: UUID | None = None) -> Review | None:
        """A new, unsaved review of a recommended application, with the program's number of
        experts assigned where the pool allows; None if it is already open."""
        if self.exists(Review.create_id(application_id)) or not load_program(program_id).has_stage("expert_review"):
            return None  # opened already, or the program's next stage is not an expert review
        return self._open(application_id=application_id, program_id=program_id, program_version=program_version,
                          unit_name=unit_name, unit_type=unit_type, subtype=subtype, region_code=region_code,
                          credit_code=credit_code, eligibility=eligibility, at=at, round_id=round_id)

    def prepare_rereview(self, *, unit_id: UUID, application_id: UUID, program_id: str, unit_name: str,
                         unit_type: str, subtype: str | None, region_code: str, credit_code: str,
                         due_on: date, report: dict | None, at: datetime) -> Review | None:
        """A new, unsaved re-review of a certified unit: its latest statistical report judged by
        the same criteria; None if this due date's re-review is already open."""
        if self.exists(Review.create_id(application_id, kind=REREVIEW, unit_id=unit_id, due_on=due_on)):
            return None
        program = load_program(program_id)
        if not program.has_stage("re_review"):
            return None
        if report is None:
            eligibility = {"eligible": False, "criteria": [], "problem": "no statistical report was filed"}
        else:
            data = {"unit_type": unit_type, "subtype": subtype, "region_code": region_code,
                    "provincial_level": False, "figures": report["figures"], "declarations": report["declarations"]}
            errors = program.validate_application(data)
            eligibility = ({"eligible": False, "criteria": [], "problem": f"the {report['year']} report is invalid: {errors}"}
                           if errors else program.evaluate(data).as_dict())
        return self._open(application_id=application_id, program_id=program_id, program_version=program.version,
                          unit_name=unit_name, unit_type=unit_type, subtype=subtype, region_code=region_code,
                          credit_code=credit_code, eligibility=eligibility, at=at, kind=REREVIEW,
                          unit_id=unit_id, due_on=due_on)

    def _open(self, *, program_id: str, unit_type: str, at: datetime, **details) -> Review:
        program = load_program(program_id)
        scoring = [{"id": item.id, "label": item.label, "weight": item.weight}
                   for item in program.review.scoring[unit_type]]
        review = Review(program_id=program_id, unit_type=unit_type, experts_required=program.experts_per_application,
                        pass_mark=program.pass_mark, scoring=scoring, at=at, **details)
        chosen = self.pick_experts(review, review.places_left)
        if chosen:
            review.assign(chosen)
        return review

    # -- the review itself
    def assign(self, review_id: UUID, expert_ids: list[str]) -> Review:
        review = self.review(review_id)
        unknown = [e for e in expert_ids if not self.exists(Expert.create_id(e))]
        if unknown:
            raise InvalidInput("only experts of the pool can be assigned",
                               {"expert_ids": [f"{e} is not in the pool" for e in unknown]})
        for expert_id in expert_ids:
            conflict = self.expert(expert_id).conflict_with(review.credit_code)
            if conflict:
                raise Conflict(f"{conflict}; an expert cannot review a unit it is conflicted with",
                               {"expert_ids": [conflict]})
        _guard(lambda: review.assign(expert_ids))
        self.save(review)
        return review

    def recuse(self, review_id: UUID, expert_id: str, reason: str) -> Review:
        """The expert steps back; another free expert takes the place where the pool allows."""
        review = self.review(review_id)
        _guard(lambda: review.recuse(expert_id, reason))
        replacement = self.pick_experts(review, review.places_left)
        if replacement:
            review.assign(replacement)
        self.save(review)
        return review

    def score(self, review_id: UUID, expert_id: str, items: dict, at: datetime) -> Review:
        """An assigned expert's scores; refused (409) if the expert declared an interest in the unit
        or joined its organisation after being assigned: such an expert recuses instead."""
        review = self.review(review_id)
        conflict = self.expert(expert_id).conflict_with(review.credit_code)
        if conflict:
            raise Conflict(f"{conflict}; an expert cannot score a unit it is conflicted with: recuse instead",
                           {"expert": [conflict]})
        _guard(lambda: review.score(expert_id=expert_id, items=items, at=at))
        self.save(review)
        return review

    def override(self, review_id: UUID, criterion_id: str, reason: str, by: str, at: datetime) -> Review:
        review = self.review(review_id)
        _guard(lambda: review.override(criterion_id, reason, by=by, at=at))
        self.save(review)
        return review

    def review(self, review_id: UUID) -> Review:
        return self.get(review_id, Review, "review")

    def review_of_application(self, application_id: UUID) -> Review:
        return self.review(Review.create_id(application_id))

    def reviews(self) -> list[Review]:
        return [self.review(i) for i in self.ids_with_events(Review.Opened)]

    def reviews_awaiting_notice(self) -> list[UUID]:
        ids = self.ids_with_events(Review.Concluded)
        return [r.id for r in map(self.review, ids) if r.status == PASSED and r.notice_id is None]

    # -- notices
    def publish_notice(self, review_ids: list[UUID] | None, today: date,
                       achievements: dict[str, str] | None = None) -> Notice:
        review_ids = review_ids if review_ids is not None else self.reviews_awaiting_notice()
        if not review_ids:
            raise Conflict("no passed review awaits a notice")
        reviews = [self.review(r) for r in dict.fromkeys(review_ids)]
        programs = {r.program_id for r in reviews}
        if len(programs) != 1:
            raise InvalidInput("one notice lists one program's units",
                               {"review_ids": [f"reviews of several programs: {sorted(programs)}"]})
        program = load_program(programs.pop())
        if not program.has_stage("public_notice"):
            raise Conflict(f"{program.id} has no public notice among its stages ({', '.join(program.stages)})")
        period = working_day_period(today, program.notice_working_days)
        achievements = achievements or {}
        for review in reviews:
            _guard(review.require_listable)
        notice = Notice(program_id=program.id, entries=[r.entry(achievements.get(str(r.id))) for r in reviews],
                        published_on=today, first_day=period.first_day, last_day=period.last_day,
                        end_estimated=period.estimated)
        for review in reviews:
            review.list_on(notice.id)
        self.save(notice, *reviews)
        return notice

    def file_objection(self, notice_id: UUID, application_id: UUID, name: str, contact: str, reason: str,
                       today: date, at: datetime) -> str:
        notice = self.notice(notice_id)
        objection_id = uuid.uuid4().hex
        _guard(lambda: notice.file_objection(objection_id, str(application_id), name=name, contact=contact,
                                             reason=reason, today=today, at=at))
        self.save(notice)
        return objection_id

    def resolve_objection(self, notice_id: UUID, objection_id: str, decision: str, reason: str, by: str,
                          at: datetime) -> Notice:
        notice = self.notice(notice_id)
        try:
            _guard(lambda: notice.resolve_objection(objection_id, decision, reason, by=by, at=at))
        except LookupError:
            raise NotFound("objection", objection_id) from None
        self.save(notice)
        return notice

    def close_notice(self, notice_id: UUID, today: date) -> Notice:
        notice = self.notice(notice_id)
        _guard(lambda: notice.close(today))
        self.save(notice)
        return notice

    def close_due_notices(self, today: date) -> list[UUID]:
        """Closes every open notice whose period ended before today and whose objections are all
        resolved (the others wait for the province). Several instances of the service run this
        timer on one store: a notice another instance closed first is left to it."""
        published = self.ids_with_events(Notice.Published)
        new = published[self._notices_seen:]  # only those published since the last call
        if self._notices_seen == 0:  # the first call: leave out those the log already shows closed
            already = set(self.ids_with_events(Notice.Closed))
            new = [i for i in new if i not in already]
        self._open_notices.update(new)
        self._notices_seen = len(published)
        closed = []
        for notice in map(self.notice, list(self._open_notices)):
            if notice.status != NOTICE_OPEN:  # closed, here or by another instance
                self._open_notices.discard(notice.id)
            elif notice.last_day < today and not notice.open_objections:
                notice.close(today)
                try:
                    self.save(notice)
                except IntegrityError:  # changed meanwhile (closed by another instance?): read again next tick
                    continue
                self._open_notices.discard(notice.id)
                closed.append(notice.id)
        return closed

    def notice(self, notice_id: UUID) -> Notice:
        return self.get(notice_id, Notice, "notice")

    def notices(self) -> list[Notice]:
        """Every notice, the latest published first."""
        notices = [self.notice(i) for i in self.ids_with_events(Notice.Published)]
        return sorted(notices, key=lambda n: n.published_on, reverse=True)


def _guard(command) -> None:
    guarded(command, WrongState)
