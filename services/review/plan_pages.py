"""The review service's pages for the national cities' plans (ADR 42): the city government's own
plan (propose, revise), the coordination group's desk (opinions, formal acceptance, batches) and
each ministry's plans awaiting its decision (approve, send back with reasons)."""
from shared.http import path_id
from shared.programs import load_program
from shared.web import CITIES_PROGRAM, form_data, page, redirect, render, signed_in

from services.review import access
from services.review.plan_schemas import BatchSchema, OpinionSchema, ProposePlanSchema, ReviseSchema, SendBackSchema
from services.review.plans import ACCEPTED, APPROVED

GROUP = ("coordinator", "auditor")
PLAN_PAGE_READERS = ("applicant", "coordinator", "ministry", "auditor")


class CityPlanPages:
    # -- the city government
    @page("GET", "/city-plans/mine", roles={"applicant"})
    def my_plan_page(self, request):
        mine = self.app.plans(CITIES_PROGRAM, credit_code=access.city_government(signed_in(request)))
        if mine:
            return redirect(f"/city-plans/{mine[0].id}")
        return render("city_plan_propose.html", program=load_program(CITIES_PROGRAM))

    @page("POST", "/city-plans/mine", roles={"applicant"})
    def propose_plan_page(self, request):
        credit_code = access.city_government(signed_in(request))
        data = ProposePlanSchema().load({"program_id": CITIES_PROGRAM,
                                         **form_data(request, {"city_name", "region_code", "text"}).to_dict()})
        plan = self.app.propose_plan(credit_code=credit_code, today=self.clock.today(), **data)
        return redirect(f"/city-plans/{plan.id}")

    @page("POST", "/city-plans/<string:plan_id>/revision", roles={"applicant"})
    def revise_plan_page(self, request, plan_id):
        plan = self._visible_plan(request, plan_id)
        data = ReviseSchema().load(form_data(request, {"text"}).to_dict())
        self.app.revise_plan(plan.id, data["text"], today=self.clock.today())
        return redirect(f"/city-plans/{plan.id}")

    # -- the coordination group
    @page("GET", "/city-plans/", roles=GROUP)
    def plans_desk_page(self, request):
        plans = sorted(self.app.plans(CITIES_PROGRAM), key=lambda p: (p.proposed_on, p.city_name))
        batches = {p.batch_id: self.app.batch(p.batch_id) for p in plans if p.batch_id}
        return render("city_plans.html", plans=plans, approved=[p for p in plans if p.status == APPROVED],
                      batches=sorted(batches.values(), key=lambda b: (b.approved_on, b.label)),
                      program=load_program(CITIES_PROGRAM), today=self.clock.today())

    @page("POST", "/city-plans/<string:plan_id>/opinion", roles={"coordinator"})
    def give_opinion_page(self, request, plan_id):
        plan = self._visible_plan(request, plan_id)
        data = OpinionSchema().load(form_data(request, {"opinion"}).to_dict())
        self.app.give_opinion(plan.id, data["opinion"], by=signed_in(request).subject, today=self.clock.today())
        return redirect(f"/city-plans/{plan.id}")

    @page("POST", "/city-plans/<string:plan_id>/acceptance", roles={"coordinator"})
    def accept_plan_page(self, request, plan_id):
        plan = self._visible_plan(request, plan_id)
        data = OpinionSchema().load(form_data(request, {"opinion"}).to_dict())
        self.app.accept_plan(plan.id, data["opinion"], by=signed_in(request).subject, today=self.clock.today())
        return redirect(f"/city-plans/{plan.id}")

    @page("POST", "/city-plans/batches", roles={"coordinator"})
    def approve_batch_page(self, request):
        form = form_data(request, {"label", "plan_ids"})
        data = BatchSchema().load({"program_id": CITIES_PROGRAM, "label": form.get("label", "").strip(),
                                   "plan_ids": form.getlist("plan_ids")})
        batch = self.app.approve_batch(CITIES_PROGRAM, data["label"], data["plan_ids"], by=signed_in(request).subject,
                                       today=self.clock.today())
        return redirect(f"/city-plans/?batch={batch.id}")

    # -- the ministries
    @page("GET", "/city-plans/decisions", roles={"ministry"})
    def decisions_page(self, request):
        key = access.approver_key(signed_in(request), load_program(CITIES_PROGRAM))
        plans = self.app.plans(CITIES_PROGRAM)
        awaiting = [p for p in plans if p.status == ACCEPTED and key in p.remaining]
        decided = [p for p in plans if key in p.approvals]
        return render("city_plan_decisions.html", awaiting=awaiting, decided=decided, key=key,
                      program=load_program(CITIES_PROGRAM))

    @page("POST", "/city-plans/<string:plan_id>/approval", roles={"ministry"})
    def approve_plan_page(self, request, plan_id):
        plan = self._visible_plan(request, plan_id)
        form_data(request, set())
        key = access.approver_key(signed_in(request), load_program(plan.program_id), plan)
        self.app.approve_plan(plan.id, key, today=self.clock.today())
        return redirect(f"/city-plans/{plan.id}")

    @page("POST", "/city-plans/<string:plan_id>/send-back", roles={"ministry"})
    def send_back_plan_page(self, request, plan_id):
        plan = self._visible_plan(request, plan_id)
        key = access.approver_key(signed_in(request), load_program(plan.program_id), plan)
        text = form_data(request, {"reasons"}).get("reasons", "")
        data = SendBackSchema().load({"reasons": [line.strip() for line in text.splitlines() if line.strip()]})
        self.app.send_back_plan(plan.id, key, data["reasons"], today=self.clock.today())
        return redirect(f"/city-plans/{plan.id}")

    # -- every party: one plan, its texts, rounds and approvals
    @page("GET", "/city-plans/<string:plan_id>", roles=PLAN_PAGE_READERS)
    def plan_page(self, request, plan_id):
        plan = self._visible_plan(request, plan_id)
        program = load_program(plan.program_id)
        who = signed_in(request)
        return render("city_plan.html", plan=plan, program=program, approvers=program.approvers, history=_history(plan),
                      coordinator=program.plan_revision.get("coordinator", ""),
                      may_decide=who.role == "ministry" and plan.status == ACCEPTED and who.scope in plan.remaining)

    def _visible_plan(self, request, plan_id):
        return access.visible_plan(signed_in(request), self.app.plan(path_id(plan_id, "plan")))

def _history(plan) -> list[dict]:
    """The plan's steps in the order they happened: each text (proposed or revised), its
    acceptance, then the opinion or send-back on it (a date alone cannot order one day's steps)."""
    steps = [{"kind": "proposed", "on": plan.proposed_on, "version": 0, "order": (0, 0)}]
    for r in plan.rounds:
        steps.append({**r, "order": (r["on_version"], 2)})
        if r["version"] is not None:
            steps.append({"kind": "revised", "on": r["revised_on"], "version": r["version"], "round": r["round"],
                          "order": (r["version"], 0)})
    steps += [{**a, "kind": "accepted", "order": (a["version"], 1)} for a in plan.acceptances]
    return sorted(steps, key=lambda step: step["order"])

