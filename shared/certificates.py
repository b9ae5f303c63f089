"""Certificates as small signed JSON documents (Ed25519), checkable offline with a public key.

A certificate is `{"certificate": {...}, "signature": {"algorithm", "key_id", "value"}}`. The
signature covers the canonical JSON of the `certificate` object (keys sorted, no spaces, UTF-8),
so the same content always has the same bytes and any change to it breaks the signature; the key
id and algorithm must match the verifying key, and the signature must be in its one canonical
base64url form. What a certificate says about the unit now (revoked, given up...) is not in it:
`GET /verify/<certificate number>` answers that.

The registry signs with a private key from configuration (`SHIFAN_REGISTRY_SIGNING_KEY`, a PEM
file); a local stack keeps one under `<var>/keys/registry/` (`ensure_registry_key`).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"
FORMAT = "shifan.certificate.v1"
KEY_ENV = "SHIFAN_REGISTRY_SIGNING_KEY"


class CertificateInvalid(ValueError):
    """The document is not a certificate this key signed, exactly as it was signed."""


def canonical_json(value) -> bytes:
    """The one byte form of a JSON value that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519-" + hashlib.sha256(raw).hexdigest()[:16]


def sign(payload: dict, private_key: Ed25519PrivateKey) -> dict:
    """The signed certificate document for `payload` (Ed25519 is deterministic: same in, same out)."""
    signature = private_key.sign(canonical_json(payload))
    return {"certificate": payload,
            "signature": {"algorithm": ALGORITHM, "key_id": key_id(private_key.public_key()),
                          "value": _b64(signature)}}


def verify(document, public_key: Ed25519PublicKey) -> dict:
    """The certificate's content if `public_key` signed exactly this; CertificateInvalid otherwise."""
    if not isinstance(document, dict) or set(document) != {"certificate", "signature"}:
        raise CertificateInvalid("not a certificate: expected exactly the members certificate and signature")
    payload, signature = document["certificate"], document["signature"]
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CertificateInvalid(f"not a certificate: its format is not {FORMAT}")
    if not isinstance(signature, dict) or set(signature) != {"algorithm", "key_id", "value"}:
        raise CertificateInvalid("the signature must have exactly algorithm, key_id and value")
    if signature["algorithm"] != ALGORITHM:
        raise CertificateInvalid(f"the signature algorithm is {signature['algorithm']!r}, not {ALGORITHM}")
    if signature["key_id"] != key_id(public_key):
        raise CertificateInvalid(f"signed with key {signature['key_id']!r}, not with {key_id(public_key)!r}")
    value = _unb64(signature["value"])
    try:
        public_key.verify(value, canonical_json(payload))
    except InvalidSignature:
        raise CertificateInvalid("the signature does not match the content: the certificate was altered") from None
    return payload


def loads(text: str | bytes) -> dict:
    """A certificate document from its JSON text; CertificateInvalid if it is not JSON."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CertificateInvalid(f"not JSON: {exc}") from None


# -- keys ------------------------------------------------------------------------------------
def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    """A public key from a PEM file, or from the JSON `GET /certificate-key` answers."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"{"):
        data = json.loads(data)["pem"].encode("ascii")
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def public_jwk(public_key: Ed25519PublicKey) -> dict:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": key_id(public_key), "use": "sig"}


def generate_signing_key(path: str | Path) -> Path:
    """Writes a new Ed25519 private key (PEM, mode 600) to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pem)
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def ensure_registry_key(var_dir: str | Path) -> Path:
    """The local stack's certificate signing key, `<var>/keys/registry/certificate.pem`, made once
    and reused (certificates signed earlier stay verifiable), with its public key beside it
    (`certificate.pub.pem`, what `shifan certificate verify --key` reads)."""
    path = Path(var_dir) / "keys" / "registry" / "certificate.pem"
    if not path.exists():
        generate_signing_key(path)
    public = path.with_name("certificate.pub.pem")
    if not public.exists():
        public.write_text(public_key_pem(load_private_key(path).public_key()))
    return path


# -- encoding --------------------------------------------------------------------------------
def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text) -> bytes:
    """Decodes base64url without padding, accepting only its canonical form: otherwise two
    spellings (the last character's unused bits) would carry one signature."""
    if not isinstance(text, str):
        raise CertificateInvalid("the signature value must be a string")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CertificateInvalid("the signature value is not base64url") from None
    if _b64(raw) != text:
        raise CertificateInvalid("the signature value is not in canonical base64url")
    return raw


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise CertificateInvalid(f"a member is named twice: {sorted({k for k in keys if keys.count(k) > 1})}")
    return dict(pairs)
