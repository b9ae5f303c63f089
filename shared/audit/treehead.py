"""The TreeHead aggregate: one signed tree head (RFC 6962's STH) of a service's log, saved in the
service's own store like any event and published through its relay, so agencies that follow the
service hold every head it signed and can hold it to them (witnesses).

A head covers the log up to `last_notification_id`, the notification before its own event (which
a later head covers). Besides the signed fields it records the hashes of the leaves it newly
covers (`new_leaves`, after `new_leaves_after`): the store so carries its own record of every
leaf it ever signed, authenticated by the signed root, and `shifan audit verify` can name the
event whose stored bytes changed or vanished. Those hashes stay in the store; the public event
carries the signed fields only."""
from __future__ import annotations

import base64
import json
import struct
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/audit")
_LEAF = struct.Struct(">Q32s")  # notification id, leaf hash


class TreeHead(Aggregate):
    """A signed tree head; its id follows from the service and the last notification it covers,
    so signing the same tree twice (two instances, a retried request) records it once."""

    @staticmethod
    def create_id(service: str, last_notification_id: int, **_) -> UUID:
        return uuid5(_NS, f"{service}/tree-head/{last_notification_id}")

    @event("Signed")
    def __init__(self, service: str, tree_size: int, root_hash: str, last_notification_id: int,
                 signed_at: str, key_id: str, algorithm: str, signature: str,
                 new_leaves_after: int, new_leaves: str):
        self.service = service
        self.tree_size = tree_size
        self.root_hash = root_hash
        self.last_notification_id = last_notification_id
        self.signed_at = signed_at
        self.key_id = key_id
        self.algorithm = algorithm
        self.signature = signature
        self.new_leaves_after = new_leaves_after
        self.new_leaves = new_leaves


def pack_leaves(leaves: list[tuple[int, bytes]]) -> str:
    """(notification id, leaf hash) pairs as one base64 text, 40 bytes a leaf."""
    return base64.b64encode(b"".join(_LEAF.pack(nid, digest) for nid, digest in leaves)).decode("ascii")


def unpack_leaves(text: str) -> list[tuple[int, bytes]]:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) % _LEAF.size:
        raise ValueError(f"{len(raw)} bytes of leaves is not a whole number of {_LEAF.size}-byte records")
    return [_LEAF.unpack_from(raw, offset) for offset in range(0, len(raw), _LEAF.size)]


def read_head(state: bytes) -> dict:
    """A head's fields from its stored state (kept in clear: see shared/audit/plain.py)."""
    stored = json.loads(bytes(state).decode("utf-8"))
    return {k: stored[k] for k in FIELDS}


FIELDS = ("service", "tree_size", "root_hash", "last_notification_id", "signed_at", "key_id", "algorithm",
          "signature", "new_leaves_after", "new_leaves")
