"""Backup and restore of the SQLite stores: a backup taken while the services run, restored into a
fresh folder, gives services that replay it to the same registry; a damaged backup is refused."""
import subprocess
import sys

import pytest

from shared.bus import drop_follower_queues
from shared.stack import SERVICE_NAMES, Stack
from support import free_port, get, health, settled, wait_for
from test_registry_end_to_end import CHENGDU, MIANYANG, certify

pytestmark = pytest.mark.e2e


def shifan(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared.cli", *args], capture_output=True, text=True, timeout=60)


def test_a_backup_taken_while_running_restores_to_the_same_registry(stack, tmp_path, amqp_uri):
    registry = stack.url("registry")
    certify(stack, [MIANYANG, CHENGDU])
    wait_for("everything settled", lambda: settled(stack))
    units = get(f"{registry}/units")["units"]
    heads = {s: health(stack, s)["last_notification_id"] for s in SERVICE_NAMES}

    backup = tmp_path / "backup"
    taken = shifan("backup", str(backup), "--var", str(stack.var_dir), "--with-keys")  # the services still run
    assert taken.returncode == 0, taken.stderr
    assert f"review        {heads['review']:>8} events" in taken.stdout
    stack.stop()

    # a damaged copy is refused, and nothing is restored
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-r", str(backup), str(damaged)], check=True)
    with open(damaged / "registry.sqlite", "r+b") as f:
        f.seek(200)
        f.write(b"\x00\x01\x02")
    refused = shifan("restore", str(damaged), "--var", str(tmp_path / "elsewhere"))
    assert refused.returncode != 0 and "registry.sqlite does not match its manifest" in refused.stderr
    assert not (tmp_path / "elsewhere").exists()

    # restored into a fresh folder, the four services replay it: same logs, same registry
    fresh = tmp_path / "restored"
    restored = shifan("restore", str(backup), "--var", str(fresh))
    assert restored.returncode == 0, restored.stderr
    assert shifan("restore", str(backup), "--var", str(fresh)).returncode != 0  # never over existing stores
    assert sorted(p.name for p in fresh.iterdir()) == sorted(["keys", *(f"{s}.sqlite" for s in SERVICE_NAMES)])
    drop_follower_queues(amqp_uri)  # the registry's read model is not in the backup: it is rebuilt from the log
    again = Stack(var_dir=fresh, amqp_uri=amqp_uri, ports={s: free_port() for s in SERVICE_NAMES},
                  extra_env={"SHIFAN_CLOCK": f"file:{stack.var_dir / 'clock'}"})
    again.start()
    try:
        assert {s: health(again, s)["last_notification_id"] for s in SERVICE_NAMES} == heads
        assert get(f"{again.url('registry')}/units")["units"] == units
        for unit in units:
            assert get(f"{again.url('registry')}/verify/{unit['certificate_no']}")["status"] == "valid"
    finally:
        again.stop()
