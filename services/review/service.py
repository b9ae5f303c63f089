"""The review service's nameko entrypoints: who may call each, then load, call the app, dump
(its pages are in pages.py)."""
from nameko.timer import timer

from shared.http import EVERYONE, caller, http, listing, load_json, path_id
from shared.messaging.log import public_history
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.review import access
from services.review.app import ReviewApp
from services.review.pages import ReviewPages
from services.review.plan_endpoints import CityPlanEndpoints
from services.review.plan_pages import CityPlanPages
from services.review.policies import FROM_APPLICATIONS, FROM_REGISTRY
from services.review.schemas import (OUTPUT_BY_ROLE, AssignSchema, CloseNoticeSchema, ExpertOut,
                                     InterestsSchema, NoticeOut, ObjectionOut, ObjectionSchema,
                                     OverrideSchema, PublishNoticeSchema, RecuseSchema,
                                     RegisterExpertSchema, ResolveObjectionSchema, ScoreSchema)

READERS = ("operator", "auditor", "expert", "applicant", "recommender")


class ReviewService(CityPlanEndpoints, CityPlanPages, ReviewPages, EventSourcedService):
    name = "review"
    app = EventSourced(ReviewApp, follows={"applications": FROM_APPLICATIONS, "registry": FROM_REGISTRY})
    clock = Clock()

    # -- the expert pool
    @http("POST", "/experts", roles={"operator"}, body=RegisterExpertSchema, response=ExpertOut, status=201)
    def register_expert(self, request):
        data = load_json(request, RegisterExpertSchema())
        return 201, ExpertOut().dump(self.app.register_expert(**data, by=caller(request).subject))

    @http("GET", "/experts", roles=("operator", "auditor"), response=listing("experts", ExpertOut))
    def list_experts(self, request):
        return {"experts": ExpertOut(many=True).dump(self.app.experts())}

    @http("POST", "/experts/<string:expert_id>/interests", roles=("operator", "expert"), body=InterestsSchema)
    def declare_interests(self, request, expert_id):
        access.own_expert_record(caller(request), expert_id)
        expert = self.app.expert(expert_id)
        data = load_json(request, InterestsSchema())
        expert = self.app.declare_interests(expert.expert_id, data["credit_codes"], by=caller(request).subject)
        return {"expert_id": expert.expert_id, "interests_declared": len(expert.interests)}

    # -- reviews
    @http("GET", "/reviews/<string:review_id>", roles=READERS)
    def get_review(self, request, review_id):
        return self._dump(request, access.visible(caller(request), self._load(review_id)))

    @http("GET", "/applications/<string:application_id>/review", roles=READERS)
    def review_of_application(self, request, application_id):
        review = self.app.review_of_application(path_id(application_id, "application"))
        return self._dump(request, access.visible(caller(request), review))

    @http("GET", "/reviews/<string:review_id>/history", roles=("operator", "auditor"))
    def review_history(self, request, review_id):
        return public_history(self.app, self._load(review_id).id)

    @http("POST", "/reviews/<string:review_id>/experts", roles={"operator"}, body=AssignSchema)
    def assign_experts(self, request, review_id):
        review = self._load(review_id)
        data = load_json(request, AssignSchema())
        return self._dump(request, self.app.assign(review.id, data["expert_ids"]))

    @http("POST", "/reviews/<string:review_id>/recusal", roles={"expert"}, body=RecuseSchema)
    def recuse(self, request, review_id):
        review = access.assigned(caller(request), self._load(review_id))
        data = load_json(request, RecuseSchema())
        self.app.recuse(review.id, caller(request).scope, data["reason"])
        return {"review_id": str(review.id), "recused": caller(request).scope}

    @http("POST", "/reviews/<string:review_id>/scores", roles={"expert"}, body=ScoreSchema)
    def score(self, request, review_id):
        review = access.assigned(caller(request), self._load(review_id))
        data = load_json(request, ScoreSchema())
        review = self.app.score(review.id, expert_id=caller(request).scope, items=data["scores"], at=self.clock.now())
        return self._dump(request, review)

    @http("POST", "/reviews/<string:review_id>/overrides", roles={"operator"}, body=OverrideSchema)
    def override(self, request, review_id):
        review = self._load(review_id)
        data = load_json(request, OverrideSchema())
        return self._dump(request, self.app.override(review.id, by=caller(request).subject, at=self.clock.now(), **data))

    # -- notices (公示) and objections
    @http("POST", "/notices", roles={"operator"}, body=PublishNoticeSchema, response=NoticeOut,
          status=201)
    def publish_notice(self, request):
        data = load_json(request, PublishNoticeSchema())
        notice = self.app.publish_notice(data["review_ids"], today=self.clock.today(), achievements=data["achievements"])
        return 201, NoticeOut().dump(notice)

    @http("GET", "/notices/<string:notice_id>", roles=EVERYONE, response=NoticeOut)
    def get_notice(self, request, notice_id):
        return NoticeOut().dump(self.app.notice(path_id(notice_id, "notice")))

    @http("POST", "/notices/<string:notice_id>/objections", roles=EVERYONE, body=ObjectionSchema, status=201)
    def file_objection(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        data = load_json(request, ObjectionSchema())
        objection_id = self.app.file_objection(notice.id, today=self.clock.today(), at=self.clock.now(), **data)
        return 201, {"objection_id": objection_id, "notice_id": str(notice.id)}

    @http("GET", "/notices/<string:notice_id>/objections", roles=("operator", "auditor"),
          response=listing("objections", ObjectionOut))
    def list_objections(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        return {"objections": ObjectionOut(many=True).dump(
            [{"id": i, **o} for i, o in notice.objections.items()])}

    @http("POST", "/notices/<string:notice_id>/objections/<string:objection_id>/resolve", roles={"operator"},
          body=ResolveObjectionSchema)
    def resolve_objection(self, request, notice_id, objection_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        data = load_json(request, ResolveObjectionSchema())
        notice = self.app.resolve_objection(notice.id, objection_id, by=caller(request).subject,
                                            at=self.clock.now(), **data)
        return NoticeOut().dump(notice)

    @http("POST", "/notices/<string:notice_id>/close", roles={"operator"}, body=CloseNoticeSchema)
    def close_notice(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        load_json(request, CloseNoticeSchema())
        return NoticeOut().dump(self.app.close_notice(notice.id, today=self.clock.today()))

    @timer(interval=1)
    def close_due_notices(self):
        """Closes notices whose period has ended on the service clock and whose objections are resolved."""
        self.app.close_due_notices(self.clock.today())

    def _load(self, review_id):
        return self.app.review(path_id(review_id, "review"))

    @staticmethod
    def _dump(request, review):
        return OUTPUT_BY_ROLE[caller(request).role]().dump(review)
