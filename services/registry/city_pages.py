"""The registry's pages for the national cities (ADR 42): the coordination group's list of the
program's certified cities with the forms to record a year's assessment and to commend a
commendable result, and the public list of the program's commendations (嘉奖) by year."""
from itertools import groupby

from marshmallow import ValidationError

from shared.errors import NotFound
from shared.http import EVERYONE, path_id
from shared.programs import load_program
from shared.web import CITIES_PROGRAM, form_data, page, redirect, render, signed_in

from services.registry.assessment_schemas import AssessmentSchema, CommendationSchema
from services.registry.readmodel import ANY_STATUS

GROUP = ("coordinator", "auditor")


class CityAssessmentPages:
    @page("GET", "/city-assessments/", roles=GROUP)
    def city_assessments_page(self, request):
        program = load_program(CITIES_PROGRAM)
        today = self.clock.today()
        _, units = self.view.search(today, program_id=program.id, status=ANY_STATUS, limit=10_000)
        assessed = {}
        for assessment in self.app.assessments(program_id=program.id):
            assessed.setdefault(str(assessment.unit_id), []).append(assessment)
        return render("city_assessments.html", program=program, units=units, assessed=assessed, today=today,
                      results=program.assessment["results"], commendable=program.assessment["commendable"])

    @page("POST", "/city-assessments/units/<string:unit_id>/assessment", roles={"coordinator"})
    def record_assessment_page(self, request, unit_id):
        unit = self._city(unit_id)
        form = form_data(request, {"year", "result", "remarks"})
        data = AssessmentSchema().load({**form.to_dict(), "year": _year(form.get("year"))})
        self.app.record_assessment(unit.id, by=signed_in(request).subject, today=self.clock.today(), **data)
        return redirect(f"/city-assessments/?recorded={unit.id}#unit-{unit.id}")

    @page("POST", "/city-assessments/units/<string:unit_id>/commendation", roles={"coordinator"})
    def commend_page(self, request, unit_id):
        unit = self._city(unit_id)
        form = form_data(request, {"year", "citation"})
        data = CommendationSchema().load({**form.to_dict(), "year": _year(form.get("year"))})
        self.app.commend(unit.id, data["year"], data["citation"], by=signed_in(request).subject,
                         today=self.clock.today())
        return redirect(f"/city-assessments/?commended={unit.id}#unit-{unit.id}")

    @page("GET", "/commendations/", roles=EVERYONE)
    def commendations_page(self, request):
        """Public: the cities the program commended, newest year first, with the citation."""
        program = load_program(CITIES_PROGRAM)
        commended = sorted(self.app.assessments(program_id=program.id, commended=True),
                           key=lambda a: (-a.year, a.certificate_no))
        return render("commendations.html", program=program,
                      years=[(year, list(items)) for year, items in groupby(commended, key=lambda a: a.year)])

    def _city(self, unit_id):
        """A unit of the cities' program (another program's unit is not one of these pages': 404)."""
        unit = self.app.unit(path_id(unit_id, "unit"))
        if unit.program_id != CITIES_PROGRAM:
            raise NotFound("unit", unit.id)
        return unit


def _year(text):
    """The year as typed: digits become a number; anything else is refused naming the field."""
    text = (text or "").strip()
    if not text.isdigit():
        raise ValidationError({"year": ["must be a year such as 2027"]})
    return int(text)
