"""What a tree head's signature covers, and checking it.

The signature (Ed25519, the service's audit key) covers the canonical JSON of
`{"format", "service", "tree_size", "root_hash", "last_notification_id", "signed_at"}` — what the
public event `shifan.<service>.tree_head_signed.v1` carries — so a witness checks a head with
the service's public key alone (`GET /audit/key`)."""
from __future__ import annotations

import base64
import binascii
from typing import Iterable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.certificates import canonical_json, key_id

FORMAT = "shifan.tree_head.v1"
ALGORITHM = "Ed25519"
SIGNED_FIELDS = ("service", "tree_size", "root_hash", "last_notification_id", "signed_at")
HEAD_FIELDS = SIGNED_FIELDS + ("key_id", "algorithm", "signature")


def signed_bytes(head: Mapping) -> bytes:
    return canonical_json({"format": FORMAT, **{k: head[k] for k in SIGNED_FIELDS}})


def sign_head(fields: Mapping, private_key: Ed25519PrivateKey) -> dict:
    """The signed fields with key id, algorithm and signature (base64url, no padding)."""
    signature = private_key.sign(signed_bytes(fields))
    return {**{k: fields[k] for k in SIGNED_FIELDS}, "key_id": key_id(private_key.public_key()),
            "algorithm": ALGORITHM, "signature": base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")}


def signature_problem(head: Mapping, public_keys: Ed25519PublicKey | Iterable[Ed25519PublicKey]) -> str | None:
    """None when one of the service's public keys (several while a key is rotated) signed exactly
    this head; otherwise what is wrong with it."""
    missing = [k for k in HEAD_FIELDS if k not in head]
    if missing:
        return f"the tree head lacks {', '.join(missing)}"
    if head["algorithm"] != ALGORITHM:
        return f"signed with {head['algorithm']!r}, not {ALGORITHM}"
    keys = {key_id(k): k for k in ([public_keys] if isinstance(public_keys, Ed25519PublicKey) else public_keys)}
    public_key = keys.get(head["key_id"])
    if public_key is None:
        return f"signed with key {head['key_id']}, not with the service's key ({', '.join(sorted(keys))})"
    try:
        text = str(head["signature"])
        public_key.verify(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), signed_bytes(head))
    except (InvalidSignature, binascii.Error, ValueError):
        return "the signature does not match the tree head"
    return None


def public_head(head: Mapping) -> dict:
    """The fields of a head a witness keeps (and `shifan audit verify --heads` reads)."""
    return {k: head[k] for k in HEAD_FIELDS}
