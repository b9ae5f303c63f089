"""The review service's nameko entrypoints: each loads, calls the app, dumps."""
from nameko.timer import timer

from shared.http import http, load_json, path_id
from shared.messaging.log import public_history
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.review.app import ReviewApp
from services.review.policies import FROM_APPLICATIONS
from services.review.schemas import NoticeOut, PublishNoticeSchema, ReviewOut, ScoreSchema


class ReviewService(EventSourcedService):
    name = "review"
    app = EventSourced(ReviewApp, follows={"applications": FROM_APPLICATIONS})
    clock = Clock()

    @http("GET", "/reviews/<string:review_id>")
    def get_review(self, request, review_id):
        return ReviewOut().dump(self.app.review(path_id(review_id, "review")))

    @http("GET", "/applications/<string:application_id>/review")
    def review_of_application(self, request, application_id):
        return ReviewOut().dump(self.app.review_of_application(path_id(application_id, "application")))

    @http("GET", "/reviews/<string:review_id>/history")
    def review_history(self, request, review_id):
        return public_history(self.app, self.app.review(path_id(review_id, "review")).id)

    @http("POST", "/reviews/<string:review_id>/scores")
    def score(self, request, review_id):
        data = load_json(request, ScoreSchema())
        review = self.app.score(path_id(review_id, "review"), at=self.clock.now(), **data)
        return ReviewOut().dump(review)

    @http("POST", "/notices")
    def publish_notice(self, request):
        data = load_json(request, PublishNoticeSchema())
        notice = self.app.publish_notice(data["review_ids"], today=self.clock.today())
        return 201, NoticeOut().dump(notice)

    @http("GET", "/notices/<string:notice_id>")
    def get_notice(self, request, notice_id):
        return NoticeOut().dump(self.app.notice(path_id(notice_id, "notice")))

    @http("POST", "/notices/<string:notice_id>/close")
    def close_notice(self, request, notice_id):
        notice = self.app.close_notice(path_id(notice_id, "notice"), today=self.clock.today())
        return NoticeOut().dump(notice)

    @timer(interval=1)
    def close_due_notices(self):
        """Closes notices whose period has ended on the service clock."""
        self.app.close_due_notices(self.clock.today())
