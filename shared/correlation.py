"""The correlation id: one id for an HTTP request and every event it causes, in every service.

JsonHttp takes it from the request's `X-Correlation-Id` (or makes one) and answers with it; the
worker runs under it (EventSourced.worker_setup); every event stored under it keeps it (the
mapper, shared/audit/plain.py); the relay puts it in the envelope as the CloudEvents extension
`correlationid`; a follower applies an upstream event under the id the envelope carries, so the
events its policy stores keep it too. Logs show it on every line (shared/logs.py).
"""
from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

HEADER = "X-Correlation-Id"
ATTRIBUTE = "_correlation_id"  # on a stored domain event: kept in its state, not one of its fields
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str:
    """The caller's id when it is a sensible one (1-64 of A-Z a-z 0-9 . _ : -), otherwise a new one."""
    return value if value and _VALID.match(value) else new()


def current() -> str | None:
    return _current.get()


def set_current(value: str | None):
    """Sets the id for the rest of this green thread; returns the token `reset` takes."""
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)


@contextmanager
def use(value: str | None):
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def of_event(domain_event) -> str | None:
    return getattr(domain_event, ATTRIBUTE, None)
