"""The registry's pages: the site's home, the public registry (search and each unit's page), the
certificate with its QR code and the certificate check, the program's progress, signing in,
the applicant's yearly reports and the province's revocations."""
from datetime import date
from uuid import UUID

import segno
from marshmallow import ValidationError
from nameko.dependency_providers import Config

from shared.errors import InvalidInput, NotFound
from shared.http import EVERYONE, path_id
from shared.programs import load_program
from shared.regions import cities, city_name
from shared.web import SITE_PROGRAM as PROGRAM, form_data, page, redirect, render, signed_in
from shared.web.figures import declaration_inputs, figure_inputs, parse_declarations, parse_figures
from shared.web.signin import SignInPages

from services.registry import access
from services.registry.domain import PROVINCE_REASONS
from services.registry.schemas import STATUSES, ListUnitsArgs, RevokeSchema

PAGE_SIZE = 20
SEARCH_FIELDS = ("q", "unit_type", "city", "status", "program_id", "round", "as_of")


class RegistryPages(SignInPages):
    config = Config()

    @page("GET", "/", roles=EVERYONE)
    def home_page(self, request):
        return render("home.html", today=self.clock.today())

    @page("GET", "/registry/", roles=EVERYONE)
    def registry_page(self, request):
        asked = {k: request.args[k].strip() for k in SEARCH_FIELDS if request.args.get(k, "").strip()}
        number = _page_number(request.args.get("page"))
        args = ListUnitsArgs().load({**asked, "limit": PAGE_SIZE, "offset": (number - 1) * PAGE_SIZE})
        as_of = args.pop("as_of", None) or self.clock.today()
        total, units = self.view.search(as_of, **args)
        return render("registry.html", units=units, total=total, asked=asked, page=number,
                      pages=max(1, -(-total // PAGE_SIZE)), as_of=as_of, cities=cities(),
                      statuses=STATUSES, unit_types=load_program(PROGRAM).unit_types)

    @page("GET", "/registry/units/<string:unit_id>", roles=EVERYONE)
    def unit_page(self, request, unit_id):
        unit = self.app.unit(path_id(unit_id, "unit"))
        assessed = load_program(unit.program_id).has_stage("annual_assessment")
        return render("unit.html", **self._verification(unit), unit=unit,
                      assessments=self.app.assessments(unit_id=unit.id) if assessed else [],
                      mine=signed_in(request).role == "applicant" and signed_in(request).scope == unit.credit_code)

    @page("GET", "/registry/units/<string:unit_id>/certificate", roles=EVERYONE)
    def certificate_page(self, request, unit_id):
        unit = self.app.unit(path_id(unit_id, "unit"))
        link = f"{self.config.get('PUBLIC_URL', '').rstrip('/')}/check/{unit.certificate_no}"
        qr = segno.make(link, error="m").svg_inline(scale=4, title=link)
        return render("certificate.html", certificate=self.app.certificate(unit.id), unit=unit, link=link, qr=qr,
                      key_id=self.signer.describe()["key_id"])

    @page("GET", "/check/", roles=EVERYONE)
    def check_page(self, request):
        number = request.args.get("no", "").strip()
        if number:
            return redirect(f"/check/{number}")
        return render("check.html", result=None, number="")

    @page("GET", "/check/<string:certificate_no>", roles=EVERYONE)
    def check_result_page(self, request, certificate_no):
        unit_id = self.view.unit_id_of_certificate(certificate_no)
        if unit_id is None:
            return render("check.html", status=404, result=None, number=certificate_no, unknown=True)
        return render("check.html", result=self._verification(self.app.unit(UUID(unit_id))), number=certificate_no)

    @page("GET", "/progress/", roles=EVERYONE)
    def progress_page(self, request):
        program_id = request.args.get("program", PROGRAM)
        try:
            program = load_program(program_id)
        except LookupError:
            raise NotFound("program", program_id) from None
        as_of = self.clock.today()
        progress = self.app.progress(program.id, self.view.holders_by_type(program.id, as_of), as_of)
        grading = (self.app.grading(program.id, self.view.holders_by_grade(program.id, as_of), as_of)
                   if program.has_stage("grading") else None)
        return render("progress.html", program=program, progress=progress, grading=grading)

    # -- the applicant's units and their yearly reports
    @page("GET", "/registry/mine", roles={"applicant"})
    def my_units_page(self, request):
        mine = [u for u in self.app.units() if u.credit_code == signed_in(request).scope]
        today = self.clock.today()
        return render("mine.html", units=[(u, self.app.missing_reports(u, today)) for u in mine])

    @page("GET", "/registry/units/<string:unit_id>/report", roles={"applicant"})
    def report_page(self, request, unit_id):
        unit = access.own(signed_in(request), self.app.unit(path_id(unit_id, "unit")))
        return render("report.html", **self._report_form(unit), values={}, year=self.clock.today().year - 1)

    @page("POST", "/registry/units/<string:unit_id>/report", roles={"applicant"})
    def submit_report_page(self, request, unit_id):
        unit = access.own(signed_in(request), self.app.unit(path_id(unit_id, "unit")))
        form_fields = self._report_form(unit)
        form = form_data(request, {"year"} | {i.name for i in form_fields["figures"]}
                         | {name for name, _ in form_fields["declarations"]})
        year = form.get("year", "")
        if not year.isdigit():
            raise InvalidInput("the report's year is a number", {"year": ["must be a year such as 2026"]})
        self.app.submit_report(unit.id, today=self.clock.today(), year=int(year),
                               figures=parse_figures(form, form_fields["figures"]),
                               declarations=parse_declarations(form, form_fields["declarations"]))
        return redirect(f"/registry/units/{unit.id}?reported={year}")

    # -- the province's side
    @page("GET", "/operator/units/", roles=("operator", "auditor"))
    def operator_units_page(self, request):
        total, units = self.view.search(self.clock.today(), status="any", limit=1000, offset=0)
        due = set(self.view.due_for_rereview(self.clock.today()))
        return render("operator_units.html", units=units, total=total, due=due)

    @page("GET", "/operator/units/<string:unit_id>/revoke", roles=("operator",))
    def revoke_page(self, request, unit_id):
        unit = self.app.unit(path_id(unit_id, "unit"))
        return render("revoke.html", unit=unit, reasons=PROVINCE_REASONS)

    @page("POST", "/operator/units/<string:unit_id>/revoke", roles=("operator",))
    def revoke_unit(self, request, unit_id):
        unit = self.app.unit(path_id(unit_id, "unit"))
        form = form_data(request, {"reason_code", "evidence_ref", "note"})
        data = RevokeSchema().load(form.to_dict())
        self.app.revoke(unit.id, today=self.clock.today(), **data)
        return redirect(f"/registry/units/{unit.id}")

    def _verification(self, unit) -> dict:
        today = self.clock.today()
        state = self.view.unit_at(unit.id, today)
        if state is None:
            raise NotFound("unit", unit.id)
        return {"verification": self.app.verification(unit.id, state, today), "state": state, "today": today,
                "city": city_name(state["region_code"])}

    def _report_form(self, unit) -> dict:
        program = load_program(unit.program_id)
        today: date = self.clock.today()
        years = [str(today.year - n) for n in (3, 2, 1)]
        return {"unit": unit, "figures": figure_inputs(program, unit.unit_type, unit.subtype, years),
                "declarations": declaration_inputs(program, unit.unit_type, unit.subtype)}


def _page_number(text: str | None) -> int:
    if not text:
        return 1
    if not text.isdigit() or int(text) < 1:
        raise ValidationError({"page": ["must be a whole number from 1"]})
    return int(text)
