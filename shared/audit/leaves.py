"""The leaves of a service's Merkle tree: each row of its notification log exactly as stored, in
notification-id order (ids may have gaps; a leaf's index is its place among the rows).

A leaf binds the notification id, the originator id and version, the topic and the stored state
bytes — encrypted by the service's cipher — so proofs never need the store key, and destroying a
key later does not break them. Fields are length-prefixed, so no two rows encode alike."""
from __future__ import annotations

import sqlite3
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from uuid import UUID

from shared.audit.merkle import leaf_hash

PAGE = 500


@dataclass(frozen=True)
class Row:
    """One stored event as the store holds it."""

    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes

    @property
    def leaf(self) -> bytes:
        return leaf_hash(leaf_data(self))

    def name(self, service: str) -> str:
        return (f"{service}:{self.notification_id} (originator {canonical_id(self.originator_id)} "
                f"version {self.originator_version}, {self.topic})")


def leaf_data(row: Row) -> bytes:
    """The bytes a leaf hashes (RFC 6962's leaf input)."""
    originator = _id_bytes(row.originator_id)
    topic = row.topic.encode("utf-8")
    return b"".join((struct.pack(">QH", row.notification_id, len(originator)), originator,
                     struct.pack(">QH", row.originator_version, len(topic)), topic,
                     struct.pack(">I", len(row.state)), bytes(row.state)))


def _id_bytes(originator_id) -> bytes:
    """A UUID as its 16 bytes (however the store spells it), any other id as UTF-8."""
    text = str(originator_id)
    if len(text) in (32, 36):  # SQLite keeps 32 hex digits; parsing them directly is 5 times faster
        try:
            return bytes.fromhex(text.replace("-", "")) if len(text) == 32 or text.count("-") == 4 else _uuid(text)
        except ValueError:
            pass
    return _uuid(text)


def _uuid(text: str) -> bytes:
    try:
        return UUID(text).bytes
    except ValueError:
        return text.encode("utf-8")


def canonical_id(originator_id) -> str:
    """A UUID in its usual spelling (SQLite stores it as 32 hex digits), any other id as it is."""
    try:
        return str(UUID(str(originator_id)))
    except ValueError:
        return str(originator_id)


def from_notification(notification) -> Row:
    return Row(notification.id, str(notification.originator_id), notification.originator_version,
               notification.topic, bytes(notification.state))


def recorder_rows(recorder, after: int = 0) -> Iterator[Row]:
    """Rows after notification `after`, through eventsourcing's recorder (any persistence module)."""
    while True:
        page = recorder.select_notifications(start=after, limit=PAGE, inclusive_of_start=False)
        yield from map(from_notification, page)
        if len(page) < PAGE:
            return
        after = page[-1].id
        time.sleep(0)  # under eventlet, let the service's other work run between pages


def sqlite_rows(path: str | Path) -> Iterator[Row]:
    """Every row of an eventsourcing SQLite store, read straight from the file, read-only."""
    db = open_read_only(path)
    try:
        cursor = db.execute("SELECT rowid, originator_id, originator_version, topic, state "
                            "FROM stored_events ORDER BY rowid")
        for nid, originator, version, topic, state in cursor:
            yield Row(nid, str(originator), version, topic, bytes(state))
    finally:
        db.close()


def open_read_only(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no store at {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
