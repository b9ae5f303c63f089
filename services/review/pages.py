"""The review service's pages: the public notice board (公示) with its objection form, the
expert's assigned reviews with the program's scoring form and recusal, and the province's
desk: expert assignment, re-reviews, publishing notices, resolving objections, closing."""
from shared.errors import Conflict, NotFound
from shared.http import EVERYONE, path_id
from shared.web import form_data, page, redirect, render, signed_in

from services.review import access
from services.review.domain import OPEN, PASSED, REREVIEW
from services.review.notices import NOTICE_OPEN
from services.review.schemas import (AssignSchema, ObjectionSchema, PublishNoticeSchema, RecuseSchema,
                                     ResolveObjectionSchema, ScoreSchema)

PROVINCE = ("operator", "auditor")


class ReviewPages:
    # -- the public notice board
    @page("GET", "/notice-board/", roles=EVERYONE)
    def notice_board_page(self, request):
        notices = self.app.notices()
        return render("notice_board.html", current=[n for n in notices if n.status == NOTICE_OPEN],
                      past=[n for n in notices if n.status != NOTICE_OPEN], today=self.clock.today())

    @page("GET", "/notice-board/<string:notice_id>", roles=EVERYONE)
    def notice_page(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        return render("notice.html", notice=notice, today=self.clock.today(), refused=None)

    @page("POST", "/notice-board/<string:notice_id>/objections", roles=EVERYONE)
    def file_objection_page(self, request, notice_id):
        """Anyone objects during the period; after it the page says so (409) and nothing is written."""
        notice = self.app.notice(path_id(notice_id, "notice"))
        form = form_data(request, {"application_id", "name", "contact", "reason"})
        data = ObjectionSchema().load(form.to_dict())
        today = self.clock.today()
        if notice.status != NOTICE_OPEN or not notice.first_day <= today <= notice.last_day:
            return render("notice.html", status=409, notice=notice, today=today, refused=True)
        self.app.file_objection(notice.id, today=today, at=self.clock.now(), **data)
        return redirect(f"/notice-board/{notice.id}?objected=1")

    # -- the expert's reviews
    @page("GET", "/expert/", roles={"expert"})
    def expert_page(self, request):
        me = signed_in(request).scope
        mine = [r for r in self.app.reviews() if me in r.experts]
        return render("expert.html", reviews=mine, me=me)

    @page("GET", "/expert/reviews/<string:review_id>", roles={"expert"})
    def expert_review_page(self, request, review_id):
        review = access.assigned(signed_in(request), self.app.review(path_id(review_id, "review")))
        return render("expert_review.html", review=review, me=signed_in(request).scope)

    @page("POST", "/expert/reviews/<string:review_id>/scores", roles={"expert"})
    def score_page(self, request, review_id):
        review = access.assigned(signed_in(request), self.app.review(path_id(review_id, "review")))
        names = {f"score.{item['id']}" for item in review.scoring}
        form = form_data(request, names)
        data = ScoreSchema().load({"scores": {name[len("score."):]: _integer(form.get(name)) for name in names}})
        self.app.score(review.id, expert_id=signed_in(request).scope, items=data["scores"], at=self.clock.now())
        return redirect(f"/expert/reviews/{review.id}")

    @page("POST", "/expert/reviews/<string:review_id>/recusal", roles={"expert"})
    def recuse_page(self, request, review_id):
        review = access.assigned(signed_in(request), self.app.review(path_id(review_id, "review")))
        data = RecuseSchema().load(form_data(request, {"reason"}).to_dict())
        self.app.recuse(review.id, signed_in(request).scope, data["reason"])
        return redirect("/expert/?recused=1")

    # -- the province's desk
    @page("GET", "/operator/", roles=PROVINCE)
    def operator_page(self, request):
        reviews = self.app.reviews()
        return render("operator.html", experts=self.app.experts(),
                      open_reviews=[r for r in reviews if r.status == OPEN and r.kind != REREVIEW],
                      rereviews=[r for r in reviews if r.kind == REREVIEW],
                      awaiting=[r for r in reviews if r.status == PASSED and r.kind != REREVIEW and r.notice_id is None],
                      notices=self.app.notices(), today=self.clock.today())

    @page("POST", "/operator/reviews/<string:review_id>/experts", roles={"operator"})
    def assign_page(self, request, review_id):
        review = self.app.review(path_id(review_id, "review"))
        form = form_data(request, {"expert_ids"})
        data = AssignSchema().load({"expert_ids": form.getlist("expert_ids")})
        self.app.assign(review.id, data["expert_ids"])
        return redirect("/operator/")

    @page("POST", "/operator/notices", roles={"operator"})
    def publish_notice_page(self, request):
        review_ids = request.form.getlist("review_ids")
        allowed = {"review_ids"} | {f"achievements.{r}" for r in review_ids}
        form = form_data(request, allowed)
        data = PublishNoticeSchema().load({
            "review_ids": review_ids,
            "achievements": {r: form[f"achievements.{r}"] for r in review_ids if form.get(f"achievements.{r}")}})
        if not data["review_ids"]:
            raise Conflict("tick at least one passed review to list on the notice")
        notice = self.app.publish_notice(data["review_ids"], today=self.clock.today(),
                                         achievements={str(k): v for k, v in data["achievements"].items()})
        return redirect(f"/operator/notices/{notice.id}")

    @page("GET", "/operator/notices/<string:notice_id>", roles=PROVINCE)
    def operator_notice_page(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        return render("operator_notice.html", notice=notice, today=self.clock.today())

    @page("POST", "/operator/notices/<string:notice_id>/objections/<string:objection_id>/resolve", roles={"operator"})
    def resolve_objection_page(self, request, notice_id, objection_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        data = ResolveObjectionSchema().load(form_data(request, {"decision", "reason"}).to_dict())
        if objection_id not in notice.objections:
            raise NotFound("objection", objection_id)
        self.app.resolve_objection(notice.id, objection_id, by=signed_in(request).subject, at=self.clock.now(), **data)
        return redirect(f"/operator/notices/{notice.id}")

    @page("POST", "/operator/notices/<string:notice_id>/close", roles={"operator"})
    def close_notice_page(self, request, notice_id):
        notice = self.app.notice(path_id(notice_id, "notice"))
        form_data(request, set())
        self.app.close_notice(notice.id, today=self.clock.today())
        return redirect(f"/operator/notices/{notice.id}")


def _integer(text):
    """A score as typed: a whole number stays a number; anything else goes to the schema as it is,
    which refuses it naming the criterion."""
    text = (text or "").strip()
    return int(text) if text.isdigit() else text
