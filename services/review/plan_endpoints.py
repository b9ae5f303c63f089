"""The review service's endpoints for city plans and batches (ADR 42), mixed into ReviewService:
the city government (an applicant whose credit code is a government body's, 11...) proposes and
revises its own plan; the coordination group gives opinions, accepts and confirms batches; each
ministry approves or sends back for its own key only."""
from shared.http import EVERYONE, caller, http, listing, load_args, load_json, path_id
from shared.programs import load_program

from services.review import access
from services.review.plan_schemas import (ApproveSchema, BatchOut, BatchSchema, ListPlansArgs, OpinionSchema,
                                          PlanOut, ProposePlanSchema, ReviseSchema, SendBackSchema)

PLAN_READERS = ("applicant", "coordinator", "ministry", "auditor")


class CityPlanEndpoints:
    @http("POST", "/plans", roles={"applicant"}, body=ProposePlanSchema, response=PlanOut, status=201)
    def propose_plan(self, request):
        """A city government proposes its creation plan (研究提出); one per city and program."""
        credit_code = access.city_government(caller(request))
        data = load_json(request, ProposePlanSchema())
        plan = self.app.propose_plan(credit_code=credit_code, today=self.clock.today(), **data)
        return 201, PlanOut().dump(plan)

    @http("GET", "/plans", roles=PLAN_READERS, args=ListPlansArgs, response=listing("plans", PlanOut))
    def list_plans(self, request):
        """Every plan (a city government: its own)."""
        args = load_args(request, ListPlansArgs())
        identity = caller(request)
        mine = identity.scope if identity.role == "applicant" else None
        return {"plans": PlanOut(many=True).dump(self.app.plans(args.get("program_id"), credit_code=mine))}

    @http("GET", "/plans/<string:plan_id>", roles=PLAN_READERS, response=PlanOut)
    def get_plan(self, request, plan_id):
        return PlanOut().dump(self._plan(request, plan_id))

    @http("POST", "/plans/<string:plan_id>/opinions", roles={"coordinator"}, body=OpinionSchema, response=PlanOut,
          status=201)
    def give_opinion(self, request, plan_id):
        """The coordination group's revision opinion (讨论修改): a new round the city answers."""
        plan = self._plan(request, plan_id)
        data = load_json(request, OpinionSchema())
        return 201, PlanOut().dump(self.app.give_opinion(plan.id, data["opinion"], by=caller(request).subject,
                                                         today=self.clock.today()))

    @http("POST", "/plans/<string:plan_id>/revisions", roles={"applicant"}, body=ReviseSchema, response=PlanOut,
          status=201)
    def revise_plan(self, request, plan_id):
        plan = self._plan(request, plan_id)
        data = load_json(request, ReviseSchema())
        return 201, PlanOut().dump(self.app.revise_plan(plan.id, data["text"], today=self.clock.today()))

    @http("POST", "/plans/<string:plan_id>/acceptance", roles={"coordinator"}, body=OpinionSchema, response=PlanOut)
    def accept_plan(self, request, plan_id):
        """Formal acceptance (正式受理), with the group's opinion to the approvers."""
        plan = self._plan(request, plan_id)
        data = load_json(request, OpinionSchema())
        return PlanOut().dump(self.app.accept_plan(plan.id, data["opinion"], by=caller(request).subject,
                                                   today=self.clock.today()))

    @http("POST", "/plans/<string:plan_id>/approvals", roles={"ministry"}, body=ApproveSchema, response=PlanOut)
    def approve_plan(self, request, plan_id):
        """The calling ministry's approval (批复) of the accepted version."""
        plan = self._approver_of(request, plan_id)
        load_json(request, ApproveSchema())
        return PlanOut().dump(self.app.approve_plan(plan.id, caller(request).scope, today=self.clock.today()))

    @http("POST", "/plans/<string:plan_id>/send-back", roles={"ministry"}, body=SendBackSchema, response=PlanOut)
    def send_back_plan(self, request, plan_id):
        """The calling ministry sends the plan back for revision; every approval lapses."""
        plan = self._approver_of(request, plan_id)
        data = load_json(request, SendBackSchema())
        return PlanOut().dump(self.app.send_back_plan(plan.id, caller(request).scope, data["reasons"],
                                                      today=self.clock.today()))

    @http("POST", "/batches", roles={"coordinator"}, body=BatchSchema, response=BatchOut, status=201)
    def approve_batch(self, request):
        """Confirms the cities of jointly approved plans as a batch (第一批 ...); the registry certifies them."""
        data = load_json(request, BatchSchema())
        batch = self.app.approve_batch(data["program_id"], data["label"], data["plan_ids"],
                                       by=caller(request).subject, today=self.clock.today())
        return 201, BatchOut().dump(batch)

    @http("GET", "/batches/<string:batch_id>", roles=EVERYONE, response=BatchOut)
    def get_batch(self, request, batch_id):
        return BatchOut().dump(self.app.batch(path_id(batch_id, "batch")))

    def _plan(self, request, plan_id):
        return access.visible_plan(caller(request), self.app.plan(path_id(plan_id, "plan")))

    def _approver_of(self, request, plan_id):
        """The plan, if the calling ministry is one of its program's approvers (403 otherwise)."""
        plan = self._plan(request, plan_id)
        access.approver_key(caller(request), load_program(plan.program_id), plan)
        return plan
