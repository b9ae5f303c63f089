"""The applications service's pages: the applicant's form with its live eligibility pre-check,
its applications and their status (answering a return); the city clerk's queue with each
eligibility report and the quota left; the province's rounds."""
from datetime import date

from shared.errors import InvalidInput
from shared.http import path_id
from shared.programs import load_program
from shared.regions import cities
from shared.web import SITE_PROGRAM as PROGRAM, form_data, page, redirect, render, signed_in
from shared.web.figures import declaration_inputs, figure_inputs, form_values, parse_declarations, parse_figures

from services.applications import access
from services.applications.domain import EDITABLE, SUBMITTED, UNIT_TYPES
from services.applications.schemas import (AmendSchema, DraftSchema, NoteSchema, OpenRoundSchema, ReasonSchema,
                                           ReturnSchema)

UNIT_FIELDS = {"round_id", "application_id", "unit_type", "subtype", "unit_name", "region_code", "provincial_level",
               "contact_name", "contact_phone"}


class ApplicationsPages:
    # -- the applicant
    @page("GET", "/apply/", roles={"applicant"})
    def my_applications_page(self, request):
        mine = [a for a in self.app.applications() if access.may_see(signed_in(request), a)]
        return render("my_applications.html", applications=mine, rounds={r.id: r for r in self.app.rounds()})

    @page("GET", "/apply/new", roles={"applicant"})
    def new_application_page(self, request):
        program = load_program(PROGRAM)
        kind = request.args.get("kind")
        if not kind:
            return render("choose_kind.html", program=program)
        unit_type, _, subtype = kind.partition(".")
        _check_kind(program, unit_type, subtype or None)
        values = {"unit_type": unit_type, "subtype": subtype, "round_id": request.args.get("round_id", "")}
        return self._form(request, program, values, action="/apply/new")

    @page("POST", "/apply/check", roles={"applicant"})
    def check_page(self, request):
        """The pre-check of the form as filled in, written nowhere: the whole form again without
        JavaScript, or only the report (`?fragment=1`) for the page's script."""
        program = load_program(PROGRAM)
        form, data = self._posted(request, program)
        report = _precheck(program, data)
        if request.args.get("fragment"):
            return render("_precheck.html", report=report)
        action = f"/apply/{form['application_id']}/edit" if form.get("application_id") else "/apply/new"
        return self._form(request, program, form.to_dict(), action=action, report=report)

    @page("POST", "/apply/new", roles={"applicant"})
    def draft_page(self, request):
        program = load_program(PROGRAM)
        form, data = self._posted(request, program)
        body = DraftSchema().load({**data, "round_id": form.get("round_id", ""), "credit_code": signed_in(request).scope})
        access.require_own_unit(signed_in(request), body["credit_code"])
        application = self.app.draft(**body, by=signed_in(request).subject, at=self.clock.now())
        return redirect(f"/apply/{application.id}?saved=1")

    @page("GET", "/apply/<string:application_id>", roles={"applicant"})
    def application_page(self, request, application_id):
        application = access.own(signed_in(request), self._load(application_id))
        return render("application.html", application=application, round=self.app.round(application.round_id),
                      editable=application.status in EDITABLE)

    @page("GET", "/apply/<string:application_id>/edit", roles={"applicant"})
    def edit_page(self, request, application_id):
        application = access.own(signed_in(request), self._load(application_id))
        program = load_program(application.program_id)
        values = {"application_id": str(application.id), "unit_type": application.unit_type,
                  "subtype": application.subtype or "", "unit_name": application.unit_name,
                  "region_code": application.region_code,
                  "provincial_level": "yes" if application.provincial_level else "",
                  "contact_name": application.contact["name"], "contact_phone": application.contact["phone"],
                  **form_values(application.figures, application.declarations)}
        return self._form(request, program, values, action=f"/apply/{application.id}/edit",
                          report=_precheck(program, {**values, "figures": application.figures,
                                                     "declarations": application.declarations,
                                                     "subtype": application.subtype}),
                          application=application)

    @page("POST", "/apply/<string:application_id>/edit", roles={"applicant"})
    def amend_page(self, request, application_id):
        application = access.own(signed_in(request), self._load(application_id))
        _, data = self._posted(request, load_program(application.program_id))
        changes = AmendSchema().load({k: data[k] for k in ("unit_name", "region_code", "provincial_level", "contact",
                                                           "figures", "declarations")})
        self.app.amend(application.id, changes, by=signed_in(request).subject, at=self.clock.now())
        return redirect(f"/apply/{application.id}?saved=1")

    @page("POST", "/apply/<string:application_id>/submit", roles={"applicant"})
    def submit_page(self, request, application_id):
        application = access.own(signed_in(request), self._load(application_id))
        form_data(request, set())
        self.app.submit(application.id, by=signed_in(request).subject, at=self.clock.now())
        return redirect(f"/apply/{application.id}?submitted=1")

    # -- the city clerk (the recommending authority)
    @page("GET", "/clerk/", roles={"recommender"})
    def clerk_queue_page(self, request):
        me = signed_in(request)
        queue = [a for a in self.app.applications() if access.may_see(me, a)]
        queue.sort(key=lambda a: (a.status != SUBMITTED, a.submitted_at or a.drafted_at))
        return render("clerk_queue.html", applications=queue, quotas=self._quotas(me.scope),
                      city=cities().get(me.scope, me.scope))

    @page("GET", "/clerk/applications/<string:application_id>", roles={"recommender"})
    def clerk_application_page(self, request, application_id):
        application = access.decidable(signed_in(request), self._load(application_id))
        quota = self.app.quota(application.round_id, application.recommender, application.unit_type)
        return render("clerk_application.html", application=application, quota=quota,
                      round=self.app.round(application.round_id))

    @page("POST", "/clerk/applications/<string:application_id>/return", roles={"recommender"})
    def return_page(self, request, application_id):
        application = access.decidable(signed_in(request), self._load(application_id))
        text = form_data(request, {"reasons"}).get("reasons", "")
        data = ReturnSchema().load({"reasons": [line.strip() for line in text.splitlines() if line.strip()]})
        self.app.return_for_correction(application.id, data["reasons"], by=signed_in(request).scope, at=self.clock.now())
        return redirect("/clerk/?done=returned")

    @page("POST", "/clerk/applications/<string:application_id>/recommend", roles={"recommender"})
    def recommend_page(self, request, application_id):
        application = access.decidable(signed_in(request), self._load(application_id))
        data = NoteSchema().load(form_data(request, {"note"}).to_dict())
        self.app.recommend(application.id, by=signed_in(request).scope, note=data["note"], at=self.clock.now())
        return redirect("/clerk/?done=recommended")

    @page("POST", "/clerk/applications/<string:application_id>/decline", roles={"recommender"})
    def decline_page(self, request, application_id):
        application = access.decidable(signed_in(request), self._load(application_id))
        data = ReasonSchema().load(form_data(request, {"reason"}).to_dict())
        self.app.decline(application.id, by=signed_in(request).scope, reason=data["reason"], at=self.clock.now())
        return redirect("/clerk/?done=declined")

    # -- the province's rounds
    @page("GET", "/operator/rounds/", roles=("operator", "auditor"))
    def rounds_page(self, request):
        return render("rounds.html", rounds=self.app.rounds(), today=self.clock.today(), program_id=PROGRAM)

    @page("POST", "/operator/rounds/", roles={"operator"})
    def open_round_page(self, request):
        data = OpenRoundSchema().load(form_data(request, {"program_id", "label", "submission_deadline"}).to_dict())
        self.app.open_round(**data, by=signed_in(request).subject, at=self.clock.now())
        return redirect("/operator/rounds/")

    # -- helpers
    def _load(self, application_id):
        return self.app.application(path_id(application_id, "application"))

    def _quotas(self, recommender: str) -> list:
        """(round, unit type, quota) of every round still taking applications, and the last one."""
        today: date = self.clock.today()
        rounds = sorted(self.app.rounds(), key=lambda r: r.submission_deadline, reverse=True)
        current = [r for r in rounds if r.submission_deadline >= today] or rounds[:1]
        return [(r, t, self.app.quota(r.id, recommender, t)) for r in current for t in UNIT_TYPES]

    def _form(self, request, program, values: dict, action: str, report=None, application=None):
        unit_type, subtype = values["unit_type"], values.get("subtype") or None
        today = self.clock.today()
        years = [str(today.year - n) for n in (3, 2, 1)]
        rounds = [r for r in self.app.rounds() if r.submission_deadline >= today and r.program_id == program.id]
        return render("apply_form.html", program=program, values=values, action=action, report=report,
                      figures=figure_inputs(program, unit_type, subtype, years),
                      declarations=declaration_inputs(program, unit_type, subtype), rounds=rounds,
                      credit_code=signed_in(request).scope, application=application, errors={})

    def _posted(self, request, program):
        """The posted form and the application it describes (figures parsed exactly)."""
        unit_type, subtype = request.form.get("unit_type", ""), request.form.get("subtype") or None
        _check_kind(program, unit_type, subtype)
        years = sorted({name.rsplit(".", 1)[1] for name in request.form if name.startswith("fig.") and
                        name.count(".") == 2})
        figures, declarations = (figure_inputs(program, unit_type, subtype, years),
                                 declaration_inputs(program, unit_type, subtype))
        form = form_data(request, UNIT_FIELDS | {i.name for i in figures} | {n for n, _ in declarations})
        data = {"unit_name": form.get("unit_name", ""), "unit_type": unit_type, "subtype": subtype,
                "region_code": form.get("region_code", ""), "provincial_level": form.get("provincial_level") == "yes",
                "contact": {"name": form.get("contact_name", ""), "phone": form.get("contact_phone", "")},
                "figures": parse_figures(form, figures), "declarations": parse_declarations(form, declarations)}
        return form, data


def _check_kind(program, unit_type: str, subtype: str | None) -> None:
    subtypes = program.unit_types.get(unit_type)
    if subtypes is None:
        raise InvalidInput(f"{program.id} has no unit type {unit_type!r}", {"unit_type": ["unknown"]})
    if (subtypes and subtype not in subtypes) or (not subtypes and subtype):
        raise InvalidInput(f"subtype {subtype!r} does not fit {unit_type}", {"subtype": ["unknown for this unit type"]})


def _precheck(program, data: dict) -> dict:
    """What the program says of these figures: the missing or malformed ones, else its report."""
    if not data.get("region_code") or program.city_of(data["region_code"]) not in cities():
        return {"problems": {"region_code": ["a 6-digit code of a Sichuan region, e.g. 510703"]}}
    errors = program.validate_application({**data, "provincial_level": bool(data.get("provincial_level"))})
    if errors:
        return {"problems": errors}
    return {"report": program.evaluate({**data, "provincial_level": bool(data.get("provincial_level"))}).as_dict()}

