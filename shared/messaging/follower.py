"""The follower: applies one upstream service's public events in order and exactly once.

RabbitMQ rings the bell; the upstream log is the truth. An event whose id is the next one
expected is applied from the message; any other new id (a gap, a restart, a dropped message)
is filled by reading the upstream log over RPC. Each event's effects and its tracking record
commit in one transaction, so a redelivered or replayed event is recognised and ignored.
"""
from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking
from kombu import Connection, Queue
from marshmallow import ValidationError

from shared import correlation
from shared.contracts.catalog import CONTRACTS
from shared.contracts.envelope import Envelope, decode, notification_id_of
from shared.messaging.health import ComponentStatus
from shared.messaging.relay import events_exchange

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublicEvent:
    """An upstream event as a policy sees it: envelope attributes and `data` loaded by its contract."""

    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: dict


Policy = Callable[[Any, PublicEvent], Iterable[Any]]
LogReader = Callable[[int, int], list]


class Follower:
    def __init__(
        self,
        app,
        upstream: str,
        policies: Mapping[str, Policy],
        read_log: LogReader,
        amqp_uri: str,
        default_policy: Policy | None = None,
        page_size: int = 200,
        prefetch: int = 100,
        queue_type: str = "quorum",
        on_recorded: Callable[[], None] | None = None,
    ):
        self.app = app
        self.upstream = upstream
        self.policies = policies
        self.default_policy = default_policy
        self.read_log = read_log
        self.amqp_uri = amqp_uri
        self.page_size = page_size
        self.prefetch = prefetch
        self.on_recorded = on_recorded  # told when effects were committed (the relay, to publish them now)
        self._passed = 0  # the last upstream id that changed nothing here, not yet recorded
        self.queue = Queue(
            f"{app.name}.follows.{upstream}",
            exchange=events_exchange(upstream),
            routing_key="#",
            durable=True,
            auto_delete=False,
            # quorum: replicated on a cluster, and kept on disk by a single node too
            queue_arguments={"x-queue-type": queue_type},
        )
        self.status = ComponentStatus(f"follower {app.name} <- {upstream}")
        self.head = 0  # the highest upstream id seen, in a message or the log: lag = head - position
        self.connected = False  # the consumer's broker connection is up
        self._lock = threading.Lock()

    @property
    def position(self) -> int:
        return max(self.app.position(self.upstream), self._passed)

    def record_position(self) -> None:
        """Stores the position of events that changed nothing here (see _apply)."""
        with self._lock:
            passed = self._passed
            if passed > self.app.position(self.upstream):
                try:
                    self.app.recorder.insert_tracking(Tracking(self.upstream, passed))
                except IntegrityError:
                    if self.app.position(self.upstream) < passed:
                        raise

    # -- processing ------------------------------------------------------------------------
    def handle(self, envelope: dict) -> int:
        """Processes the event a message announced; returns how many events were applied."""
        with self._lock:
            n = notification_id_of(envelope)
            self.head = max(self.head, n)
            position = self.position
            if n <= position:
                return 0  # a duplicate or an older redelivery
            if n == position + 1:
                return self._apply(envelope)
            applied = self._catch_up_locked(until=n)
            if self.position < n:
                log.warning("%s: %s is not in the upstream log; dropped", self.status.name, envelope["id"])
            return applied

    def catch_up(self) -> int:
        """Applies everything the upstream log holds after our position."""
        with self._lock:
            return self._catch_up_locked(until=None)

    def _catch_up_locked(self, until: int | None) -> int:
        applied = 0
        while until is None or self.position < until:
            page = self.read_log(self.position, self.page_size)
            if not page:
                break
            self.head = max(self.head, notification_id_of(page[-1]))
            for envelope in page:
                errors = Envelope().validate(envelope)
                if errors:
                    raise ValueError(f"upstream {self.upstream} served a malformed event: {errors}")
                if notification_id_of(envelope) > self.position:
                    applied += self._apply(envelope)
        return applied

    def _apply(self, envelope: dict) -> int:
        n = notification_id_of(envelope)
        event = _public_event(envelope)
        processing = ProcessingEvent(Tracking(self.upstream, n))
        policy = self.policies.get(event.type, self.default_policy)
        # what the policy stores carries the id of the request that caused the upstream event
        with correlation.use(envelope.get("correlationid") or correlation.new()):
            if policy is not None:
                processing.collect_events(*policy(self.app, event))
            if not processing.events:
                # Nothing changes here, so no transaction of its own: the position moves in memory and
                # is stored with the next event that has effects, or by the catch-up loop. After a
                # crash these events are read again and change nothing again.
                self._passed = n
                return 1
            try:
                self.app.record(processing)
            except IntegrityError:
                if self.position >= n:
                    return 0  # another instance recorded it first
                raise
            log.info("applied %s", envelope["id"], extra={"event_type": event.type, "aggregate_id": event.subject})
        if self.on_recorded is not None:
            self.on_recorded()
        return 1

    # -- loops the runtime starts ----------------------------------------------------------
    def run_consumer(self, stopping: threading.Event) -> None:
        """Consumes the service's durable queue on the upstream exchange until stopped."""
        while not stopping.is_set():
            try:
                with Connection(self.amqp_uri, heartbeat=0) as connection:
                    with connection.Consumer(
                        [self.queue], on_message=self._on_message, prefetch_count=self.prefetch
                    ):
                        self.connected = True
                        while not stopping.is_set():
                            try:
                                connection.drain_events(timeout=1)
                            except socket.timeout:
                                continue
            except Exception as exc:
                self.connected = False
                log.exception("%s: consumer connection failed", self.status.name)
                self.status.failed(exc)
                stopping.wait(self.status.backoff())
        self.connected = False

    def run_catch_up(self, stopping: threading.Event, interval: float) -> None:
        """Reads the upstream log at start and then every `interval` seconds, so an event whose
        message never arrived (the last one of a burst, say) is still applied."""
        while not stopping.is_set():
            try:
                applied = self.catch_up()
                self.record_position()
                self.status.ok(applied)
                wait = interval
            except Exception as exc:
                log.warning("%s: catch-up failed (%s); retrying", self.status.name, exc)
                self.status.failed(exc)
                wait = min(interval, self.status.backoff())
            stopping.wait(wait)

    def _on_message(self, message) -> None:
        try:
            envelope = decode(message.body)
            if envelope["source"] != self.upstream:
                raise ValueError(f"event from {envelope['source']} on {self.upstream}'s exchange")
        except (ValueError, KeyError) as exc:
            # Poison: it came from no relay of ours. Rejected loudly; the log stays the truth.
            log.error("%s: rejected a malformed message: %s", self.status.name, exc)
            self.status.failed(exc)
            message.reject(requeue=False)
            return
        try:
            applied = self.handle(envelope)
        except Exception as exc:
            log.exception("%s: %s failed; it will be retried", self.status.name, envelope["id"])
            self.status.failed(exc)
            threading.Event().wait(self.status.backoff())
            message.requeue()
            return
        message.ack()
        self.status.ok(applied)


def _public_event(envelope: dict) -> PublicEvent:
    contract = CONTRACTS.get(envelope["type"])
    data = envelope["data"]
    if contract is not None:
        try:
            data = contract.schema().load(data)
        except ValidationError as exc:
            raise ValueError(f"{envelope['id']} breaks its contract {contract.type}: {exc.messages}") from exc
    return PublicEvent(
        id=envelope["id"],
        type=envelope["type"],
        source=envelope["source"],
        subject=envelope["subject"],
        time=datetime.fromisoformat(envelope["time"]),
        data=data,
    )
