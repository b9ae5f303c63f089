"""Whose deliveries a caller may read: the one place the notify service scopes its objects."""
from shared.auth import Identity
from shared.errors import Forbidden, NotFound

READERS_OF_ALL = ("operator", "auditor")


def own_recipient(identity: Identity) -> str | None:
    """The inbox a scoped caller reads; None for those who read every inbox."""
    if identity.role in READERS_OF_ALL:
        return None
    if identity.role == "agency":
        return f"agency:{identity.scope}"
    if identity.role == "expert":
        return "experts"
    if identity.scope is None:  # an unscoped role (the coordination group) has one inbox
        return identity.role
    return f"{identity.role}:{identity.scope}"


def recipient_filter(identity: Identity, asked: str | None) -> str | None:
    """The recipient to filter by: the caller's own inbox, unless they read all of them.
    Asking for somebody else's inbox answers as if it did not exist (404)."""
    own = own_recipient(identity)
    if own is None:
        return asked
    if asked is not None and asked != own:
        raise NotFound("inbox", asked)
    return own


def subscriber(identity: Identity, channel: str) -> str:
    """Whose subscription a caller makes: its own inbox's, or an agency's webhook."""
    if identity.role == "agency":
        if channel != "webhook":
            raise Forbidden("an agency subscribes to events with a webhook")
        return f"agency:{identity.scope}"
    return own_recipient(identity) or "province"
