"""The fault suite's HTTP client: tells apart what a fault means for a command it sent — refused
(never sent: not done, send it again), cut off or unanswered (indeterminate: find out by reading)
— and keeps the tally of both."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests
from urllib3.exceptions import NewConnectionError

TIMEOUT = 10.0  # a paused service holds a request this long before the client calls it indeterminate
PATIENCE = 300.0  # a command still without a definite answer after this fails the test


class NotDone(Exception):
    """The request never reached the service (connection refused): nothing happened."""


class Indeterminate(Exception):
    """The request may have been applied: the connection dropped, or no answer came in time, or the
    service answered with a server error."""


@dataclass
class Tally:
    not_done: int = 0
    indeterminate: int = 0
    settled_by_read: int = 0  # indeterminate commands found done (a read or a 409 proved it)
    by_kind: dict = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


def send(method: str, url: str, tally: Tally, timeout: float = TIMEOUT, **kwargs) -> requests.Response:
    """One attempt. Answers any response below 500; raises NotDone or Indeterminate otherwise."""
    try:
        response = requests.request(method, url, timeout=timeout, **kwargs)
    except requests.ConnectTimeout as exc:
        tally.not_done += 1
        raise NotDone(str(exc)) from exc
    except requests.ConnectionError as exc:
        if _refused(exc):
            tally.not_done += 1
            raise NotDone(str(exc)) from exc
        tally.indeterminate += 1
        raise Indeterminate(str(exc)) from exc
    except requests.Timeout as exc:  # sent, but no answer in time (a paused process accepts and waits)
        tally.indeterminate += 1
        raise Indeterminate(str(exc)) from exc
    if response.status_code >= 500:
        tally.indeterminate += 1
        raise Indeterminate(f"{method} {url} -> {response.status_code}: {response.text[:200]}")
    return response


def read(url: str, tally: Tally, headers: dict | None = None, params: dict | None = None,
         timeout: float = TIMEOUT) -> requests.Response:
    """A GET, attempted until the service answers (reads change nothing, so retrying is free)."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            return send("GET", url, tally, timeout, headers=headers, params=params)
        except (NotDone, Indeterminate):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _refused(exc: requests.ConnectionError) -> bool:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)
