"""Starts and stops the four services as processes: used by `shifan up`, `shifan demo` and the e2e tests."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import requests

from shared.auth import issue_token
from shared.keys import ensure_local_keys

SERVICE_NAMES = ("applications", "review", "registry", "notify")
DEFAULT_PORTS = {"applications": 8001, "review": 8002, "registry": 8003, "notify": 8004}
GATEWAY_PORT = 8000
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stack:
    var_dir: Path
    amqp_uri: str
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    clock_file: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    gateway_port: int = GATEWAY_PORT
    gateway: subprocess.Popen | None = None

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def site_url(self) -> str:
        """The one site (shared/gateway.py): every page, and the JSON APIs under /api/<service>/."""
        return f"http://127.0.0.1:{self.gateway_port}"

    @cached_property
    def keys(self):
        return ensure_local_keys(self.var_dir)

    def token(self, role: str, scope: str | None = None) -> str:
        """A bearer token signed with this stack's local key."""
        return issue_token(self.keys.signing_key, role, scope)

    def headers(self, role: str, scope: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, scope)}"}

    def env(self, service: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.keys.env())
        env.update({
            "AMQP_URI": self.amqp_uri,
            "SHIFAN_VAR_DIR": str(self.var_dir),
            "PYTHONUNBUFFERED": "1",
        })
        if service in self.ports:
            env[f"SHIFAN_{service.upper()}_HTTP"] = f"127.0.0.1:{self.ports[service]}"
        env.setdefault("SHIFAN_PUBLIC_URL", self.site_url)  # where the certificates' QR codes point
        if self.clock_file is not None:
            env["SHIFAN_CLOCK"] = f"file:{self.clock_file}"
        env.update(self.extra_env)
        return env

    def start(self, *services: str, wait: bool = True, env: dict[str, str] | None = None) -> None:
        """Starts the services (all four by default); `env` adds variables for this start only."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        for service in services or SERVICE_NAMES:
            self._spawn(service, service, {**self.env(service), **(env or {})})
        self.write_stack_file()
        if wait:
            for service in services or SERVICE_NAMES:
                self.wait_until_up(service)

    def write_stack_file(self) -> None:
        """`<var>/stack.json`: where each process answers and its pid, for `shifan status --var`."""
        urls = {name: self.url(name) for name in self.processes}
        pids = {name: process.pid for name, process in self.processes.items()}
        (self.var_dir / "stack.json").write_text(json.dumps({"urls": urls, "pids": pids}, indent=2), encoding="utf-8")

    def restart_dead(self) -> list[str]:
        """Starts again every service process (and the gateway) that has exited; returns their names."""
        dead = [name for name, process in self.processes.items() if process.poll() is not None and name in SERVICE_NAMES]
        for name in dead:
            self.start(name, wait=False)
        if self.gateway is not None and self.gateway.poll() is not None:
            self.start_gateway()
            dead.append("gateway")
        return dead

    def start_instance(self, service: str, name: str, port: int, wait: bool = True,
                       env: dict[str, str] | None = None) -> None:
        """Another instance of `service` on the same store and broker, known as `name`, on `port`;
        `env` adds variables for this start only."""
        self.ports[name] = port
        self._spawn(name, service, {**self.env(service), **(env or {}), f"SHIFAN_{service.upper()}_HTTP": f"127.0.0.1:{port}"})
        self.write_stack_file()
        if wait:
            self.wait_until_up(name)

    def _spawn(self, name: str, service: str, env: dict[str, str]) -> None:
        """One process running `service`, known as `name`, its output in `<var>/<name>.log`."""
        log = open(self.var_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen([sys.executable, "-m", "shared.runner", service], cwd=ROOT, env=env,
                                                stdout=log, stderr=subprocess.STDOUT)

    def start_gateway(self, timeout: float = 30.0) -> None:
        """The reverse proxy that serves the four services as one site on `gateway_port`."""
        env = self.env("gateway")
        env.update({f"SHIFAN_{name.upper()}_HTTP": f"127.0.0.1:{port}" for name, port in self.ports.items()})
        env["SHIFAN_GATEWAY_HTTP"] = f"127.0.0.1:{self.gateway_port}"
        log = open(self.var_dir / "gateway.log", "ab")
        self.gateway = subprocess.Popen([sys.executable, "-m", "shared.gateway"], cwd=ROOT, env=env,
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.gateway.poll() is not None:
                raise RuntimeError(f"the gateway exited with {self.gateway.returncode}; see {self.var_dir}/gateway.log")
            try:
                requests.get(self.site_url + "/api/registry/health", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise TimeoutError(f"the gateway did not answer within {timeout} s; see {self.var_dir}/gateway.log")

    def wait_until_up(self, service: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[service]
            if process.poll() is not None:
                raise RuntimeError(f"{service} exited with {process.returncode}; see {self.var_dir}/{service}.log")
            try:
                requests.get(self.url(service) + "/health", timeout=1)
                return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or too busy to answer
                time.sleep(0.1)
        raise TimeoutError(f"{service} did not answer within {timeout} s; see {self.var_dir}/{service}.log")

    def kill(self, service: str) -> None:
        """SIGKILL, as a crash would: no cleanup of any kind."""
        process = self.processes.pop(service)
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to all at once (each takes a couple of seconds to wind down), SIGKILL to laggards."""
        if self.gateway is not None:
            self.gateway.terminate()
            self.gateway.wait(timeout)
            self.gateway = None
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def wait_for(what: str, probe, timeout: float = 60.0):
    """Polls `probe()` until it is truthy and returns it: events cross processes, so their effects
    become visible a little later. Raises TimeoutError naming what was awaited and the last answer."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}; last saw {last!r}")
