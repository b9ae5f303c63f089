"""JSON over nameko @http: who may call each endpoint (declared beside it), request bodies loaded
by marshmallow (within a size limit, read strictly by shared/jsonbody.py), and every known error
mapped to its status in this one place, with a body that names the fields and the problem."""
from __future__ import annotations

import json
import time
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from marshmallow import Schema, ValidationError, fields
from nameko.extensions import SharedExtension
from nameko.web.handlers import HttpRequestHandler
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from shared import correlation
from shared.auth import PUBLIC, ROLES, TokenVerifier, Identity
from shared.errors import (Conflict, Forbidden, InvalidInput, LengthRequired, NotFound, ShifanError, TooLarge,
                           Unauthenticated, UnsupportedMediaType)
from shared.jsonbody import BodyProblem, parse
from shared.metrics import HttpMetrics

EVERYONE = frozenset(ROLES) | {PUBLIC}
MAX_REQUEST_BYTES = 1024 * 1024  # the default of MAX_REQUEST_BYTES (config.yaml): 1 MiB

STATUS = {InvalidInput: 400, ValidationError: 400, Unauthenticated: 401, Forbidden: 403,
          NotFound: 404, Conflict: 409, IntegrityError: 409, LengthRequired: 411, TooLarge: 413, UnsupportedMediaType: 415}


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def json_response(payload, status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False, default=_default), status=status,
                    mimetype="application/json")


class Authentication(SharedExtension):
    """One token verifier per service container, from the TOKEN_PUBLIC_KEYS folder."""

    def setup(self) -> None:
        self.verifier = TokenVerifier(self.container.config["TOKEN_PUBLIC_KEYS"])


class JsonHttp(HttpRequestHandler):
    """`@http(method, url, roles=..., body=Schema, args=Schema, response=Schema, status=200)`: only
    callers whose role is in `roles` reach the worker (no token: 401; another role: 403); the worker
    finds the caller in `request.identity`. `body`, `args` (the query string), `response` and
    `status` (of success) are what the OpenAPI document shows."""

    authentication = Authentication()
    metrics = HttpMetrics()

    def __init__(self, method, url, roles, body=None, response=None, args=None, status=200, **kwargs):
        unknown = set(roles) - EVERYONE
        if not roles or unknown:
            raise ValueError(f"{method} {url}: roles must be a non-empty subset of {sorted(EVERYONE)}")
        self.roles = frozenset(roles)
        self.body_schema = body          # for the OpenAPI document
        self.args_schema = args
        self.response_schema = response
        self.success_status = status
        kwargs.setdefault("expected_exceptions", tuple(STATUS))
        super().__init__(method, url, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.max_request_bytes = int(self.container.config.get("MAX_REQUEST_BYTES") or MAX_REQUEST_BYTES)

    def handle_request(self, request):
        started = time.perf_counter()
        request.correlation_id = correlation.accepted(request.headers.get(correlation.HEADER))
        response = self._answer(request)
        response.headers[correlation.HEADER] = request.correlation_id
        self.metrics.observe(self.method, self.url, response.status_code, time.perf_counter() - started)
        return response

    def _answer(self, request):
        # A declared length over the limit is refused before anything is read. A body sent without
        # one (chunked) is never read: werkzeug gives an empty stream, and load_json answers 411.
        request.max_content_length = self.max_request_bytes
        if (request.content_length or 0) > self.max_request_bytes:
            return self.response_from_exception(_too_large(self.max_request_bytes))
        try:
            identity = self.authentication.verifier.identify(request.headers.get("Authorization"))
            if identity.role not in self.roles and PUBLIC not in self.roles:
                if identity.role == PUBLIC:
                    raise Unauthenticated("this endpoint needs a bearer token")
                raise Forbidden(f"a {identity.role} may not call {self.method} {self.url}")
        except ShifanError as exc:
            return self.response_from_exception(exc)
        request.identity = identity
        return super().handle_request(request)

    def response_from_result(self, result):
        if isinstance(result, Response):
            return result
        if isinstance(result, tuple):
            status, payload = result
            return json_response(payload, status)
        return json_response(result)

    def response_from_exception(self, exc):
        for kind, status in STATUS.items():
            if isinstance(exc, kind):
                return json_response(_error_body(exc), status)
        if getattr(exc, "code", None) == 400:  # werkzeug's BadRequest and friends
            return json_response({"error": "invalid_input", "message": str(exc), "fields": {}}, 400)
        return json_response({"error": "internal", "message": "internal error"}, 500)


def _error_body(exc: Exception) -> dict:
    if isinstance(exc, ValidationError):
        return {"error": "invalid_input", "message": "the request has invalid fields", "fields": exc.messages}
    if isinstance(exc, IntegrityError):  # another request changed the same aggregate first
        return {"error": "conflict", "message": "changed concurrently; read it again and retry", "fields": {}}
    assert isinstance(exc, ShifanError)
    return {"error": exc.code, "message": exc.message, "fields": exc.fields}


http = JsonHttp.decorator


def listing(key: str, item: type[Schema], **more) -> type[Schema]:
    """The schema of a list answer, `{key: [item, ...], **more}`, for the OpenAPI document."""
    return Schema.from_dict({key: fields.List(fields.Nested(item)), **more}, name=f"{item.__name__}List")


def caller(request) -> Identity:
    """The identity JsonHttp verified for this request."""
    return request.identity


def load_json(request, schema: Schema) -> dict:
    """The request body as JSON, loaded by `schema` (unknown fields refused); 400 otherwise, 413
    over the size limit, 415 when it is declared as something else than JSON in UTF-8."""
    try:
        raw = request.get_data(cache=True, as_text=False)
    except RequestEntityTooLarge:
        raise _too_large(request.max_content_length) from None
    if not raw and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        raise LengthRequired("a request body is read only with a Content-Length header (no chunked encoding)",
                             {"Content-Length": ["required"]})
    if not raw.strip():
        raise InvalidInput("the request body is empty; a JSON object is expected", {"_body": ["required"]})
    _require_json_type(request)
    try:
        data = parse(raw)
    except BodyProblem as exc:
        raise InvalidInput(exc.message, {exc.where: [exc.message]}) from None
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object", {"_body": ["must be an object"]})
    return schema.load(data)


def _require_json_type(request) -> None:
    kind, charset = request.mimetype, request.mimetype_params.get("charset", "utf-8").lower()
    if not (kind == "application/json" or kind.endswith("+json")) or charset not in ("utf-8", "utf8"):
        declared = request.content_type or "nothing"
        raise UnsupportedMediaType(f"the request body is declared as {declared}; send it as "
                                   "Content-Type: application/json (UTF-8)", {"Content-Type": [f"{declared} is not JSON"]})


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"the request body is over this service's limit of {limit} bytes",
                    {"_body": [f"larger than {limit} bytes"]})


def load_args(request, schema: Schema) -> dict:
    """Query-string arguments loaded by `schema`; 400 on unknown or malformed ones."""
    return schema.load(request.args.to_dict())


def path_id(value: str, kind: str) -> UUID:
    """An id from the URL path; one that is not a UUID names nothing, so it is a 404."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(kind, value) from None
