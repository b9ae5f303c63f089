"""nameko dependencies that give a service its eventsourcing Application, relay, followers,
signed tree heads and clock."""
from __future__ import annotations

import threading
from typing import Mapping

import psycopg
from eventsourcing.persistence import PersistenceError
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Request

from shared import correlation

from shared.audit.keeper import TreeHeads
from shared.clock import clock_from_setting
from shared.messaging.follower import Follower, Policy
from shared.messaging.relay import Relay
from shared.messaging.rpc import RpcLogReader


class EventSourced(DependencyProvider):
    """Injects the service's Application; runs its relay, one follower per upstream, and the
    signer of its tree heads (shared/audit/keeper.py).

    `follows` maps an upstream service name to its policies (event type -> policy); the key
    "*" in a policy table is the policy for every other type.
    """

    def __init__(self, app_class, follows: Mapping[str, Mapping[str, Policy]] | None = None):
        self.app_class = app_class
        self.follows = dict(follows or {})

    def setup(self) -> None:
        config = self.container.config
        env = {k: "" if v is None else str(v) for k, v in (config.get("EVENTSOURCING") or {}).items()}
        if env.get("CIPHER_TOPIC") and not env.get("CIPHER_KEY"):
            name = self.app_class.name
            raise RuntimeError(f"{name}: its store is encrypted, so SHIFAN_{name.upper()}_CIPHER_KEY must be set "
                               "(`shifan keys cipher` prints a new key)")
        self.app = self.app_class(env=env)
        amqp_uri = config["AMQP_URI"]
        self.relay_poll = float(config.get("RELAY_POLL_SECONDS", 1.0))
        self.catch_up_interval = float(config.get("CATCH_UP_SECONDS", 5.0))
        queue_type = str(config.get("QUEUE_TYPE") or "quorum")
        self.relay = Relay(self.app, amqp_uri)
        self.readers = []
        self.followers = []
        for upstream, policies in self.follows.items():
            reader = RpcLogReader(upstream, amqp_uri)
            table = dict(policies)
            default = table.pop("*", None)
            self.readers.append(reader)
            self.followers.append(Follower(self.app, upstream, table, reader, amqp_uri, default_policy=default,
                                           queue_type=queue_type, on_recorded=self.relay.wake))
        self.tree_heads = TreeHeads(self.app, config, self.relay.wake)
        self.stopping = threading.Event()
        self._correlation_tokens = {}  # worker context -> the token that undoes its correlation id
        self._positions = {"last": 0, "relay": 0, "follows": {f.upstream: 0 for f in self.followers}}

    def start(self) -> None:
        spawn = self.container.spawn_managed_thread
        spawn(lambda: self.relay.run(self.stopping, self.relay_poll), identifier="relay")
        spawn(lambda: self.tree_heads.run(self.stopping), identifier="tree heads")
        for follower in self.followers:
            spawn(lambda f=follower: f.run_consumer(self.stopping), identifier=f"{follower.status.name} consumer")
            spawn(lambda f=follower: f.run_catch_up(self.stopping, self.catch_up_interval),
                  identifier=f"{follower.status.name} catch-up")

    def stop(self) -> None:
        self.stopping.set()
        self.relay.wake()  # its thread ends its loop and closes its own connection
        for reader in self.readers:
            reader.close()

    def kill(self) -> None:
        self.stop()

    def get_dependency(self, worker_ctx):
        return self.app

    def worker_setup(self, worker_ctx) -> None:
        """The worker runs under the correlation id of the HTTP request that started it (JsonHttp
        put it on the request), or a new one (a timer, an RPC call)."""
        request = next((a for a in worker_ctx.args if isinstance(a, Request)), None)
        self._correlation_tokens[worker_ctx] = correlation.set_current(
            getattr(request, "correlation_id", None) or correlation.new())

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        self.relay.wake()

    def worker_teardown(self, worker_ctx) -> None:
        token = self._correlation_tokens.pop(worker_ctx, None)
        if token is not None:
            correlation.reset(token)

    def status(self) -> dict:
        """Health and lags: the store answers, the broker connections are up, how far the relay
        and each follower have got. Positions are read from the store (the last ones read, when
        it does not answer)."""
        components = [self.relay.status] + [f.status for f in self.followers] + [self.tree_heads.status]
        store = {"reachable": True}
        try:
            self._positions = {"last": self.app.recorder.max_notification_id() or 0,
                               "relay": self.relay.position,
                               "follows": {f.upstream: f.position for f in self.followers}}
        except (PersistenceError, psycopg.Error) as exc:
            store = {"reachable": False, "error": f"{type(exc).__name__}: {exc}"}
        last, follows = self._positions["last"], self._positions["follows"]
        broker = {"connected": self.relay.status.healthy and all(f.connected for f in self.followers)}
        return {
            "service": self.app.name,
            "healthy": store["reachable"] and all(c.healthy for c in components),
            "store": store,
            "broker": broker,
            "last_notification_id": last,
            "relay_position": self._positions["relay"],
            "relay_role": "publishing" if self.relay.publishing else "standby",
            "relay": {"published": self.relay.status.processed, "lag": max(0, last - self._positions["relay"])},
            "follows": follows,
            "followers": [{"upstream": f.upstream, "position": follows[f.upstream], "processed": f.status.processed,
                           "lag": max(0, f.head - follows[f.upstream])} for f in self.followers],
            "components": [c.as_dict() for c in components],
        }


class MessagingStatus(DependencyProvider):
    """Injects a function returning the EventSourced sibling's status, for /health."""

    def get_dependency(self, worker_ctx):
        for extension in self.container.dependencies:
            if isinstance(extension, EventSourced):
                return extension.status
        raise LookupError("MessagingStatus needs an EventSourced dependency on the same service")


class Clock(DependencyProvider):
    """Injects the clock named by the CLOCK config key (`system` or `file:<path>`)."""

    def setup(self) -> None:
        self.clock = clock_from_setting(str(self.container.config.get("CLOCK", "system")))

    def get_dependency(self, worker_ctx):
        return self.clock
