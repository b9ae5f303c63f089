"""The errors every service raises for its callers; shared/http.py maps each to one HTTP status."""


class ShifanError(Exception):
    """Base of the errors a caller is meant to see."""

    code = "error"

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(ShifanError):
    """The request is malformed or breaks a field rule (400)."""

    code = "invalid_input"


class Unauthenticated(ShifanError):
    """No valid identity was presented (401)."""

    code = "unauthenticated"


class Forbidden(ShifanError):
    """The identity may not do this (403)."""

    code = "forbidden"


class NotFound(ShifanError):
    """No such object, or not one the caller may see (404)."""

    code = "not_found"

    def __init__(self, kind: str, ident: object):
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class Conflict(ShifanError):
    """The object is not in a state that allows this (409)."""

    code = "conflict"


class LengthRequired(ShifanError):
    """A request body sent without a Content-Length (chunked): it is not read (411)."""

    code = "length_required"


class TooLarge(ShifanError):
    """The request body is over the service's size limit (413)."""

    code = "too_large"


class UnsupportedMediaType(ShifanError):
    """The request body is not JSON in UTF-8 (415)."""

    code = "unsupported_media_type"


def guarded(command, wrong_state: type[Exception]) -> None:
    """Runs a domain command: its service's wrong-state exception becomes a 409, a ValueError a 400."""
    try:
        command()
    except wrong_state as exc:
        raise Conflict(str(exc)) from None
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
