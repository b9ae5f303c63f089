"""Who may see and act on which review, expert record or city plan: the one place the review
service scopes its objects. Another party's object answers as if it did not exist (404)."""
from shared.auth import Identity
from shared.errors import Forbidden, NotFound
from shared.programs import Program

from services.review.domain import Review
from services.review.plans import CityPlan

GOVERNMENT = "11"  # a unified social credit code of a government body (机关) starts with 11

READERS_OF_ALL = ("operator", "auditor")


def may_see(identity: Identity, review: Review) -> bool:
    role, scope = identity.role, identity.scope
    if role in READERS_OF_ALL:
        return True
    if role == "expert":
        return scope in review.experts
    if role == "applicant":
        return scope == review.credit_code
    if role == "recommender":
        return scope in (review.region_code, review.region_code[:4] + "00")
    return False


def visible(identity: Identity, review: Review) -> Review:
    if not may_see(identity, review):
        raise NotFound("review", review.id)
    return review


def assigned(identity: Identity, review: Review) -> Review:
    """The review if the caller is one of its assigned experts."""
    if identity.role != "expert" or identity.scope not in review.experts:
        raise NotFound("review", review.id)
    return review


def own_expert_record(identity: Identity, expert_id: str) -> None:
    """An expert declares its own interests; the province may record them for any expert."""
    if identity.role == "expert" and identity.scope != expert_id:
        raise NotFound("expert", expert_id)


# -- the national cities' plans (ADR 42)
def city_government(identity: Identity) -> str:
    """The credit code of the calling city government (an applicant whose code is a government
    body's); any other applicant is refused (403)."""
    if not (identity.scope or "").startswith(GOVERNMENT):
        raise Forbidden("only a city government (a credit code starting with 11) has a city plan")
    return identity.scope


def visible_plan(identity: Identity, plan: CityPlan) -> CityPlan:
    """The plan, if the caller may see it: a city government only its own (another's: 404)."""
    if identity.role == "applicant" and identity.scope != plan.credit_code:
        raise NotFound("plan", plan.id)
    return plan


def approver_key(identity: Identity, program: Program, plan: CityPlan | None = None) -> str:
    """The calling ministry's key, if the program (or the plan's acceptance) names it (403 otherwise)."""
    key = identity.scope or ""
    if key not in program.approvers and (plan is None or key not in plan.approvers):
        raise Forbidden(f"{key or 'this ministry'} is not an approver of {program.id}")
    return key
