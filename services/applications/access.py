"""Who may see and decide which application: the one place the applications service scopes its objects."""
from shared.auth import Identity
from shared.errors import Forbidden, NotFound

from services.applications.domain import Application

READERS_OF_ALL = ("operator", "auditor")


def city_of(region_code: str) -> str:
    return region_code[:4] + "00"


def recommends_for(identity: Identity, region_code: str) -> bool:
    """A city department recommends for its whole city; a pilot county for itself."""
    return identity.role == "recommender" and identity.scope in (region_code, city_of(region_code))


def may_see(identity: Identity, application: Application) -> bool:
    if identity.role in READERS_OF_ALL:
        return True
    if identity.role == "applicant":
        return identity.scope == application.credit_code
    return recommends_for(identity, application.region_code)


def visible(identity: Identity, application: Application) -> Application:
    """The application if the caller may see it; otherwise it does not exist for them (404)."""
    if not may_see(identity, application):
        raise NotFound("application", application.id)
    return application


def decidable(identity: Identity, application: Application) -> Application:
    """The application if the caller is its recommending department."""
    if not recommends_for(identity, visible(identity, application).region_code):
        raise NotFound("application", application.id)
    return application


def require_own_unit(identity: Identity, credit_code: str) -> None:
    if identity.scope != credit_code:
        raise Forbidden("an applicant applies only for its own unit (credit_code must be the token's scope)",
                        {"credit_code": ["is not the unified social credit code of your token"]})
