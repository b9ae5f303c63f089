"""The relay: publishes a service's notification log to `<service>.events` with publisher
confirms, and advances its stored position only after every event of a batch is confirmed.
Of several instances of a service, only the one holding the store's publishing lock publishes
(shared/messaging/publishing_lock.py); the others stand by."""
from __future__ import annotations

import logging
import os
import threading

from eventsourcing.persistence import Tracking
from kombu import Connection, Exchange

from shared.contracts.envelope import CONTENT_TYPE, encode, notification_id_of
from shared.messaging.health import ComponentStatus
from shared.messaging.log import read_public_log
from shared.messaging.publishing_lock import publishing_lock

log = logging.getLogger(__name__)

# A fault-injection point that exists for the fault suite (tests/faults): with
# SHIFAN_FAULT_RELAY_EXIT_AFTER=N the process ends itself (os._exit) right after the Nth message of a
# batch is published, before the batch's position is stored, as a crash between the broker taking
# the events and the store recording them as published would. Unset or 0: off.
FAULT_EXIT_AFTER = "SHIFAN_FAULT_RELAY_EXIT_AFTER"
FAULT_EXIT_STATUS = 70


def events_exchange(service: str) -> Exchange:
    return Exchange(f"{service}.events", type="topic", durable=True, auto_delete=False)


class Relay:
    def __init__(self, app, amqp_uri: str, batch_size: int = 200):
        self.app = app
        self.amqp_uri = amqp_uri
        self.batch_size = batch_size
        self.exchange = events_exchange(app.name)
        self.position_name = f"relay:{self.exchange.name}"
        self.status = ComponentStatus(f"relay {self.exchange.name}")
        self.lock = publishing_lock(app, self.position_name)
        self.publishing = False  # holds the lock; False: another instance publishes, this one stands by
        self._wake = threading.Event()
        self._connection: Connection | None = None
        self.exit_after = int(os.environ.get(FAULT_EXIT_AFTER) or 0)

    @property
    def position(self) -> int:
        return self.app.position(self.position_name)

    def wake(self) -> None:
        """Something was saved: publish it now rather than at the next poll."""
        self._wake.set()

    def publish_pending(self) -> int:
        """Publishes one batch after the stored position; returns how many were published."""
        envelopes = read_public_log(self.app, self.position, self.batch_size)
        if not envelopes:
            return 0
        producer = self._producer()
        for count, envelope in enumerate(envelopes, 1):
            # With confirm_publish the call returns only once the broker has confirmed.
            producer.publish(
                encode(envelope),
                exchange=self.exchange,
                routing_key=envelope["type"],
                declare=[self.exchange],
                content_type=CONTENT_TYPE,
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=envelope["id"],
            )
            if count == self.exit_after:
                log.warning("%s: exiting after %s published, position not stored (%s)", self.status.name, count,
                            FAULT_EXIT_AFTER)
                os._exit(FAULT_EXIT_STATUS)
        # A crash before this line republishes the batch; consumers drop the duplicates.
        self.app.recorder.insert_tracking(
            Tracking(self.position_name, notification_id_of(envelopes[-1]))
        )
        return len(envelopes)

    def run(self, stopping: threading.Event, poll_interval: float) -> None:
        """Publishes until stopped. A failure is logged, shown in health, and retried with backoff:
        the position has not moved, so nothing is skipped."""
        try:
            while not stopping.is_set():
                self._wake.clear()
                try:
                    self.publishing = self.lock.acquire()
                    while self.publishing and not stopping.is_set() and (published := self.publish_pending()):
                        self.status.ok(published)
                    self.status.ok()
                except Exception as exc:
                    log.exception("%s failed; retrying from position %s", self.status.name, self.position)
                    self.status.failed(exc)
                    self.close()
                    stopping.wait(self.status.backoff())
                    continue
                self._wake.wait(poll_interval)
        finally:
            self.close()  # here, in the relay's own thread: no other thread reads its socket
            self.lock.release()
            self.publishing = False

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            finally:
                self._connection = None

    def _producer(self):
        if self._connection is None:
            self._connection = Connection(self.amqp_uri, transport_options={"confirm_publish": True})
            self._connection.ensure_connection(max_retries=1)
        return self._connection.Producer()
