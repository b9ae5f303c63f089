"""The base every service's eventsourcing Application builds on: one store holding its events,
its notification log and its tracking records, so effects and positions commit together."""
from __future__ import annotations

import logging
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any, Iterable
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import JSONTranscoder, Mapper, ProcessRecorder, Transcoding

from shared.audit.plain import PlainTreeHeadMapper
from shared.audit.treehead import TreeHead
from shared.contracts.audit import TREE_HEAD_SIGNED
from shared.errors import NotFound

log = logging.getLogger(__name__)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ServiceApplication(Application):
    """An eventsourcing Application whose recorder also keeps tracking records, and whose log
    also holds its own signed tree heads (shared/audit/), published like any of its events."""

    recorder: ProcessRecorder
    public_events: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        contract = TREE_HEAD_SIGNED.get(cls.name)
        if contract is not None:  # a service's application: its tree heads are public too
            cls.public_events = {**cls.public_events, TreeHead.Signed: contract}

    def __init__(self, env: dict[str, str] | None = None):
        _ensure_sqlite_folder(env)
        _ensure_postgres_schema(self.name, env)
        super().__init__(env)
        self._scans: dict[tuple, _Scan] = {}
        self._scans_lock = threading.Lock()

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    def construct_mapper(self) -> Mapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=PlainTreeHeadMapper)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def _record(self, processing_event: ProcessingEvent):
        recordings = super()._record(processing_event)
        for recording in recordings:  # one log line per stored event, under its correlation id
            event = recording.domain_event
            contract = self.public_events.get(type(event))
            log.info("stored %s:%s", self.name, recording.notification.id,
                     extra={"aggregate_id": event.originator_id, "notification_id": recording.notification.id,
                            "event_type": contract.TYPE if contract else type(event).__qualname__})
        return recordings

    # -- the follower's side: effects of one upstream event and its tracking record, atomically
    def record(self, processing_event: ProcessingEvent) -> None:
        self._record(processing_event)

    def position(self, name: str) -> int:
        """The last upstream notification id processed (or relayed) under this name."""
        return self.recorder.max_tracking_id(name) or 0

    # -- reads shared by every service
    def get(self, aggregate_id: UUID, kind: type, label: str) -> Any:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(label, aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise NotFound(label, aggregate_id)
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def events_of(self, aggregate_id: UUID) -> list:
        return list(self.events.get(aggregate_id))

    def ids_with_events(self, *event_classes: type) -> Iterable[UUID]:
        """Originator ids of every stored event of these classes, in log order.

        A scan of the notification log filtered by topic, kept per set of classes and resumed
        from where the last call stopped, so each call reads only what was stored since (the
        log only grows, and its ids commit in order: SQLite has one writer, eventsourcing's
        PostgreSQL recorder locks the table while it inserts). It reads up to the log's end as
        it was when the call began, and resumes there, even where no event of these classes was."""
        topics = tuple(sorted(f"{cls.__module__}:{cls.__qualname__}" for cls in event_classes))
        with self._scans_lock:
            scan = self._scans.setdefault(topics, _Scan())
            end = self.recorder.max_notification_id() or 0
            while scan.after < end:
                page = self.recorder.select_notifications(start=scan.after, limit=500, stop=end, topics=list(topics),
                                                          inclusive_of_start=False)
                for n in page:
                    if n.originator_id not in scan.seen:
                        scan.seen.add(n.originator_id)
                        scan.ids.append(n.originator_id)
                scan.after = page[-1].id if len(page) == 500 else end
            return list(scan.ids)


class _Scan:
    """How far one topic scan of the log has read, and the ids it found."""

    def __init__(self):
        self.after = 0
        self.ids: list[UUID] = []
        self.seen: set[UUID] = set()


def _ensure_sqlite_folder(env: dict[str, str] | None) -> None:
    name = (env or {}).get("SQLITE_DBNAME", "")
    if name and name != ":memory:" and not name.startswith("file:"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)


def _ensure_postgres_schema(name: str, env: dict[str, str] | None) -> None:
    """On PostgreSQL each service keeps its tables in its own schema (POSTGRES_SCHEMA, by default
    the service's name), made here if the database does not have it yet."""
    settings = {**os.environ, **(env or {})}
    if settings.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        return
    schema = settings.get(f"{name.upper()}_POSTGRES_SCHEMA") or settings.get("POSTGRES_SCHEMA")
    if not schema:
        return
    import psycopg  # only a PostgreSQL deployment needs it
    from psycopg import sql

    with psycopg.connect(
        dbname=settings.get("POSTGRES_DBNAME", "postgres"), host=settings.get("POSTGRES_HOST", "127.0.0.1"),
        port=settings.get("POSTGRES_PORT", "5432"), user=settings.get("POSTGRES_USER"),
        password=settings.get("POSTGRES_PASSWORD"), connect_timeout=int(settings.get("POSTGRES_CONNECT_TIMEOUT", "30")),
        autocommit=True,
    ) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
