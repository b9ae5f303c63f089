"""Who may see and act on which application or quota: the one place the applications service
scopes its objects. Another party's object answers as if it did not exist (404)."""
from shared.auth import Identity
from shared.errors import Forbidden, NotFound
from shared.regions import PROVINCE

from services.applications.domain import DRAFT, Application

READERS_OF_ALL = ("operator", "auditor")


def may_see(identity: Identity, application: Application) -> bool:
    if identity.role in READERS_OF_ALL:
        return True
    if identity.role == "applicant":
        return identity.scope == application.credit_code
    if identity.role == "recommender":  # what is addressed to it, once submitted
        return identity.scope == application.recommender and application.status != DRAFT
    return False


def visible(identity: Identity, application: Application) -> Application:
    if not may_see(identity, application):
        raise NotFound("application", application.id)
    return application


def own(identity: Identity, application: Application) -> Application:
    """The application if the caller is its applicant."""
    if identity.role != "applicant" or identity.scope != application.credit_code:
        raise NotFound("application", application.id)
    return application


def decidable(identity: Identity, application: Application) -> Application:
    """The application if the caller is its recommending authority: the city or pilot county it
    was addressed to, or the province for a provincial-level enterprise."""
    visible(identity, application)
    if identity.role == "operator":
        if application.recommender != PROVINCE:
            raise Forbidden("the province decides only provincial-level applications; "
                            f"this one is for {application.recommender} to decide")
        return application
    if identity.role != "recommender" or identity.scope != application.recommender:
        raise NotFound("application", application.id)
    return application


def require_own_unit(identity: Identity, credit_code: str) -> None:
    if identity.scope != credit_code:
        raise Forbidden("an applicant applies only for its own unit (credit_code must be the token's scope)",
                        {"credit_code": ["is not the unified social credit code of your token"]})


def quota_filter(identity: Identity) -> str | None:
    """Whose quotas the caller reads: a recommender only its own; the province and auditors all."""
    return identity.scope if identity.role == "recommender" else None
