"""What operators watch, on the real processes: /health (store, broker, relay and follower lags),
/metrics in Prometheus text, and `shifan status` over all four, healthy and with one service down."""
import json
import re
import subprocess
import sys

import pytest
import requests

from support import SERVICE_NAMES, feed, get, health, open_round, post, settled, submit, wait_for

pytestmark = pytest.mark.e2e
SAMPLE = re.compile(r'^([a-z_]+)\{(.*)\} (\S+)$')


def metrics(stack, service) -> dict:
    """{(name, frozenset(labels)): value} from the service's /metrics."""
    response = requests.get(f"{stack.url(service)}/metrics", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for line in response.text.splitlines():
        if line.startswith("#") or not line:
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample: {line!r}"
        name, labels, value = match.groups()
        pairs = frozenset(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', labels))
        samples[(name, pairs)] = float(value)
    return samples


def value(samples, name, **labels) -> float:
    found = [v for (n, pairs), v in samples.items() if n == name and set(labels.items()) <= pairs]
    assert len(found) == 1, f"{name} {labels}: {len(found)} samples"
    return found[0]


def test_health_metrics_and_status_tell_operators_how_each_service_is(stack, tmp_path):
    apps = stack.url("applications")
    round_id = open_round(stack)
    ids = [submit(stack, n, round_id, region="510104") for n in (1, 2)]
    for application_id in ids:
        post(f"{apps}/applications/{application_id}/recommend", {}, headers=stack.headers("recommender", "510100"))
    assert requests.post(f"{apps}/applications", json={"unit_name": ""}, timeout=5,
                         headers=stack.headers("applicant", "91510104MA0000001X")).status_code == 400
    wait_for("everything settled", lambda: settled(stack))

    for service in SERVICE_NAMES:
        state = health(stack, service)
        assert state["healthy"] and state["store"]["reachable"] and state["broker"]["connected"], state
        assert (state["relay_role"], state["relay"]["lag"]) == ("publishing", 0)
        assert all(f["lag"] == 0 for f in state["followers"]), state["followers"]
        samples = metrics(stack, service)
        assert value(samples, "shifan_events_stored", service=service) == state["last_notification_id"]
        assert value(samples, "shifan_relay_lag", service=service) == 0
        assert value(samples, "shifan_relay_publishing", service=service) == 1
        assert value(samples, "shifan_events_published_total", service=service) == state["last_notification_id"]
        for follower in state["followers"]:
            assert value(samples, "shifan_follower_lag", service=service, upstream=follower["upstream"]) == 0

    # the applications service counted its requests by route and status, and timed them
    samples = metrics(stack, "applications")
    assert value(samples, "shifan_http_requests_total", method="POST", route="/applications", status="201") == 2
    assert value(samples, "shifan_http_requests_total", method="POST", route="/applications", status="400") == 1
    assert value(samples, "shifan_http_request_duration_seconds_count", method="POST", route="/applications") == 3
    assert value(samples, "shifan_http_request_duration_seconds_bucket", method="POST", route="/applications",
                 le="+Inf") == 3
    # review applied every applications event, and counts none as failed
    review = metrics(stack, "review")
    head = health(stack, "applications")["last_notification_id"]
    assert value(review, "shifan_events_processed_total", upstream="applications") == head
    assert value(review, "shifan_handler_failures_total", component="follower review <- applications") == 0

    # shifan status: one table, exit 0 when all are healthy ...
    status = subprocess.run([sys.executable, "-m", "shared.cli", "status", "--var", str(stack.var_dir)],
                            capture_output=True, text=True, timeout=30)
    assert status.returncode == 0, status.stdout + status.stderr
    rows = {line.split()[0]: line.split() for line in status.stdout.splitlines()[1:]}
    assert set(rows) == set(SERVICE_NAMES)
    assert all(row[1:5] == ["ok", "up", "up", "publishing"] for row in rows.values()), status.stdout
    assert rows["review"][5] == str(health(stack, "review")["last_notification_id"])
    assert f"applications 0 (at {head})" in status.stdout

    # ... and 1, naming the one that does not answer
    stack.kill("notify")
    status = subprocess.run([sys.executable, "-m", "shared.cli", "status", "--var", str(stack.var_dir)],
                            capture_output=True, text=True, timeout=30)
    assert status.returncode == 1
    assert [line.split()[:2] for line in status.stdout.splitlines() if line.startswith("notify")] == [["notify", "DOWN"]]
    assert get(f"{apps}/health")["healthy"]


def test_one_correlation_id_follows_a_request_through_every_event_it_causes_and_the_logs(stack):
    apps, review = stack.url("applications"), stack.url("review")
    operator = stack.headers("operator")
    application_id = submit(stack, 1, open_round(stack), region="510104")

    answer = requests.post(f"{apps}/applications/{application_id}/recommend", json={}, timeout=10,
                           headers={**stack.headers("recommender", "510100"), "X-Correlation-Id": "req-7f3a.1"})
    assert answer.status_code == 200 and answer.headers["X-Correlation-Id"] == "req-7f3a.1"
    odd = requests.get(f"{apps}/health", headers={"X-Correlation-Id": "not valid!"}, timeout=5)
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Correlation-Id"])  # replaced by a fresh one
    wait_for("everything settled", lambda: settled(stack))
    opened = get(f"{review}/applications/{application_id}/review", headers=operator)

    # the recommendation, the review it opened, and what notify recorded about both carry the id
    caused = {service: [e for e in feed(stack, service, operator) if e.get("correlationid") == "req-7f3a.1"]
              for service in ("applications", "review", "notify")}
    assert {e["type"].split(".")[2] for e in caused["applications"]} == {
        "application_recommended", "quota_opened", "quota_taken"}  # the recommendation takes a quota place
    assert "shifan.review.review_opened.v1" in [e["type"] for e in caused["review"]]
    assert {e["subject"] for e in caused["review"] if e["type"] == "shifan.review.review_opened.v1"} == {opened["id"]}
    assert caused["notify"], "notify's records of the recommendation carry the request's id"
    submitted = [e for e in feed(stack, "applications", operator) if e["type"].endswith("application_submitted.v1")]
    assert submitted and submitted[0].get("correlationid") not in (None, "req-7f3a.1")

    # and every line of review's log is JSON naming the service; one says it stored the review under that id
    lines = [json.loads(line) for line in (stack.var_dir / "review.log").read_text().splitlines() if line.strip()]
    assert all(line["service"] == "review" for line in lines)
    stored = [line for line in lines if line.get("correlation_id") == "req-7f3a.1" and line["logger"] == "shared.eventstore"]
    assert {(line["event_type"], line["aggregate_id"]) for line in stored} >= {("shifan.review.review_opened.v1", opened["id"])}
