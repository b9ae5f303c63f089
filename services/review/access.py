"""Who may see and act on which review or expert record: the one place the review service scopes
its objects. Another party's object answers as if it did not exist (404)."""
from shared.auth import Identity
from shared.errors import NotFound

from services.review.domain import Review

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
