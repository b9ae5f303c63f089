"""The page entrypoint, `@page(method, url, roles=...)`: the same three gates as the JSON API
(token, role, the service's access.py) with the token in an HttpOnly SameSite=Strict cookie, a
CSRF token on every form, the visitor's language, and every error shown as a page with its status.

A worker returns `render(template, **context)` or `redirect(path)`. Without a valid sign-in a
page that needs one answers 303 to the sign-in page; a form posted without the page's CSRF token
answers 403; then the statuses of shared/http.py apply (400 naming the fields, 404, 409)."""
from __future__ import annotations

import hmac
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from marshmallow import ValidationError
from nameko.web.handlers import HttpRequestHandler
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from shared.auth import ANONYMOUS, PUBLIC, Identity
from shared.errors import Forbidden, InvalidInput, ShifanError, Unauthenticated
from shared.http import EVERYONE, STATUS, Authentication
from shared.regions import city_name
from shared.web.i18n import LANG_COOKIE, Translator, language

TOKEN_COOKIE = "shifan_token"
CSRF_COOKIE = "shifan_csrf"
CSRF_FIELD = "csrf"
SIGN_IN = "/signin"
SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"
_environments: dict[Path, Environment] = {}


@dataclass
class Page:
    template: str
    context: dict = field(default_factory=dict)
    status: int = 200


def render(template: str, status: int = 200, **context) -> Page:
    return Page(template, context, status)


def redirect(location: str) -> Response:
    """303 See Other: after a form, the browser GETs the result (a reload does not post again)."""
    return Response(status=303, headers={"Location": location})


def signed_in(request) -> Identity:
    return request.identity


def form_data(request, allowed: set[str]) -> MultiDict:
    """The posted form without its CSRF token; a field the page does not take is refused (400)."""
    form = MultiDict(request.form)
    form.poplist(CSRF_FIELD)
    unknown = sorted(set(form) - allowed)
    if unknown:
        raise InvalidInput("the form has fields this page does not take", {name: ["unknown field"] for name in unknown})
    return form


class _Rendered(Response):
    def __init__(self, page: Page):
        super().__init__(status=page.status)
        self.page = page


class _Failed(Response):
    def __init__(self, exc: Exception):
        super().__init__(status=500)
        self.exc = exc


class PageHttp(HttpRequestHandler):
    authentication = Authentication()

    def __init__(self, method, url, roles, **kwargs):
        unknown = set(roles) - EVERYONE
        if not roles or unknown:
            raise ValueError(f"{method} {url}: roles must be a non-empty subset of {sorted(EVERYONE)}")
        self.roles = frozenset(roles)
        kwargs.setdefault("expected_exceptions", tuple(STATUS))
        super().__init__(method, url, **kwargs)

    def handle_request(self, request):
        request.shallow = False  # nameko's server hands requests over shallow; forms are read here
        request.lang = language(request.args.get("lang"), request.cookies.get(LANG_COOKIE))
        request.csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        try:
            request.identity = self._identify(request)
            if request.identity.role not in self.roles and PUBLIC not in self.roles:
                if request.identity.role == PUBLIC:
                    raise Unauthenticated("this page needs you to sign in")
                raise Forbidden(f"a {request.identity.role} may not open {self.method} {self.url}")
            if request.method == "POST":
                self._check_csrf(request)
        except ShifanError as exc:
            response = self._error(request, exc)
        else:
            response = super().handle_request(request)
            if isinstance(response, _Failed):
                response = self._error(request, response.exc)
            elif isinstance(response, _Rendered):
                response = self.render(request, response.page)
        return self._with_cookies(request, response)

    def _identify(self, request) -> Identity:
        """The signed-in party; an expired or unknown token is forgotten (its cookie deleted) and
        the visitor is the public, so a page that needs a sign-in sends it to sign in again."""
        request.drop_token = False
        token = request.cookies.get(TOKEN_COOKIE)
        if not token:
            return ANONYMOUS
        try:
            return self.authentication.verifier.verify(token)
        except Unauthenticated:
            request.drop_token = True
            return ANONYMOUS

    @staticmethod
    def _check_csrf(request) -> None:
        sent = request.form.get(CSRF_FIELD, "")
        if not (request.cookies.get(CSRF_COOKIE) and hmac.compare_digest(sent, request.cookies[CSRF_COOKIE])):
            raise Forbidden("the form is out of date or was not sent by this site (CSRF token); reload and try again")

    def response_from_result(self, result):
        if isinstance(result, Page):
            return _Rendered(result)
        if isinstance(result, Response):
            return result
        raise TypeError(f"a page returns render(...) or redirect(...), not {type(result).__name__}")

    def response_from_exception(self, exc):
        return _Failed(exc)

    def _error(self, request, exc: Exception) -> Response:
        if isinstance(exc, Unauthenticated):
            target = request.full_path.rstrip("?") if request.method == "GET" else request.path
            return redirect(f"{SIGN_IN}?next={quote(target, safe='')}")
        status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), None)
        if status is None and getattr(exc, "code", None) == 400:  # werkzeug's BadRequest
            status = 400
        if isinstance(exc, ValidationError):
            message, fields = "the form has invalid fields", exc.messages
        elif isinstance(exc, ShifanError):
            message, fields = exc.message, exc.fields
        elif status is not None:
            message, fields = str(exc), {}
        else:
            status, message, fields = 500, "internal error", {}
        return self.render(request, Page("error.html", {"status": status, "message": message, "fields": fields},
                                         status))

    def render(self, request, page: Page) -> Response:
        words = Translator(request.lang)
        context = {"t": words.t, "label": words.label, "cst": words.cst, "yuan": words.yuan, "place": _place,
                   "lang": request.lang, "identity": request.identity if hasattr(request, "identity") else ANONYMOUS,
                   "csrf": request.csrf, "path": request.path, "args": request.args, **page.context}
        html = self.environment.get_template(page.template).render(context)
        return Response(html, status=page.status, mimetype="text/html",
                        headers={"Content-Language": "en" if request.lang == "en" else "zh-CN",
                                 "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
                                 "X-Frame-Options": "DENY"})

    @property
    def environment(self) -> Environment:
        folder = Path(sys.modules[self.container.service_cls.__module__].__file__).resolve().parent / "templates"
        if folder not in _environments:
            _environments[folder] = Environment(
                loader=ChoiceLoader([FileSystemLoader(folder), FileSystemLoader(SHARED_TEMPLATES)]),
                autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                lstrip_blocks=True)
        return _environments[folder]

    @staticmethod
    def _with_cookies(request, response: Response) -> Response:
        sets_token = any(c.startswith(TOKEN_COOKIE + "=") for c in response.headers.getlist("Set-Cookie"))
        if getattr(request, "drop_token", False) and not sets_token:
            token_cookie(response, None, request)
        if request.cookies.get(CSRF_COOKIE) != request.csrf:
            response.set_cookie(CSRF_COOKIE, request.csrf, path="/", httponly=True, samesite="Strict",
                                secure=over_https(request))
        if request.args.get("lang") and request.args["lang"] == request.lang:
            response.set_cookie(LANG_COOKIE, request.lang, path="/", max_age=365 * 86400, samesite="Lax")
        return response


page = PageHttp.decorator


def over_https(request) -> bool:
    """Whether the visitor came over HTTPS (directly, or to the proxy in front): then the cookies
    are sent over HTTPS only."""
    return request.scheme == "https" or request.headers.get("X-Forwarded-Proto") == "https"


def token_cookie(response: Response, token: str | None, request) -> Response:
    """Keeps the bearer token where scripts cannot read it and other sites cannot send it."""
    if token is None:
        response.delete_cookie(TOKEN_COOKIE, path="/", httponly=True, samesite="Strict", secure=over_https(request))
    else:
        response.set_cookie(TOKEN_COOKIE, token, path="/", httponly=True, samesite="Strict", secure=over_https(request))
    return response


def _place(region_code: str | None) -> str:
    """A region code as people read it: its city's name, with the code (the code alone if unknown)."""
    name = city_name(region_code) if region_code else None
    return f"{name} ({region_code})" if name else (region_code or "")
