"""Which instance of a service publishes its log: one relay at a time, through a lock the store
holds for it and lets go of when that instance dies.

On PostgreSQL it is a session advisory lock on a connection of its own: the server releases it the
moment that connection ends, however the process ended. On SQLite it is an exclusive lock on a file
beside the database (`<db>.relay-lock`), which the kernel releases with the process. An in-memory
store belongs to one process, so its relay always holds the lock. Instances without the lock stay
on standby and try again at every poll, so one takes over within a poll of the holder's death.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os

log = logging.getLogger(__name__)


class AlwaysHeld:
    """An in-memory store: no other process can publish it."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        pass


class FileLock:
    """An exclusive, non-blocking flock on `<path>`, kept for the life of the process."""

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class AdvisoryLock:
    """pg_try_advisory_lock on a connection of its own; checked before every batch, because a
    connection that dropped took the lock with it."""

    def __init__(self, connect_kwargs: dict, key: str):
        self.connect_kwargs = {k: v for k, v in connect_kwargs.items() if k != "row_factory"}
        self.key = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        self._connection = None

    def acquire(self) -> bool:
        import psycopg  # only a PostgreSQL deployment needs it

        if self._connection is not None:
            try:
                self._connection.execute("SELECT 1")
                return True
            except psycopg.OperationalError as exc:
                log.warning("the relay's lock connection dropped (%s): the lock is gone", exc)
                self._close()
        connection = psycopg.connect(**self.connect_kwargs, autocommit=True)
        held = False
        try:
            held = connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]
        finally:
            if held:
                self._connection = connection
            else:
                connection.close()
        return bool(held)

    def release(self) -> None:
        self._close()  # ending the session releases its advisory locks

    def _close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()


def publishing_lock(app, name: str):
    """The lock that lets one relay publish `app`'s log under `name` (its position's name)."""
    datastore = getattr(app.recorder, "datastore", None)
    pool = getattr(datastore, "pool", None)
    if pool is not None and hasattr(pool, "kwargs"):  # PostgreSQL
        return AdvisoryLock(pool.kwargs, f"{datastore.schema}:{app.name}:{name}")
    db_name = getattr(pool, "db_name", None)
    if db_name and not getattr(pool, "is_sqlite_memory_mode", True):  # an SQLite file
        return FileLock(f"{db_name}.relay-lock")
    return AlwaysHeld()
