"""`shifan up`: the four services as local processes, each started again if it dies, all stopped
by one SIGTERM."""
import json
import os
import signal
import subprocess
import sys

import pytest

from shared.bus import drop_follower_queues
from shared.stack import SERVICE_NAMES
from support import free_port, wait_for

pytestmark = pytest.mark.e2e


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _status(var) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared.cli", "status", "--var", str(var)],
                          capture_output=True, text=True, timeout=30)


def test_up_restarts_a_service_that_dies_and_stops_everything_on_sigterm(tmp_path, amqp_uri):
    drop_follower_queues(amqp_uri)
    env = {**os.environ, "AMQP_URI": amqp_uri, "SHIFAN_GATEWAY_HTTP": f"127.0.0.1:{free_port()}",
           **{f"SHIFAN_{s.upper()}_HTTP": f"127.0.0.1:{free_port()}" for s in SERVICE_NAMES}}
    up = subprocess.Popen([sys.executable, "-m", "shared.cli", "up", "--var", str(tmp_path)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for("all four healthy", lambda: _status(tmp_path).returncode == 0, timeout=90)
        first = json.loads((tmp_path / "stack.json").read_text())["pids"]
        assert set(first) == set(SERVICE_NAMES)

        os.kill(first["review"], signal.SIGKILL)  # as a crash would
        wait_for("review started again", lambda: json.loads((tmp_path / "stack.json").read_text())["pids"]["review"]
                 != first["review"], timeout=30)
        wait_for("all four healthy again", lambda: _status(tmp_path).returncode == 0, timeout=90)
        again = json.loads((tmp_path / "stack.json").read_text())["pids"]
        assert {s: again[s] == first[s] for s in SERVICE_NAMES} == {
            "applications": True, "review": False, "registry": True, "notify": True}
    finally:
        up.send_signal(signal.SIGTERM)
        output, _ = up.communicate(timeout=60)
    assert up.returncode == 0, output
    assert "review exited; started it again" in output
    assert not any(_alive(pid) for pid in again.values())
