"""The registry's endpoints for the national cities' annual assessments and commendations
(ADR 42), mixed into RegistryService: the coordination group records; anyone reads."""
from shared.http import EVERYONE, caller, http, listing, load_args, load_json, path_id

from services.registry.assessment_schemas import (AssessmentArgs, AssessmentOut, AssessmentSchema, CommendationOut,
                                                  CommendationSchema)


class AssessmentEndpoints:
    @http("POST", "/units/<string:unit_id>/assessments", roles={"coordinator"}, body=AssessmentSchema,
          response=AssessmentOut, status=201)
    def record_assessment(self, request, unit_id):
        """A unit's result for a whole year of its title, from its program's list; once per year."""
        unit = self.app.unit(path_id(unit_id, "unit"))
        data = load_json(request, AssessmentSchema())
        assessment = self.app.record_assessment(unit.id, by=caller(request).subject, today=self.clock.today(), **data)
        return 201, AssessmentOut().dump(assessment)

    @http("GET", "/units/<string:unit_id>/assessments", roles=EVERYONE, response=listing("assessments", AssessmentOut))
    def unit_assessments(self, request, unit_id):
        unit = self.app.unit(path_id(unit_id, "unit"))
        return {"assessments": AssessmentOut(many=True).dump(self.app.assessments(unit_id=unit.id))}

    @http("POST", "/units/<string:unit_id>/commendations", roles={"coordinator"}, body=CommendationSchema,
          response=AssessmentOut, status=201)
    def commend(self, request, unit_id):
        """Commends (嘉奖) a unit for a year whose assessment result is commendable; once."""
        unit = self.app.unit(path_id(unit_id, "unit"))
        data = load_json(request, CommendationSchema())
        assessment = self.app.commend(unit.id, data["year"], data["citation"], by=caller(request).subject,
                                      today=self.clock.today())
        return 201, AssessmentOut().dump(assessment)

    @http("GET", "/programs/<string:program_id>/assessments", roles=EVERYONE, args=AssessmentArgs,
          response=listing("assessments", AssessmentOut))
    def program_assessments(self, request, program_id):
        """A program's assessments, of one year or all, by year and certificate number."""
        year = load_args(request, AssessmentArgs()).get("year")
        return {"assessments": AssessmentOut(many=True).dump(
            self.app.assessments(program_id=self.app.program(program_id).id, year=year))}

    @http("GET", "/programs/<string:program_id>/commendations", roles=EVERYONE,
          response=listing("commendations", CommendationOut))
    def commendations(self, request, program_id):
        """The units a program commended, by year."""
        return {"commendations": CommendationOut(many=True).dump(
            self.app.assessments(program_id=self.app.program(program_id).id, commended=True))}

