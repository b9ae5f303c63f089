"""Signing in and out of the site: a pasted token, checked like a bearer token, kept in an
HttpOnly SameSite=Strict cookie; each party then lands on its own pages."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from shared.auth import TokenVerifier
from shared.errors import Unauthenticated
from shared.http import EVERYONE
from shared.web.pages import form_data, page, redirect, render, token_cookie

HOME = {"applicant": "/apply/", "recommender": "/clerk/", "expert": "/expert/", "operator": "/operator/",
        "auditor": "/operator/", "agency": "/registry/", "coordinator": "/registry/", "ministry": "/registry/"}


def local_path(target: str | None) -> str | None:
    """Only a path on this site (never another host) is followed after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


class Tokens(DependencyProvider):
    """The service's token verifier, for checking a pasted token before it becomes a cookie."""

    def setup(self) -> None:
        self.verifier = TokenVerifier(self.container.config["TOKEN_PUBLIC_KEYS"])

    def get_dependency(self, worker_ctx):
        return self.verifier


class SignInPages:
    """Mixed into the service that serves the site's root (the registry)."""

    tokens = Tokens()

    @page("GET", "/signin", roles=EVERYONE)
    def sign_in_page(self, request):
        return render("signin.html", next=local_path(request.args.get("next")) or "", problem=None)

    @page("POST", "/signin", roles=EVERYONE)
    def sign_in(self, request):
        form = form_data(request, {"token", "next"})
        token = form.get("token", "").strip()
        try:
            if not token:
                raise Unauthenticated("paste your access token")
            identity = self.tokens.verify(token)
        except Unauthenticated as exc:
            return render("signin.html", status=401, next=local_path(form.get("next")) or "", problem=exc.message)
        return token_cookie(redirect(local_path(form.get("next")) or HOME[identity.role]), token, request)

    @page("POST", "/signout", roles=EVERYONE)
    def sign_out(self, request):
        form_data(request, set())
        return token_cookie(redirect("/"), None, request)

