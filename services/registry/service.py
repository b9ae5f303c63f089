"""The registry service's nameko entrypoints: the public registry of certified units (anyone reads it)."""
from shared.http import EVERYONE, http, load_args, path_id
from shared.messaging.log import public_history
from shared.runtime import EventSourced
from shared.service import EventSourcedService

from services.registry.app import RegistryApp
from services.registry.policies import FROM_REVIEW
from services.registry.schemas import ListUnitsArgs, UnitOut


class RegistryService(EventSourcedService):
    name = "registry"
    app = EventSourced(RegistryApp, follows={"review": FROM_REVIEW})

    @http("GET", "/units", roles=EVERYONE)
    def list_units(self, request):
        args = load_args(request, ListUnitsArgs())
        if "application_id" in args:
            units = self.app.units_of_application(args["application_id"])
        else:
            units = self.app.units()[args["offset"]:args["offset"] + args["limit"]]
        return {"units": UnitOut(many=True).dump(units)}

    @http("GET", "/units/<string:unit_id>", roles=EVERYONE)
    def get_unit(self, request, unit_id):
        return UnitOut().dump(self.app.unit(path_id(unit_id, "unit")))

    @http("GET", "/units/<string:unit_id>/history", roles=EVERYONE)
    def unit_history(self, request, unit_id):
        return public_history(self.app, self.app.unit(path_id(unit_id, "unit")).id)
