"""What each messaging component last did, for /health and the operators who read it."""
from __future__ import annotations

from datetime import datetime, timezone


MAX_BACKOFF_SECONDS = 8.0


class ComponentStatus:
    def __init__(self, name: str):
        self.name = name
        self.last_ok: datetime | None = None
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None
        self.consecutive_failures = 0
        self.failures = 0  # since the process started
        self.processed = 0

    def ok(self, count: int = 0) -> None:
        self.last_ok = datetime.now(timezone.utc)
        self.consecutive_failures = 0
        self.processed += count

    def failed(self, exc: BaseException) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        self.last_error_at = datetime.now(timezone.utc)
        self.consecutive_failures += 1
        self.failures += 1

    @property
    def healthy(self) -> bool:
        return self.consecutive_failures == 0

    def backoff(self) -> float:
        """Seconds to wait before the next try: 0.5 s doubling, at most MAX_BACKOFF_SECONDS, so a relay
        or follower is back within seconds of its broker's return (the fault suite holds the stack to
        converging within 30 s of the last fault)."""
        return min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** max(0, self.consecutive_failures - 1))

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "healthy": self.healthy,
            "processed": self.processed,
            "consecutive_failures": self.consecutive_failures,
            "failures": self.failures,
            "last_ok": self.last_ok.isoformat() if self.last_ok else None,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
        }
