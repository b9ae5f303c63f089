"""The raw stack in the same run: what bare sqlite3 and kombu do with the same work, so each of
the system's figures has a ceiling measured on the same machine at the same moment."""
from __future__ import annotations

import os
import sqlite3
import time
import uuid
from pathlib import Path

from kombu import Connection, Exchange, Queue

ROW = os.urandom(600)  # about the size of one stored, encrypted event


def _sqlite(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")  # as eventsourcing sets it; synchronous left at its default
    db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, state BLOB)")
    return db


def lifecycles(amqp_uri: str, folder: Path, count: int, per_lifecycle: dict) -> float:
    """Lifecycles per second of a single bare loop doing, per lifecycle, the transactions (one
    600-byte row each) and the messages (persistent, each publish confirmed; each delivered to as
    many queues as the system's events reach followers, consumed and acknowledged) that the
    system did per lifecycle."""
    db = _sqlite(folder / "raw-lifecycle.sqlite")
    tag = uuid.uuid4().hex[:8]
    exchange = Exchange(f"bench.raw.{tag}", type="topic", durable=True, auto_delete=False)
    fanout = max(1, round(per_lifecycle["consumed"] / max(per_lifecycle["published"], 1)))
    queues = [Queue(f"bench.raw.{tag}.{i}", exchange=exchange, routing_key="#", durable=True) for i in range(fanout)]
    received = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        producer = connection.Producer()
        with connection.Consumer(queues, callbacks=[lambda body, message: (message.ack(), received.append(1))],
                                 prefetch_count=100):
            transactions = published = 0.0
            sent = 0
            started = time.perf_counter()
            for _ in range(count):
                transactions += per_lifecycle["transactions"]
                published += per_lifecycle["published"]
                while transactions >= 1:
                    db.execute("BEGIN")
                    db.execute("INSERT INTO events (state) VALUES (?)", (ROW,))
                    db.execute("COMMIT")
                    transactions -= 1
                while published >= 1:
                    producer.publish(ROW, exchange=exchange, routing_key="raw", delivery_mode=2, declare=[exchange])
                    published -= 1
                    sent += 1
                _drain(connection)
            while len(received) < sent * len(queues):
                connection.drain_events(timeout=10)
            elapsed = time.perf_counter() - started
        for queue in queues:
            queue(connection.default_channel).delete()
        exchange(connection.default_channel).delete()
    db.close()
    return count / elapsed


def _drain(connection) -> None:
    """Takes whatever has arrived without waiting for more."""
    while True:
        try:
            connection.drain_events(timeout=0)
        except TimeoutError:
            return


def round_trips(amqp_uri: str, count: int) -> list[float]:
    """Seconds from publishing a persistent, confirmed message to consuming it, one at a time."""
    tag = uuid.uuid4().hex[:8]
    exchange = Exchange(f"bench.rtt.{tag}", type="topic", durable=True, auto_delete=False)
    queue = Queue(f"bench.rtt.{tag}", exchange=exchange, routing_key="#", durable=True)
    times, arrived = [], []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as publishing, \
            Connection(amqp_uri) as consuming:
        with consuming.Consumer([queue], callbacks=[lambda body, message: (message.ack(), arrived.append(1))]):
            producer = publishing.Producer()
            for _ in range(count):
                before = len(arrived)
                started = time.perf_counter()
                producer.publish(ROW, exchange=exchange, routing_key="rtt", delivery_mode=2, declare=[exchange])
                while len(arrived) == before:
                    consuming.drain_events(timeout=10)
                times.append(time.perf_counter() - started)
        queue(consuming.default_channel).delete()
        exchange(consuming.default_channel).delete()
    return times


def sqlite_rows(path: Path) -> float:
    """Rows of an eventsourcing store per second, read straight from its SQLite file in pages of
    500 (the page the feed serves), without decrypting or decoding them."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    started, count, after = time.perf_counter(), 0, 0
    while rows := db.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
                             "WHERE rowid > ? ORDER BY rowid LIMIT 500", (after,)).fetchall():
        count += len(rows)
        after = rows[-1][0]
    elapsed = time.perf_counter() - started
    db.close()
    return count / elapsed
