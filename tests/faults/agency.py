"""An agency following the registry through the faults: its queue and broker user are made by
shared/agencies.py (`shifan agency add`), its logic is examples/agency_subscriber.py's Subscriber
(catch up from the feed, then the queue; duplicates dropped, gaps filled from the feed), and it
connects again whenever a fault cuts the broker or the registry's feed."""
from __future__ import annotations

import importlib.util
import json
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from amqp.exceptions import AMQPError
from kombu import Connection, Queue
from kombu.exceptions import KombuError

from shared.agencies import add_agency

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agency_subscriber.py"
PATTERNS = ["shifan.registry.#"]


def _example():
    spec = importlib.util.spec_from_file_location("agency_subscriber", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Lines:
    """Where the subscriber writes its JSON lines: kept in memory."""

    def __init__(self):
        self.events: list[dict] = []

    def write(self, text: str) -> None:
        self.events += [json.loads(line) for line in text.splitlines() if line]

    def flush(self) -> None:
        pass


class Agency:
    def __init__(self, stack, amqp_uri: str):
        self.name = f"faults-{uuid.uuid4().hex[:8]}"
        self.amqp_uri = amqp_uri
        self.access = add_agency(self.name, PATTERNS, amqp_uri)
        self.out = Lines()
        self.subscriber = _example().Subscriber({"registry": stack.url("registry")}, stack.token("agency", self.name),
                                                PATTERNS, self.out)
        self.interruptions = 0
        self._stop = threading.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agency")
        self._running = None

    @property
    def ids(self) -> list[str]:
        return [e["id"] for e in self.out.events]

    def start(self) -> None:
        self._running = self._executor.submit(self._run)

    def stop(self) -> None:
        self._stop.set()
        self._running.result()
        self._executor.shutdown()
        with Connection(self.amqp_uri) as connection:  # the operator's rights: the queue goes with the run
            connection.default_channel.queue_delete(self.access.queue)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.subscriber.catch_up("registry")
                self._follow_queue()
            except (requests.RequestException, OSError, AMQPError, KombuError):
                # a fault cut the feed or the broker: unacknowledged messages come again
                self.interruptions += 1
                self._stop.wait(0.5)

    def _follow_queue(self) -> None:
        with Connection(self.access.amqp_uri, heartbeat=0, connect_timeout=5) as connection:
            queue = Queue(self.access.queue, no_declare=True)
            with connection.Consumer([queue], on_message=self.subscriber.on_message, prefetch_count=100):
                idle = 0
                while not self._stop.is_set():
                    try:
                        connection.drain_events(timeout=1)
                        idle = 0
                    except socket.timeout:
                        idle += 1
                        if idle % 5 == 0:  # quiet for a while: the feed shows what a lost message held
                            self.subscriber.catch_up("registry")
