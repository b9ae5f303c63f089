"""What a service process counts for its operators, and `GET /metrics` in Prometheus' text format:
HTTP requests by route and status with their durations (counted by shared/http.py), and the
event store, relay and followers as EventSourced reports them (shared/runtime.py)."""
from __future__ import annotations

import bisect
import threading
from collections import defaultdict

from nameko.extensions import DependencyProvider, SharedExtension

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics(SharedExtension):
    """Requests answered, by method, route (the URL rule, not the path: a bounded set) and status,
    and a histogram of their durations by method and route."""

    def setup(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple, int] = defaultdict(int)
        self.durations: dict[tuple, list] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            histogram = self.durations.setdefault((method, route), [[0] * len(DURATION_BUCKETS), 0, 0.0])
            index = bisect.bisect_left(DURATION_BUCKETS, seconds)
            if index < len(DURATION_BUCKETS):
                histogram[0][index] += 1
            histogram[1] += 1
            histogram[2] += seconds

    def lines(self, service: str) -> list[str]:
        with self._lock:
            requests = sorted(self.requests.items())
            durations = sorted((key, ([*h[0]], h[1], h[2])) for key, h in self.durations.items())
        out = _header("shifan_http_requests_total", "counter", "HTTP requests answered, by method, route and status.")
        for (method, route, status), count in requests:
            out.append(_sample("shifan_http_requests_total",
                               {"service": service, "method": method, "route": route, "status": status}, count))
        out += _header("shifan_http_request_duration_seconds", "histogram",
                       "Time from a request's arrival to its answer, by method and route.")
        for (method, route), (buckets, count, total) in durations:
            labels = {"service": service, "method": method, "route": route}
            cumulative = 0
            for bound, hits in zip(DURATION_BUCKETS, buckets):
                cumulative += hits
                out.append(_sample("shifan_http_request_duration_seconds_bucket", {**labels, "le": repr(bound)}, cumulative))
            out.append(_sample("shifan_http_request_duration_seconds_bucket", {**labels, "le": "+Inf"}, count))
            out.append(_sample("shifan_http_request_duration_seconds_count", labels, count))
            out.append(_sample("shifan_http_request_duration_seconds_sum", labels, round(total, 6)))
        return out


def messaging_lines(status: dict) -> list[str]:
    """The store, relay and followers, from EventSourced.status()."""
    service = status["service"]
    base = {"service": service}
    out = []

    def metric(name, kind, text, samples):
        out.extend(_header(name, kind, text))
        out.extend(_sample(name, {**base, **labels}, value) for labels, value in samples)

    metric("shifan_store_up", "gauge", "1 when the event store answered this scrape.",
           [({}, 1 if status["store"]["reachable"] else 0)])
    metric("shifan_broker_connected", "gauge", "1 when the service's broker connections are up.",
           [({}, 1 if status["broker"]["connected"] else 0)])
    metric("shifan_events_stored", "gauge", "Events in the service's log (its last notification id).",
           [({}, status["last_notification_id"])])
    metric("shifan_events_published_total", "counter", "Events this process's relay published, confirmed by the broker.",
           [({}, status["relay"]["published"])])
    metric("shifan_relay_lag", "gauge", "Stored events the relay has not yet published.",
           [({}, status["relay"]["lag"])])
    metric("shifan_relay_publishing", "gauge", "1 when this instance holds the publishing lock, 0 on standby.",
           [({}, 1 if status["relay_role"] == "publishing" else 0)])
    metric("shifan_events_processed_total", "counter", "Upstream events this process applied, by upstream.",
           [({"upstream": f["upstream"]}, f["processed"]) for f in status["followers"]])
    metric("shifan_follower_lag", "gauge", "Upstream events known but not yet applied, by upstream.",
           [({"upstream": f["upstream"]}, f["lag"]) for f in status["followers"]])
    metric("shifan_handler_failures_total", "counter", "Failures of the relay, followers and tree-head signer, by component.",
           [({"component": c["name"]}, c["failures"]) for c in status["components"]])
    return out


class MetricsReport(DependencyProvider):
    """Injects a function returning the service's metrics as Prometheus text."""

    def get_dependency(self, worker_ctx):
        from shared.runtime import EventSourced

        container = self.container
        http = next((e for e in container.shared_extensions.values() if isinstance(e, HttpMetrics)), None)
        sourced = next(e for e in container.dependencies if isinstance(e, EventSourced))

        def report() -> str:
            status = sourced.status()
            lines = messaging_lines(status) + (http.lines(status["service"]) if http is not None else [])
            return "\n".join(lines) + "\n"

        return report


def _header(name: str, kind: str, text: str) -> list[str]:
    return [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]


def _sample(name: str, labels: dict, value) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels.items())
    return f"{name}{{{inner}}} {value}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
