"""Commands and queries of the review service, on its event store."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from shared.contracts import review as public
from shared.errors import Conflict, InvalidInput
from shared.eventstore import ServiceApplication
from shared.programs import load_program
from shared.workdays import working_day_period

from services.review.domain import NOTICE_OPEN, PASSED, Notice, Review, WrongState


class ReviewApp(ServiceApplication):
    name = "review"
    public_events = {
        Review.Opened: public.ReviewOpenedV1,
        Review.ExpertsAssigned: public.ExpertsAssignedV1,
        Review.Scored: public.ReviewScoredV1,
        Review.Concluded: public.ReviewConcludedV1,
        Review.Listed: public.ReviewListedV1,
        Notice.Published: public.NoticePublishedV1,
        Notice.Closed: public.NoticeClosedV1,
    }

    # -- reviews
    def prepare_review(self, *, application_id: UUID, program_id: str, unit_name: str,
                       unit_type: str, region_code: str, credit_code: str, at: datetime) -> Review | None:
        """A new, unsaved review for a recommended application; None if it is already open."""
        if self.exists(Review.create_id(application_id)):
            return None
        program = load_program(program_id)
        return Review(application_id=application_id, program_id=program_id, unit_name=unit_name,
                      unit_type=unit_type, region_code=region_code, credit_code=credit_code,
                      experts_required=program.experts_per_application,
                      pass_mark=program.pass_mark, at=at)

    def assign(self, review_id: UUID, expert_ids: list[str]) -> Review:
        review = self.review(review_id)
        _guard(lambda: review.assign(expert_ids))
        self.save(review)
        return review

    def score(self, review_id: UUID, expert_id: str, score: int, at: datetime) -> Review:
        review = self.review(review_id)
        _guard(lambda: review.score(expert_id=expert_id, score=score, at=at))
        self.save(review)
        return review

    def review(self, review_id: UUID) -> Review:
        return self.get(review_id, Review, "review")

    def review_of_application(self, application_id: UUID) -> Review:
        return self.review(Review.create_id(application_id))

    def reviews_awaiting_notice(self) -> list[UUID]:
        ids = self.ids_with_events(Review.Concluded)
        return [r.id for r in map(self.review, ids) if r.status == PASSED and r.notice_id is None]

    # -- notices
    def publish_notice(self, review_ids: list[UUID] | None, today: date) -> Notice:
        review_ids = review_ids if review_ids is not None else self.reviews_awaiting_notice()
        if not review_ids:
            raise Conflict("no passed review awaits a notice")
        reviews = [self.review(r) for r in dict.fromkeys(review_ids)]
        programs = {r.program_id for r in reviews}
        if len(programs) != 1:
            raise InvalidInput("one notice lists one program's units",
                               {"review_ids": [f"reviews of several programs: {sorted(programs)}"]})
        program = load_program(programs.pop())
        period = working_day_period(today, program.notice_working_days)
        notice = Notice(program_id=program.id, entries=[r.entry() for r in reviews if r.status == PASSED],
                        published_on=today, first_day=period.first_day, last_day=period.last_day,
                        end_estimated=period.estimated)
        for review in reviews:
            _guard(lambda review=review: review.list_on(notice.id))
        self.save(notice, *reviews)
        return notice

    def close_notice(self, notice_id: UUID, today: date) -> Notice:
        notice = self.notice(notice_id)
        _guard(lambda: notice.close(today))
        self.save(notice)
        return notice

    def close_due_notices(self, today: date) -> list[UUID]:
        """Closes every open notice whose period ended before today."""
        closed = []
        for notice in map(self.notice, self.ids_with_events(Notice.Published)):
            if notice.status == NOTICE_OPEN and notice.last_day < today:
                notice.close(today)
                self.save(notice)
                closed.append(notice.id)
        return closed

    def notice(self, notice_id: UUID) -> Notice:
        return self.get(notice_id, Notice, "notice")


def _guard(command) -> None:
    try:
        command()
    except WrongState as exc:
        raise Conflict(str(exc)) from None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
