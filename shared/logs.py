"""How a service process logs: JSON lines (the default) or text, each line naming the service and
the correlation id it was written under, and the aggregate and event type where there is one."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from shared import correlation

EXTRA_FIELDS = ("aggregate_id", "event_type", "notification_id")


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC), level, service, logger, message, correlation_id, and
    aggregate_id / event_type / notification_id when the call passed them in `extra`."""

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        correlation_id = getattr(record, "correlation_id", None) or correlation.current()
        if correlation_id:
            entry["correlation_id"] = correlation_id
        for name in EXTRA_FIELDS:
            if getattr(record, name, None) is not None:
                entry[name] = str(getattr(record, name))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextLines(logging.Formatter):
    def __init__(self, service: str):
        super().__init__(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        correlation_id = correlation.current()
        return f"{line} [{correlation_id}]" if correlation_id else line


def configure(service: str, style: str = "json") -> None:
    if style not in ("json", "text"):
        raise ValueError(f"SHIFAN_LOG_FORMAT must be json or text, not {style!r}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines(service) if style == "json" else TextLines(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
