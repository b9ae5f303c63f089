"""The publishing lock of a service's relay: one holder at a time, on SQLite files (a file lock)
and on PostgreSQL (an advisory lock), and given up when its holder's process dies."""
import json
import subprocess
import sys

import pytest

from services.review.app import ReviewApp
from shared.messaging.publishing_lock import AdvisoryLock, AlwaysHeld, FileLock, publishing_lock

pytestmark = pytest.mark.stores
HOLD = """
import json, sys, time
from services.review.app import ReviewApp
from shared.messaging.publishing_lock import publishing_lock
lock = publishing_lock(ReviewApp(env=json.loads(sys.argv[1])), "relay:review.events")
print(lock.acquire(), flush=True)
time.sleep(60)
"""


@pytest.fixture
def env(store, tmp_path):
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "review.sqlite"),
            "CIPHER_TOPIC": "", **store}


def test_one_holder_at_a_time_and_a_dead_holder_lets_go(env):
    lock = publishing_lock(ReviewApp(env=env), "relay:review.events")
    assert isinstance(lock, AdvisoryLock if env["PERSISTENCE_MODULE"].endswith("postgres") else FileLock)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, json.dumps(env)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        assert lock.acquire() is False  # another process holds it

        holder.kill()  # kill -9: no cleanup
        holder.wait()
        assert lock.acquire() is True
        assert lock.acquire() is True  # still ours
        other = publishing_lock(ReviewApp(env=env), "relay:review.events")
        assert other.acquire() is False
        lock.release()
        assert other.acquire() is True
        other.release()
    finally:
        holder.kill()
        holder.wait()


def test_an_in_memory_store_is_always_its_own_publisher():
    lock = publishing_lock(ReviewApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), "relay:review.events")
    assert isinstance(lock, AlwaysHeld) and lock.acquire()
