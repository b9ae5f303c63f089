"""One site under one host: ROUTES, the one table of which service answers which path (each JSON
API under /api/<service>/ with that prefix stripped, each service's pages at prefixes of their
own), and a small reverse proxy serving it, which `shifan up` starts as one more process.
deploy/proxy/nginx.conf is the same table for nginx (a unit test compares the two)."""
from __future__ import annotations

import http.client
import os
import sys
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

DEFAULT_ADDRESS = "127.0.0.1:8000"
URI_SAFE = "/?#[]@!$&'()*+,;=:%-._~"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "content-length"}


@dataclass(frozen=True)
class Route:
    prefix: str          # ends with "/" (the prefix and everything under it), or an exact path
    service: str
    strip: bool = False  # forward without the prefix: /api/review/notices/1 -> review's /notices/1
    exact: bool = False

    def matches(self, path: str) -> bool:
        if self.exact:
            return path == self.prefix
        return path.startswith(self.prefix)

    def upstream_path(self, path: str) -> str:
        if not self.strip:
            return path
        return "/" + path[len(self.prefix):]


ROUTES = (
    Route("/api/applications/", "applications", strip=True),
    Route("/api/review/", "review", strip=True),
    Route("/api/registry/", "registry", strip=True),
    Route("/api/notify/", "notify", strip=True),
    # pages: the public site and sign-in (registry), the notice board, experts and the province's
    # reviews and notices (review), applicants and city clerks (applications), failed deliveries (notify)
    Route("/", "registry", exact=True),
    Route("/signin", "registry", exact=True),
    Route("/signout", "registry", exact=True),
    Route("/registry/", "registry"),
    Route("/check/", "registry"),
    Route("/progress/", "registry"),
    Route("/operator/units/", "registry"),
    Route("/notice-board/", "review"),
    Route("/expert/", "review"),
    Route("/operator/", "review"),
    Route("/apply/", "applications"),
    Route("/clerk/", "applications"),
    Route("/operator/rounds/", "applications"),
    Route("/operator/deliveries/", "notify"),
    # the national cities (ADR 42): plans (review), assessments and the public commendations (registry)
    Route("/city-plans/", "review"),
    Route("/city-assessments/", "registry"),
    Route("/commendations/", "registry"),
)


def route(path: str) -> Route | None:
    """The route of a path: an exact one, else the longest matching prefix (nginx's rule)."""
    exact = [r for r in ROUTES if r.exact and r.matches(path)]
    if exact:
        return exact[0]
    found = [r for r in ROUTES if not r.exact and r.matches(path)]
    return max(found, key=lambda r: len(r.prefix)) if found else None


class Gateway:
    """A WSGI app forwarding each request to its service (streaming is not needed: pages and
    JSON answers are small)."""

    def __init__(self, upstreams: dict[str, str], timeout: float = 30.0):
        self.upstreams = {name: urlsplit(url) for name, url in upstreams.items()}
        self.timeout = timeout

    def __call__(self, environ, start_response):
        request = Request(environ)
        return self.forward(request)(environ, start_response)

    def forward(self, request: Request) -> Response:
        found = route(request.path)
        if found is None and route(request.path + "/") is not None:  # /apply -> /apply/, as nginx does
            return Response(status=301, headers={"Location": request.path + "/"})
        if found is None:
            return Response("no such page\n", status=404, mimetype="text/plain")
        upstream = self.upstreams[found.service]
        # the request line as the client sent it (werkzeug's server keeps it), so escapes such as
        # %2F survive; bytes a client left unescaped are escaped here, as HTTP needs
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.full_path
        raw_path, question, raw_query = raw.partition("?")
        target = found.upstream_path(raw_path) + question + raw_query
        target = quote(target.encode("latin-1"), safe=URI_SAFE)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-For"] = request.remote_addr or ""
        headers["X-Forwarded-Host"] = request.host
        headers["X-Forwarded-Proto"] = request.scheme
        body = request.get_data()
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=self.timeout)
        try:
            connection.request(request.method, target, body=body or None, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
        except OSError as exc:
            return Response(f"{found.service} is not answering: {exc}\n", status=502, mimetype="text/plain")
        finally:
            connection.close()
        response = Response(payload, status=answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                response.headers.add(name, value)
        return response


def upstreams_from_env(environ=os.environ) -> dict[str, str]:
    """Each service's address: SHIFAN_<SERVICE>_HTTP, as the services themselves read it."""
    from shared.stack import DEFAULT_PORTS

    return {name: "http://" + environ.get(f"SHIFAN_{name.upper()}_HTTP", f"127.0.0.1:{port}")
            for name, port in DEFAULT_PORTS.items()}


def main() -> None:
    address = os.environ.get("SHIFAN_GATEWAY_HTTP", DEFAULT_ADDRESS)
    host, _, port = address.rpartition(":")
    print(f"gateway on http://{address} -> " + ", ".join(f"{n} {u}" for n, u in upstreams_from_env().items()),
          flush=True)
    run_simple(host, int(port), Gateway(upstreams_from_env()), threaded=True)


if __name__ == "__main__":
    sys.exit(main())
