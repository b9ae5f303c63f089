"""Subscribing agencies on RabbitMQ: a user per agency that may read its own durable queue and
nothing else, the queue bound to the event types it asked for."""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import requests
from kombu import Connection, Queue

from shared.messaging.relay import events_exchange
from shared.messaging.topics import PATTERN

SERVICES = ("applications", "review", "registry", "notify")
NAME = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
DEFAULT_MANAGEMENT = "http://guest:guest@127.0.0.1:15682"


class AgencyError(ValueError):
    """The agency's name or patterns are not acceptable, or the broker refused."""


@dataclass(frozen=True)
class AgencyAccess:
    name: str
    user: str
    password: str
    amqp_uri: str
    queue: str
    patterns: tuple

    def describe(self) -> str:
        return "\n".join([
            f"agency      {self.name}",
            f"AMQP URI    {self.amqp_uri}",
            f"queue       {self.queue}  (durable; read-only for this user: it can neither publish nor read other queues)",
            f"bound to    {', '.join(self.patterns)} on {', '.join(f'{s}.events' for s in SERVICES)}",
            "catch up    GET <service>/events?after=N&limit=M with an agency token, then follow the queue",
        ])


def add_agency(name: str, patterns: list[str], amqp_uri: str, management_uri: str | None = None) -> AgencyAccess:
    if not NAME.match(name):
        raise AgencyError(f"agency name {name!r}: lowercase letters, digits and '-', 2 to 40, starting with a letter")
    bad = [p for p in patterns if not PATTERN.match(p)]
    if not patterns or bad:
        raise AgencyError(f"event patterns are routing keys with * and #, e.g. shifan.registry.# (bad: {bad})")
    management_uri = management_uri or os.environ.get("SHIFAN_RABBIT_MANAGEMENT", DEFAULT_MANAGEMENT)
    user, queue = f"agency-{name}", f"agency.{name}"
    password = secrets.token_urlsafe(24)
    parts = urlsplit(amqp_uri)
    vhost = parts.path[1:] or "/"
    api, auth = _management(management_uri)
    _put(api, f"/users/{quote(user, safe='')}", {"password": password, "tags": ""}, auth)
    _put(api, f"/permissions/{quote(vhost, safe='')}/{quote(user, safe='')}",
         {"configure": "^$", "write": "^$", "read": f"^{re.escape(queue)}$"}, auth)
    with Connection(amqp_uri) as connection:  # the operator's own rights declare and bind the queue
        channel = connection.default_channel
        for service in SERVICES:
            exchange = events_exchange(service)
            exchange(channel).declare()
            for pattern in patterns:
                Queue(queue, exchange=exchange, routing_key=pattern, durable=True)(channel).declare()
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return AgencyAccess(name, user, password, urlunsplit((parts.scheme, netloc, parts.path, "", "")), queue,
                        tuple(patterns))


def _management(uri: str) -> tuple[str, tuple[str, str]]:
    parts = urlsplit(uri)
    base = urlunsplit((parts.scheme, f"{parts.hostname}:{parts.port or 15672}", "/api", "", ""))
    return base, (parts.username or "guest", parts.password or "guest")


def _put(api: str, path: str, body: dict, auth) -> None:
    response = requests.put(api + path, json=body, auth=auth, timeout=10)
    if response.status_code not in (200, 201, 204):
        raise AgencyError(f"the broker refused {path}: {response.status_code} {response.text}")
