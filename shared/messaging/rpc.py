"""Calls another service over nameko RPC through one standalone proxy per service, started on
first use and started afresh after a failure (a timeout, a broken connection)."""
from __future__ import annotations

import threading

from amqp.exceptions import AMQPError
from kombu.exceptions import KombuError
from nameko.standalone.rpc import ClusterRpcProxy


class RpcClient:
    def __init__(self, service: str, amqp_uri: str, timeout: float = 10.0):
        self.service = service
        self.config = {"AMQP_URI": amqp_uri}
        self.timeout = timeout
        self._proxy = None
        self._cluster = None
        self._lock = threading.Lock()

    def call(self, method: str, **kwargs):
        with self._lock:
            if self._cluster is None:
                self._proxy = ClusterRpcProxy(self.config, timeout=self.timeout)
                self._cluster = self._proxy.start()
            answered = False
            try:
                result = getattr(getattr(self._cluster, self.service), method)(**kwargs)
                answered = True
                return result
            finally:
                if not answered:  # a timeout or a broken connection: start afresh next time
                    self._stop_locked()

    def close(self) -> None:
        """Stops the proxy unless a call is in flight (that call's thread is being killed anyway:
        waiting for it would hold a shutdown up for the whole RPC timeout)."""
        if self._lock.acquire(blocking=False):
            try:
                self._stop_locked()
            finally:
                self._lock.release()

    def _stop_locked(self) -> None:
        proxy, self._proxy, self._cluster = self._proxy, None, None
        if proxy is not None:
            try:
                proxy.stop()
            except (OSError, AMQPError, KombuError):  # the connection is already gone
                pass


class RpcLogReader(RpcClient):
    """Reads an upstream service's log: `<service>.read_log(after, limit)`."""

    def __call__(self, after: int, limit: int) -> list:
        return self.call("read_log", after=after, limit=limit)
