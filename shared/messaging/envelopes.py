"""The encoded public events of a service's log, kept beside its SQLite store for the paged feed.

A notification's public event never changes (the log is append-only), so `GET /events` builds
each envelope once and afterwards serves it as stored bytes, instead of decrypting, decoding and
dumping every event for every agency that reads the log from the start (ADR 30). A cache of the
log, never a source: a row is used only while the notification at its id is the same stored event
(a digest of its originator, version, topic and stored bytes), and the whole file is emptied when
the code that builds envelopes changes."""
from __future__ import annotations

import hashlib
import inspect
import sqlite3
import threading
import weakref
from pathlib import Path

from eventsourcing.persistence import Notification

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS envelopes (id INTEGER PRIMARY KEY, stored BLOB NOT NULL, body BLOB NOT NULL);
"""


class EnvelopeCache:
    def __init__(self, path: str | Path, fingerprint: str):
        self.db = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # derived data: a row lost in a power cut is built again
        self._lock = threading.Lock()
        with self._lock:
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:  # other contracts, other envelopes
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute("DELETE FROM envelopes")
                self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('fingerprint', ?)", (fingerprint,))
                self.db.execute("COMMIT")

    def get(self, notifications: list[Notification]) -> dict[int, bytes]:
        """The stored envelopes of these notifications (ascending ids), by id; those missing or
        stored for another event at the same id (a store restored or replaced) are left out."""
        if not notifications:
            return {}
        expected = {n.id: _digest(n) for n in notifications}
        with self._lock:
            rows = self.db.execute("SELECT id, stored, body FROM envelopes WHERE id BETWEEN ? AND ?",
                                   (notifications[0].id, notifications[-1].id)).fetchall()
        return {i: body for i, stored, body in rows if expected.get(i) == stored}

    def put(self, built: list[tuple[Notification, bytes]]) -> None:
        if not built:
            return
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.executemany("INSERT OR REPLACE INTO envelopes (id, stored, body) VALUES (?, ?, ?)",
                                    [(n.id, _digest(n), body) for n, body in built])
            except sqlite3.Error:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()


def _digest(notification: Notification) -> bytes:
    """Which stored event a row was built from (its stored bytes are encrypted with a fresh nonce)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (str(notification.originator_id), str(notification.originator_version), notification.topic):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(notification.state)
    return digest.digest()


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def envelope_cache(app) -> EnvelopeCache | None:
    """The cache beside the app's store (`<store>.envelopes`), opened on first use; None when the
    store is not a SQLite file of its own (in memory, read-only, PostgreSQL): then every envelope
    is built as it is read."""
    with _caches_lock:
        if app in _caches:
            return _caches[app]
        name = app.env.get("SQLITE_DBNAME") or ""
        cache = None
        if app.env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite" and name and name != ":memory:" \
                and not name.startswith("file:"):
            cache = EnvelopeCache(f"{name}.envelopes", fingerprint(app))
        _caches[app] = cache
        return cache


def fingerprint(app) -> str:
    """A hash of the code an envelope of this app is built by: its contracts' modules, the
    envelope and the log reader. Any change there empties the cache."""
    from shared.contracts import base, envelope
    from shared.messaging import log

    modules = {inspect.getmodule(schema) for schema in app.public_events.values()} | {base, envelope, log}
    digest = hashlib.sha256(app.name.encode())
    for module in sorted(modules, key=lambda m: m.__name__):
        digest.update(module.__name__.encode())
        digest.update(Path(inspect.getfile(module)).read_bytes())
    return digest.hexdigest()
