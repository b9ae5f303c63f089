"""The fault suite's nemesis: in turn it kills each service instance with SIGKILL and starts it
again, stops and starts the RabbitMQ node, pauses an instance for 10 s (SIGSTOP, then SIGCONT), and
crashes a relay after it published and before it stored its position; it records every fault and
when it was healed, and any instance that died without being killed."""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

import requests

from shared.messaging.relay import FAULT_EXIT_AFTER, FAULT_EXIT_STATUS
from shared.stack import SERVICE_NAMES, Stack

BROKER = Path(__file__).resolve().parents[2] / "scripts" / "broker.sh"
KINDS = ("kill", "broker", "pause", "relay-exit")


@dataclass
class Fault:
    kind: str
    target: str
    started: float
    healed: float | None = None
    note: str = ""


def broker_is_ours(amqp_uri: str) -> bool:
    """The broker is the project-local node scripts/broker.sh runs (the only one the nemesis may stop)."""
    return urlsplit(amqp_uri).port == int(os.environ.get("SHIFAN_BROKER_PORT", "5682")) and \
        subprocess.run([BROKER, "running"], capture_output=True).returncode == 0


class Nemesis:
    def __init__(self, stack: Stack, instances: dict[str, str], amqp_uri: str, pause_seconds: float = 10.0,
                 gap_seconds: float = 2.0):
        """`instances` maps each running instance to its service: {"review-2": "review", ...}."""
        self.stack, self.instances = stack, instances
        self.pause_seconds, self.gap_seconds = pause_seconds, gap_seconds
        self.broker = broker_is_ours(amqp_uri)
        self.faults: list[Fault] = []
        self.died_by_themselves: list[str] = []
        self.cycles = 0
        self.min_cycles = 1
        self._stop = threading.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nemesis")
        self._running = None

    # -- control ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._running = self._executor.submit(self._run)

    def stop(self, min_cycles: int = 1) -> float:
        """Lets the fault in progress heal (and the rest of `min_cycles` full cycles run); returns
        when the last fault was healed (time.monotonic)."""
        self.min_cycles = min_cycles
        self._stop.set()
        self._running.result()  # raises what stopped the nemesis, if anything did
        self._executor.shutdown()
        return max(f.healed for f in self.faults)

    def counts(self) -> dict[str, int]:
        done = [f for f in self.faults if not f.note.startswith("not triggered")]
        return {kind: sum(f.kind == kind for f in done) for kind in KINDS}

    # -- the schedule ------------------------------------------------------------------------------
    def schedule(self) -> list[tuple[str, str]]:
        """One cycle: one relay crashed (first, while the clients still make events to publish),
        every instance killed, one instance paused, the broker restarted."""
        turn = self.cycles
        names = list(self.instances)
        plan = [("relay-exit", ("applications", "review", "notify", "registry")[turn % 4])]
        plan += [("kill", name) for name in names]
        plan.insert(3, ("pause", names[turn % len(names)]))
        plan.insert(len(plan) - 2, ("broker", "rabbitmq") if self.broker else ("skip", "rabbitmq"))
        return plan

    def _run(self) -> None:
        while not self._done():
            for kind, target in self.schedule():
                self._revive_the_dead()
                getattr(self, "_" + kind.replace("-", "_"))(target)
                self._stop.wait(self.gap_seconds)
                if self._done():
                    return
            self.cycles += 1

    def _done(self) -> bool:
        return self._stop.is_set() and self.cycles >= self.min_cycles

    # -- the faults ----------------------------------------------------------------------------------
    def _kill(self, name: str) -> None:
        fault = self._begin("kill", name)
        self.stack.kill(name)
        self._start(name)
        self._heal(fault)

    def _broker(self, target: str) -> None:
        fault = self._begin("broker", target)
        subprocess.run([BROKER, "stop"], check=True, capture_output=True)
        subprocess.run([BROKER, "start"], check=True, capture_output=True)
        self._heal(fault)

    def _skip(self, target: str) -> None:
        self.faults.append(Fault("skipped", target, time.monotonic(), time.monotonic(),
                                 "not triggered: AMQP_URI is not the project-local node"))

    def _pause(self, name: str) -> None:
        fault = self._begin("pause", name)
        process = self.stack.processes[name]
        process.send_signal(signal.SIGSTOP)
        time.sleep(self.pause_seconds)
        process.send_signal(signal.SIGCONT)
        self._heal(fault)

    def _relay_exit(self, service: str) -> None:
        """The instance of `service` that publishes is killed and started with the relay's fault
        switched on: it publishes one message of its next batch and exits before storing the position."""
        name = self._publisher(service)
        fault = self._begin("relay-exit", name)
        self.stack.kill(name)
        self._start(name, env={FAULT_EXIT_AFTER: "1"}, wait=False)
        try:
            status = self.stack.processes[name].wait(timeout=30)
        except subprocess.TimeoutExpired:
            fault.note = "not triggered: nothing to publish within 30 s"
            self.stack.kill(name)
        else:
            if status != FAULT_EXIT_STATUS:
                raise AssertionError(f"{name} started with {FAULT_EXIT_AFTER} ended with {status}")
            self.stack.processes.pop(name)
        self._start(name)
        self._heal(fault)

    # -- helpers ---------------------------------------------------------------------------------------
    def _begin(self, kind: str, target: str) -> Fault:
        fault = Fault(kind, target, time.monotonic())
        self.faults.append(fault)
        return fault

    @staticmethod
    def _heal(fault: Fault) -> None:
        fault.healed = time.monotonic()

    def _start(self, name: str, env: dict | None = None, wait: bool = True) -> None:
        service = self.instances[name]
        if name in SERVICE_NAMES:
            self.stack.start(name, wait=wait, env=env)
        else:
            self.stack.start_instance(service, name, self.stack.ports[name], wait=wait, env=env)

    def _publisher(self, service: str) -> str:
        """The instance of `service` whose relay publishes (the first one, if none answers)."""
        names = [name for name, of in self.instances.items() if of == service]
        for name in names:
            try:
                if requests.get(f"{self.stack.url(name)}/health", timeout=5).json()["relay_role"] == "publishing":
                    return name
            except (requests.RequestException, ValueError):
                continue
        return names[0]

    def _revive_the_dead(self) -> None:
        """An instance that ended without the nemesis killing it is a bug: noted, and started again."""
        for name, process in list(self.stack.processes.items()):
            if process.poll() is not None:
                self.died_by_themselves.append(f"{name} (exit {process.returncode})")
                self.stack.processes.pop(name)
                self._start(name)
