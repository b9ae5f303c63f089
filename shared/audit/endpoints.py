"""The audit entrypoints. `AuditEndpoints` (every service): the public key its tree heads are
signed with, its latest signed tree head, inclusion and consistency proofs, a head signed on
demand, and the RPC that gives its part of a unit's history. `ReplayEndpoint` (the registry):
a unit's whole history across the services, for auditors."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from shared.audit.gather import gather
from shared.audit.replay import replay
from shared.audit.schemas import (AuditKeyOut, ConsistencyArgs, ConsistencyOut, InclusionArgs, InclusionOut,
                                  ReplayArgs, SignSchema, TreeHeadOut)
from shared.certificates import key_id, public_jwk, public_key_pem
from shared.http import EVERYONE, http, load_args, load_json
from shared.messaging.rpc import rpc
from shared.keys import SERVICES
from shared.messaging.rpc import RpcClient
from shared.runtime import EventSourced

READERS = ("auditor", "operator", "agency")


def _event_sourced(container) -> EventSourced:
    for extension in container.dependencies:
        if isinstance(extension, EventSourced):
            return extension
    raise LookupError("the audit endpoints need an EventSourced dependency on the same service")


class AuditTrail(DependencyProvider):
    """Injects the service's tree heads (shared/audit/keeper.py), kept by its EventSourced."""

    def get_dependency(self, worker_ctx):
        return _event_sourced(self.container).tree_heads


class AuditEndpoints:
    audit = AuditTrail()

    @http("GET", "/audit/key", roles=EVERYONE, response=AuditKeyOut)
    def audit_key(self, request):
        """The public key this service signs its tree heads with (PEM and JWK)."""
        public = self.audit.tree.private_key.public_key()
        return AuditKeyOut().dump({"service": self.app.name, "algorithm": "Ed25519", "key_id": key_id(public),
                                   "pem": public_key_pem(public), "jwk": public_jwk(public)})

    @http("GET", "/audit/tree-head", roles=READERS, response=TreeHeadOut)
    def audit_tree_head(self, request):
        """The latest signed tree head of this service's log (404 before the first)."""
        return TreeHeadOut().dump(self.audit.tree.head())

    @http("GET", "/audit/proof/inclusion", roles=READERS, args=InclusionArgs, response=InclusionOut)
    def audit_inclusion_proof(self, request):
        """The audit path of one stored event in the tree of `tree_size` leaves (the latest head's)."""
        args = load_args(request, InclusionArgs())
        return InclusionOut().dump(self.audit.tree.inclusion(**args))

    @http("GET", "/audit/proof/consistency", roles=READERS, args=ConsistencyArgs, response=ConsistencyOut)
    def audit_consistency_proof(self, request):
        """The proof that the tree of `first` leaves is a prefix of the tree of `second` (the latest head's)."""
        args = load_args(request, ConsistencyArgs())
        return ConsistencyOut().dump(self.audit.tree.consistency(**args))

    @http("POST", "/audit/tree-heads", roles={"operator"}, body=SignSchema, response=TreeHeadOut, status=201)
    def audit_sign_tree_head(self, request):
        """Signs a tree head of the log as it is now; it is published like any event."""
        load_json(request, SignSchema())
        return 201, TreeHeadOut().dump(self.audit.sign_now())

    @rpc
    def audit_events(self, refs: list) -> dict:
        """This service's events concerning a unit's references (shared/audit/gather.py)."""
        return gather(self.app, refs)


class RpcSource(RpcClient):
    """`<service>.audit_events(refs)`: that service's part of a unit's history."""

    def __init__(self, service: str, amqp_uri: str, timeout: float = 120.0):
        super().__init__(service, amqp_uri, timeout)

    def __call__(self, refs: list) -> dict:
        return self.call("audit_events", refs=list(refs))


class AuditSources(DependencyProvider):
    """Injects, per service, how to gather its part of a unit's history: this service's own
    application directly, the others over RPC (`audit_events`)."""

    def setup(self) -> None:
        self.remote = {s: RpcSource(s, self.container.config["AMQP_URI"])
                       for s in SERVICES if s != self.container.service_name}

    def stop(self) -> None:
        for source in self.remote.values():
            source.close()

    kill = stop

    def get_dependency(self, worker_ctx):
        app = _event_sourced(self.container).app
        return {app.name: lambda refs: gather(app, refs), **self.remote}


class ReplayEndpoint:
    audit_sources = AuditSources()

    @http("GET", "/audit/replay/<string:unit_id>", roles={"auditor"})
    def audit_replay(self, request, unit_id):
        """A unit's (or its application's, or certificate number's) whole history across the
        services in causal order, with who did each step and the state after it; `at`: as it stood then."""
        args = load_args(request, ReplayArgs())
        return replay(unit_id, self.audit_sources, at=args.get("at"))
