"""The registry service's nameko entrypoints: the public registry (anyone reads it), certificates
and their verification, the unit's reports and giving up, the province's revocations and
amendments, and the timer that asks for re-reviews. Its pages are in pages.py."""
from uuid import UUID

from nameko.timer import timer
from werkzeug.wrappers import Response

from shared.certificates import canonical_json
from shared.errors import NotFound
from shared.audit.endpoints import ReplayEndpoint
from marshmallow import fields

from shared.http import EVERYONE, caller, http, listing, load_args, load_json, path_id
from shared.messaging.log import public_history
from shared.runtime import Clock, EventSourced
from shared.service import EventSourcedService

from services.registry import access
from services.registry.app import RegistryApp
from services.registry.assessment_endpoints import AssessmentEndpoints
from services.registry.city_pages import CityAssessmentPages
from services.registry.dependencies import CertificateSigner, ReadModel
from services.registry.grant_schemas import (AdvanceSchema, GrantOut, GrantSchema, GrantsOfYearOut,
                                             ListStandardsArgs, StandardOut, StandardSchema, YearArgs)
from services.registry.pages import RegistryPages
from services.registry.policies import FROM_REVIEW
from services.registry.schemas import (DETAIL_BY_ROLE, AmendSchema, AsOfArgs, CertificateKeyOut, CertificateOut,
                                       GiveUpSchema, GradeSchema, GradingOut, ListUnitsArgs, OverdueOut, ProgressOut, ReportOut,
                                       ReportSchema, RevokeSchema, UnitDetailOut, UnitOut, VerificationOut)


class RegistryService(AssessmentEndpoints, CityAssessmentPages, RegistryPages, ReplayEndpoint, EventSourcedService):
    name = "registry"
    app = EventSourced(RegistryApp, follows={"review": FROM_REVIEW})
    clock = Clock()
    view = ReadModel()
    signer = CertificateSigner()

    # -- the public registry
    @http("GET", "/units", roles=EVERYONE, args=ListUnitsArgs,
          response=listing("units", UnitOut, as_of=fields.Date(), total=fields.Integer(), limit=fields.Integer(),
                           offset=fields.Integer()))
    def list_units(self, request):
        """Units holding the title (or in the status asked for) at the end of `as_of` (today)."""
        args = load_args(request, ListUnitsArgs())
        as_of = args.pop("as_of", None) or self.clock.today()
        total, units = self.view.search(as_of, **args)
        return {"as_of": as_of, "total": total, "limit": args["limit"], "offset": args["offset"],
                "units": UnitOut(many=True).dump(units)}

    @http("GET", "/units/<string:unit_id>", roles=EVERYONE, args=AsOfArgs, response=UnitDetailOut)
    def get_unit(self, request, unit_id):
        """The unit today (with overdue reports), or as it stood at the end of `as_of`."""
        unit = self._load(unit_id)
        as_of = load_args(request, AsOfArgs()).get("as_of")
        if as_of is not None:
            return UnitOut().dump(self._state(unit.id, as_of))
        detail = DETAIL_BY_ROLE.get(caller(request).role, UnitDetailOut)().dump(unit)
        overdue = self.app.missing_reports(unit, self.clock.today())
        return {**detail, "reports_overdue": OverdueOut(many=True).dump(overdue)}

    @http("GET", "/units/<string:unit_id>/history", roles=EVERYONE)
    def unit_history(self, request, unit_id):
        return public_history(self.app, self._load(unit_id).id)

    @http("GET", "/programs/<string:program_id>/progress", roles=EVERYONE, args=AsOfArgs, response=ProgressOut)
    def progress(self, request, program_id):
        """Title holders by unit type against the program's targets."""
        as_of = load_args(request, AsOfArgs()).get("as_of") or self.clock.today()
        return ProgressOut().dump(self.app.progress(program_id, self.view.holders_by_type(program_id, as_of), as_of))

    @http("GET", "/programs/<string:program_id>/grades", roles=EVERYONE, args=AsOfArgs, response=GradingOut)
    def grades(self, request, program_id):
        """A grading program's holders by grade, and each share at or above its target grade."""
        as_of = load_args(request, AsOfArgs()).get("as_of") or self.clock.today()
        return GradingOut().dump(self.app.grading(program_id, self.view.holders_by_grade(program_id, as_of), as_of))

    # -- certificates
    @http("GET", "/units/<string:unit_id>/certificate", roles=EVERYONE, response=CertificateOut)
    def certificate(self, request, unit_id):
        """The signed certificate, as canonical JSON: `shifan certificate verify` checks it offline."""
        unit = self._load(unit_id)
        document = self.signer.sign(self.app.certificate(unit.id))
        return Response(canonical_json(document), mimetype="application/json",
                        headers={"Content-Disposition": f'inline; filename="{unit.certificate_no}.json"'})

    @http("GET", "/certificate-key", roles=EVERYONE, response=CertificateKeyOut)
    def certificate_key(self, request):
        """The public key certificates are signed with (PEM and JWK)."""
        return CertificateKeyOut().dump(self.signer.describe())

    @http("GET", "/verify/<string:certificate_no>", roles=EVERYONE, args=AsOfArgs, response=VerificationOut)
    def verify(self, request, certificate_no):
        """A certificate's status (valid, revoked, given_up) and timeline, at the end of `as_of` (today)."""
        as_of = load_args(request, AsOfArgs()).get("as_of") or self.clock.today()
        unit_id = self.view.unit_id_of_certificate(certificate_no)
        if unit_id is None:
            raise NotFound("certificate", certificate_no)
        state = self._state(UUID(unit_id), as_of, kind="certificate", ident=certificate_no)
        return VerificationOut().dump(self.app.verification(UUID(unit_id), state, as_of))

    # -- the unit's side
    @http("GET", "/units/<string:unit_id>/reports", roles=EVERYONE, response=listing("reports", ReportOut))
    def list_reports(self, request, unit_id):
        unit = self._load(unit_id)
        return {"reports": ReportOut(many=True).dump([unit.reports[y] for y in sorted(unit.reports)])}

    @http("POST", "/units/<string:unit_id>/reports", roles={"applicant"}, body=ReportSchema, response=ReportOut,
          status=201)
    def submit_report(self, request, unit_id):
        """The unit's yearly figures, checked as an application of its type is (400 naming fields)."""
        unit = access.own(caller(request), self._load(unit_id))
        data = load_json(request, ReportSchema())
        unit = self.app.submit_report(unit.id, today=self.clock.today(), **data)
        return 201, ReportOut().dump(unit.reports[data["year"]])

    @http("POST", "/units/<string:unit_id>/give-up", roles={"applicant"}, body=GiveUpSchema, response=UnitDetailOut)
    def give_up(self, request, unit_id):
        unit = access.own(caller(request), self._load(unit_id))
        data = load_json(request, GiveUpSchema())
        return UnitDetailOut().dump(self.app.give_up(unit.id, data["reason"], today=self.clock.today()))

    # -- the province's side
    @http("POST", "/units/<string:unit_id>/revoke", roles={"operator"}, body=RevokeSchema, response=UnitDetailOut)
    def revoke(self, request, unit_id):
        """Revokes the title from today, with a reason code and the evidence it rests on."""
        unit = self._load(unit_id)
        data = load_json(request, RevokeSchema())
        return self._detail(request, self.app.revoke(unit.id, today=self.clock.today(), **data))

    @http("POST", "/units/<string:unit_id>/grade", roles={"operator"}, body=GradeSchema, response=UnitDetailOut)
    def regrade(self, request, unit_id):
        """Sets the unit's grade from today, with the reason; its grade history keeps the old one."""
        unit = self._load(unit_id)
        data = load_json(request, GradeSchema())
        return self._detail(request, self.app.regrade(unit.id, data["grade"], data["reason"], self.clock.today()))

    @http("PATCH", "/units/<string:unit_id>", roles={"operator"}, body=AmendSchema, response=UnitDetailOut)
    def amend(self, request, unit_id):
        """Changes the unit's name, region or subtype from today; its history keeps the old ones."""
        unit = self._load(unit_id)
        data = load_json(request, AmendSchema())
        reason = data.pop("reason")
        return self._detail(request, self.app.amend(unit.id, data, reason, today=self.clock.today()))

    # -- standards and grants (the `grant` stage)
    @http("POST", "/standards", roles={"operator"}, body=StandardSchema, response=StandardOut, status=201)
    def register_standard(self, request):
        data = load_json(request, StandardSchema())
        return 201, StandardOut().dump(self.app.register_standard(today=self.clock.today(), **data))

    @http("GET", "/standards", roles=EVERYONE, args=ListStandardsArgs, response=listing("standards", StandardOut))
    def list_standards(self, request):
        """Standards by title or number, level and status (the public standards platform)."""
        return {"standards": StandardOut(many=True).dump(self.app.standards(**load_args(request, ListStandardsArgs())))}

    @http("GET", "/standards/<string:standard_id>", roles=EVERYONE, response=StandardOut)
    def get_standard(self, request, standard_id):
        return StandardOut().dump(self.app.standard(path_id(standard_id, "standard")))

    @http("POST", "/standards/<string:standard_id>/status", roles={"operator"}, body=AdvanceSchema,
          response=StandardOut)
    def advance_standard(self, request, standard_id):
        standard = self.app.standard(path_id(standard_id, "standard"))
        data = load_json(request, AdvanceSchema())
        return StandardOut().dump(self.app.advance_standard(standard.id, data["status"], self.clock.today()))

    @http("POST", "/programs/<string:program_id>/grants", roles={"operator"}, body=GrantSchema, response=GrantOut,
          status=201)
    def pay_grant(self, request, program_id):
        """Pays a scheme's grant, computed by the program's rule, once per subject, within the year's budget."""
        data = load_json(request, GrantSchema())
        return 201, GrantOut().dump(self.app.pay_grant(program_id, today=self.clock.today(), **data))

    @http("GET", "/programs/<string:program_id>/grants", roles=EVERYONE, args=YearArgs, response=GrantsOfYearOut)
    def grants_of_year(self, request, program_id):
        """The grants a program paid in a year, against that year's budget."""
        year = load_args(request, YearArgs())["year"]
        return GrantsOfYearOut().dump(self.app.grants_of_year(program_id, year))

    # -- time
    @timer(interval=1)
    def request_due_rereviews(self):
        """Asks for the re-review of every unit whose re-review is due on the service clock."""
        today = self.clock.today()
        self.app.request_due_rereviews(today, self.view.due_for_rereview(today))

    def _load(self, unit_id):
        return self.app.unit(path_id(unit_id, "unit"))

    def _state(self, unit_id, as_of, kind="unit", ident=None) -> dict:
        state = self.view.unit_at(unit_id, as_of)
        if state is None:  # not yet certified on that day
            raise NotFound(kind, ident or unit_id)
        return state

    @staticmethod
    def _detail(request, unit):
        return DETAIL_BY_ROLE.get(caller(request).role, UnitDetailOut)().dump(unit)
