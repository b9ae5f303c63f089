"""What runs inside each service for its tree heads: the kept tree, built from the store at start
and checked against the latest signed head, and a thread that signs a new head once the log has
grown and AUDIT_INTERVAL_SECONDS have passed (or AUDIT_MAX_LEAVES events wait), then wakes the
relay so agencies receive it."""
from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from shared.audit.tree import ServiceTree
from shared.certificates import load_private_key
from shared.errors import Conflict
from shared.keys import ensure_audit_key
from shared.messaging.health import ComponentStatus

log = logging.getLogger(__name__)


class TreeHeads:
    def __init__(self, app, config: dict, wake_relay):
        self.tree = ServiceTree(app, load_private_key(audit_key_path(config, app.name)))
        self.interval = float(_setting(config, "AUDIT_INTERVAL_SECONDS", 300))
        self.max_leaves = int(_setting(config, "AUDIT_MAX_LEAVES", 1000))
        self.wake_relay = wake_relay
        self.status = ComponentStatus(f"tree heads of {app.name}")

    def sign_now(self) -> dict:
        head = self.tree.sign(datetime.now(timezone.utc))
        self.wake_relay()
        return head

    def run(self, stopping: threading.Event) -> None:
        """Signs when due until stopped. A log that no longer matches its latest head, or a
        failure, shows in /health and is tried again; it is never signed over."""
        last_signed = time.monotonic()
        tick = min(self.interval, 1.0)
        while True:
            try:
                self.tree.catch_up()
                if self.tree.problem:
                    raise Conflict(self.tree.problem)
                waiting = self.tree.uncovered()
                if waiting and (time.monotonic() - last_signed >= self.interval or waiting >= self.max_leaves):
                    self.sign_now()
                    last_signed = time.monotonic()
                self.status.ok()
            except Exception as exc:  # logged and shown; the next tick tries again
                if self.status.healthy:
                    log.exception("%s failed", self.status.name)
                self.status.failed(exc)
            if stopping.wait(tick if self.status.healthy else self.status.backoff()):
                return


def audit_key_path(config: dict, service: str) -> Path:
    """AUDIT_KEY (SHIFAN_<SERVICE>_AUDIT_KEY), else the local stack's key, made once."""
    configured = config.get("AUDIT_KEY") or os.environ.get(f"SHIFAN_{service.upper()}_AUDIT_KEY")
    if configured:
        return Path(configured)
    var_dir = config.get("VAR_DIR") or os.environ.get("SHIFAN_VAR_DIR") or "var"
    path = ensure_audit_key(var_dir, service)
    log.warning("SHIFAN_%s_AUDIT_KEY is not set: signing tree heads with the local key %s", service.upper(), path)
    return path


def _setting(config: dict, name: str, default):
    value = config.get(name)
    if value in (None, ""):
        value = os.environ.get(f"SHIFAN_{name}", default)
    return value
