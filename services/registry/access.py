"""Who may act on which unit: the one place the registry scopes its objects. The registry is
public to read; a unit's own commands (its reports, giving its title up) are its applicant's."""
from shared.auth import Identity
from shared.errors import NotFound

from services.registry.domain import Unit


def own(identity: Identity, unit: Unit) -> Unit:
    """The unit if the caller is its applicant (the token's scope is its credit code); else 404."""
    if identity.role != "applicant" or identity.scope != unit.credit_code:
        raise NotFound("unit", unit.id)
    return unit
