"""The one site's routing table: nginx says the same as shared/gateway.py, every page and every JSON
endpoint reaches the service that serves it, no page shadows a JSON path, and the proxy forwards
what it is given (a real upstream on a local port)."""
import re
import threading
from pathlib import Path

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from shared.gateway import ROUTES, Gateway, Route, route
from shared.http import JsonHttp
from shared.runner import SERVICES, service_class
from shared.web.pages import PageHttp

NGINX = Path(__file__).resolve().parents[2] / "deploy" / "proxy" / "nginx.conf"
LOCATION = re.compile(r"location\s+(=\s+)?(\S+)\s*\{\s*proxy_pass\s+http://(\w+)(/?);\s*\}")


def entrypoints(kind):
    for service in SERVICES:
        cls = service_class(service)
        for attribute in dir(cls):
            for entrypoint in getattr(getattr(cls, attribute), "nameko_entrypoints", ()):
                if isinstance(entrypoint, kind):
                    yield service, entrypoint.method, entrypoint.url


def sample(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"x-\1", rule)


def test_nginx_conf_routes_as_the_gateway_does():
    found = {Route(prefix, service, strip=bool(slash), exact=bool(exact))
             for exact, prefix, service, slash in LOCATION.findall(NGINX.read_text())}
    assert found == set(ROUTES)
    assert "location / { return 404; }" in NGINX.read_text()  # nothing else is served


def test_every_page_reaches_the_service_that_serves_it():
    pages = list(entrypoints(PageHttp))
    assert len(pages) > 30
    for service, method, rule in pages:
        found = route(sample(rule))
        assert found is not None and found.service == service and not found.strip, (service, method, rule)


def test_every_json_endpoint_is_under_api_and_its_service():
    for service, method, rule in entrypoints(JsonHttp):
        path = sample(rule)
        found = route(f"/api/{service}{path}")
        assert found.service == service and found.upstream_path(f"/api/{service}{path}") == path


def test_no_page_shadows_a_json_path_of_its_service():
    for service in SERVICES:
        api = Map([Rule(rule, methods=[method]) for s, method, rule in entrypoints(JsonHttp) if s == service]).bind("x")
        for _, method, rule in (p for p in entrypoints(PageHttp) if p[0] == service):
            with pytest.raises((NotFound, MethodNotAllowed)):
                api.match(sample(rule), method=method)


def test_longest_prefix_wins_and_exact_paths_match_only_themselves():
    assert route("/operator/rounds/").service == "applications"
    assert route("/operator/units/1/revoke").service == "registry"
    assert route("/operator/").service == "review"
    assert route("/").service == "registry" and route("/units") is None
    assert route("/api/review/notices/1").upstream_path("/api/review/notices/1") == "/notices/1"


@pytest.fixture
def upstream():
    """A real HTTP server standing in for a service: it echoes what it received."""
    @Request.application
    def echo(request):
        response = Response(f"{request.method} {request.full_path} {request.get_data(as_text=True)} "
                            f"{request.headers.get('Cookie', '')} {request.headers.get('X-Forwarded-Host', '')}")
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    server = make_server("127.0.0.1", 0, echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_gateway_forwards_method_path_query_body_and_cookies(upstream):
    site = Client(Gateway({name: upstream for name in SERVICES}), use_cookies=False)
    answer = site.post("/api/review/notices/1/objections?lang=en", data="name=%E7%8E%8B", headers={
        "Cookie": "shifan_token=t", "Host": "shifan.example"})
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "POST /notices/1/objections?lang=en name=%E7%8E%8B shifan_token=t shifan.example"
    assert sorted(answer.headers.getlist("Set-Cookie")) == ["a=1; Path=/", "b=2; Path=/"]
    page = site.get("/registry/?q=%E9%9B%BB%E5%AD%90")
    assert page.get_data(as_text=True).startswith("GET /registry/?q=%E9%9B%BB%E5%AD%90 ")


def test_the_gateway_redirects_a_bare_prefix_and_refuses_unknown_paths(upstream):
    site = Client(Gateway({name: upstream for name in SERVICES}))
    assert site.get("/apply").status_code == 301 and site.get("/apply").headers["Location"].endswith("/apply/")
    assert site.get("/units").status_code == 404


def test_a_service_that_does_not_answer_is_a_502():
    site = Client(Gateway({name: "http://127.0.0.1:9" for name in SERVICES}, timeout=2))
    answer = site.get("/registry/")
    assert answer.status_code == 502 and "registry" in answer.get_data(as_text=True)
