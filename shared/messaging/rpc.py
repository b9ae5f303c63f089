"""nameko RPC between the services: the client (one standalone proxy per service called, started on
first use and started afresh after a failure: a timeout, a broken connection) and the `@rpc`
entrypoint that answers, which survives a broker that goes away while it replies."""
from __future__ import annotations

import logging
import threading

from amqp.exceptions import AMQPError
from kombu.exceptions import KombuError
from nameko import rpc as nameko_rpc
from nameko.standalone.rpc import ClusterRpcProxy

log = logging.getLogger(__name__)
BROKER_GONE = (OSError, AMQPError, KombuError)


class Rpc(nameko_rpc.Rpc):
    """nameko's RPC entrypoint, except for a broker that goes away while it replies. nameko lets
    the error of the reply (or of acknowledging the request) out of the worker, which kills the
    whole service; here the reply is dropped and the request acknowledged if its connection still
    allows: the caller times out and asks again, and an unacknowledged request comes back."""

    def handle_result(self, message, worker_ctx, result, exc_info):
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except BROKER_GONE as exc:
            log.warning("the reply to %s could not be sent or acknowledged (%s: %s); its caller will ask again",
                        worker_ctx.entrypoint.method_name, type(exc).__name__, exc)
        try:
            self.rpc_consumer.queue_consumer.ack_message(message)
        except BROKER_GONE:
            pass  # the connection is gone: the broker gives the request back to a consumer
        return result, exc_info


rpc = Rpc.decorator


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
