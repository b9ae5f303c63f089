"""Helpers for tests that run the real stack: a fresh stack per test, HTTP calls, waiting for events."""
from __future__ import annotations

import socket
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import requests
from psycopg import sql

from shared.bus import drop_follower_queues
from shared.clock import FileClock
from shared.samples import PROGRAM, credit_code, sample_application
from shared.stack import SERVICE_NAMES, Stack, wait_for  # noqa: F401 (tests import it from here)

CST = timezone(timedelta(hours=8))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database(server_url: str):
    """A fresh, empty PostgreSQL database on the server at `server_url`, dropped afterwards; yields
    the eventsourcing settings that put a service's store in it."""
    info = psycopg.conninfo.conninfo_to_dict(server_url)
    name = f"shifan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": name,
               "POSTGRES_HOST": info.get("host", "127.0.0.1"), "POSTGRES_PORT": str(info.get("port", 5432)),
               "POSTGRES_USER": info.get("user", "postgres"), "POSTGRES_PASSWORD": info.get("password", "")}
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def new_stack(tmp_path: Path, amqp_uri: str, store_env: dict | None = None) -> tuple[Stack, FileClock]:
    """Four services with fresh stores (SQLite files in tmp_path, or `store_env`'s database), free
    ports, a file clock, fresh queues."""
    drop_follower_queues(amqp_uri)
    clock = FileClock(tmp_path / "clock")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=CST))
    stack = Stack(var_dir=tmp_path, amqp_uri=amqp_uri, clock_file=clock.path,
                  ports={name: free_port() for name in SERVICE_NAMES},
                  extra_env={"SHIFAN_RELAY_POLL_SECONDS": "0.2", "SHIFAN_CATCH_UP_SECONDS": "1", **(store_env or {})})
    return stack, clock


def health(stack: Stack, service: str) -> dict:
    return requests.get(stack.url(service) + "/health", timeout=5).json()


def settled(stack: Stack) -> bool:
    """Every relay has published its whole log and every follower has applied its upstream's."""
    states = {s: health(stack, s) for s in stack.processes}
    for state in states.values():
        if state["relay_position"] != state["last_notification_id"]:
            return False
        for upstream, position in state["follows"].items():
            if upstream in states and position != states[upstream]["last_notification_id"]:
                return False
    return True


def post(url: str, body: dict, expect: int = 200, headers: dict | None = None) -> dict:
    response = requests.post(url, json=body, headers=headers, timeout=10)
    assert response.status_code == expect, f"POST {url} -> {response.status_code}: {response.text}"
    return response.json()


def get(url: str, expect: int = 200, headers: dict | None = None, **params):
    response = requests.get(url, params=params, headers=headers, timeout=10)
    assert response.status_code == expect, f"GET {url} -> {response.status_code}: {response.text}"
    return response.json()


def feed(stack: Stack, service: str, headers: dict | None = None) -> list[dict]:
    """Every public event of a service's log, read from its HTTP feed (as an auditor by default)."""
    headers, after, found = headers or stack.headers("auditor"), 0, []
    while True:
        page = get(f"{stack.url(service)}/events", headers=headers, after=after, limit=500)
        found += page["events"]
        after = page["next_after"]
        if not page["has_more"]:
            return found


class Parties:
    """Bearer-token headers for the parties of a stack's tests."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.city = stack.headers("recommender", "510700")
        self.operator = stack.headers("operator")
        self.auditor = stack.headers("auditor")
        self.expert = stack.headers("expert", "E001")

    def applicant(self, n: int = 1, region: str = "510703") -> dict:
        return self.stack.headers("applicant", credit_code(region, n))


def application(n: int = 1, region: str = "510703", round_id: str | None = None, **kwargs) -> dict:
    """A valid, eligible application body for unit n (a B2B platform unless kind= says otherwise)."""
    return sample_application(n, region_code=region, round_id=round_id, **kwargs)


def open_round(stack: Stack, label: str = "2026-1", deadline: str = "2026-12-31") -> str:
    body = {"program_id": PROGRAM, "label": label, "submission_deadline": deadline}
    return post(f"{stack.url('applications')}/rounds", body, expect=201, headers=stack.headers("operator"))["id"]


def submit(stack: Stack, n: int, round_id: str, region: str = "510703", **kwargs) -> str:
    """Drafts and submits application n as its applicant; returns its id."""
    apps = stack.url("applications")
    headers = stack.headers("applicant", credit_code(region, n))
    body = application(n, region, round_id, **kwargs)
    application_id = post(f"{apps}/applications", body, expect=201, headers=headers)["id"]
    post(f"{apps}/applications/{application_id}/submit", {}, headers=headers)
    return application_id


def register_experts(stack: Stack, *expert_ids: str) -> None:
    """Puts experts in the province's pool (no organisation conflicts, no interests)."""
    for expert_id in expert_ids:
        post(f"{stack.url('review')}/experts", {"expert_id": expert_id, "name": f"专家{expert_id}",
                                                "organisation": "四川省电子商务研究院", "region_code": "510100"},
             expect=201, headers=stack.headers("operator"))


def scores(points: int, unit_type: str = "enterprise") -> dict:
    """The body of POST /reviews/<id>/scores giving `points` on every criterion of the program."""
    from shared.programs import load_program

    return {"scores": {item.id: points for item in load_program(PROGRAM).review.scoring[unit_type]}}
