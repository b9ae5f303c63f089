"""The review service's nameko entrypoints: who may call each, then load, call the app, dump."""
from nameko.timer import timer

from shared.http import EVERYONE, caller, http, load_json, path_id
from shared.messaging.log import public_history
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.review import access
from services.review.app import ReviewApp
from services.review.policies import FROM_APPLICATIONS
from services.review.schemas import (OUTPUT_BY_ROLE, AssignSchema, CloseNoticeSchema, NoticeOut,
                                     PublishNoticeSchema, ScoreSchema)

READERS = ("operator", "auditor", "expert", "applicant", "recommender")


class ReviewService(EventSourcedService):
    name = "review"
    app = EventSourced(ReviewApp, follows={"applications": FROM_APPLICATIONS})
    clock = Clock()

    @http("GET", "/reviews/<string:review_id>", roles=READERS)
    def get_review(self, request, review_id):
        return self._dump(request, self._visible(request, self._load(review_id)))

    @http("GET", "/applications/<string:application_id>/review", roles=READERS)
    def review_of_application(self, request, application_id):
        review = self.app.review_of_application(path_id(application_id, "application"))
        return self._dump(request, self._visible(request, review))

    @http("GET", "/reviews/<string:review_id>/history", roles=("operator", "auditor"))
    def review_history(self, request, review_id):
        return public_history(self.app, self._load(review_id).id)

    @http("POST", "/reviews/<string:review_id>/experts", roles={"operator"})
    def assign_experts(self, request, review_id):
        review = self._load(review_id)
        data = load_json(request, AssignSchema())
        return self._dump(request, self.app.assign(review.id, data["expert_ids"]))

    @http("POST", "/reviews/<string:review_id>/scores", roles={"expert"})
    def score(self, request, review_id):
        review = access.scorable(caller(request), self._load(review_id))
        data = load_json(request, ScoreSchema())
        review = self.app.score(review.id, expert_id=caller(request).scope, at=self.clock.now(), **data)
        return self._dump(request, review)

    @http("POST", "/notices", roles={"operator"})
    def publish_notice(self, request):
        data = load_json(request, PublishNoticeSchema())
        notice = self.app.publish_notice(data["review_ids"], today=self.clock.today())
        return 201, NoticeOut().dump(notice)

    @http("GET", "/notices/<string:notice_id>", roles=EVERYONE)
    def get_notice(self, request, notice_id):
        return NoticeOut().dump(self.app.notice(path_id(notice_id, "notice")))

    @http("POST", "/notices/<string:notice_id>/close", roles={"operator"})
    def close_notice(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        load_json(request, CloseNoticeSchema())
        return NoticeOut().dump(self.app.close_notice(notice.id, today=self.clock.today()))

    @timer(interval=1)
    def close_due_notices(self):
        """Closes notices whose period has ended on the service clock."""
        self.app.close_due_notices(self.clock.today())

    def _load(self, review_id):
        return self.app.review(path_id(review_id, "review"))

    @staticmethod
    def _visible(request, review):
        return access.visible(caller(request), review)

    @staticmethod
    def _dump(request, review):
        return OUTPUT_BY_ROLE[caller(request).role]().dump(review)
