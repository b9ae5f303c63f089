"""Who is calling: signed bearer tokens (JWT, Ed25519) carrying a role and the scope that role has.

Services hold only public keys (every `<kid>.pub.pem` in the configured folder), so a service
can check a token but never mint one; `shifan token issue` signs with a private key. Rotating a
key: add the new public key to every service's folder, issue with the new private key, and remove
the old public key once the last token signed with it has expired.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.errors import Unauthenticated

ISSUER = "shifan"
ALGORITHM = "EdDSA"

# role -> what its scope names (None: the role is not scoped)
ROLES = {
    "applicant": "unified social credit code",
    "recommender": "region code of a city or pilot county",
    "expert": "expert id",
    "operator": None,       # the provincial commerce department's operator
    "auditor": None,
    "agency": "agency name",
    "coordinator": None,    # the national cities' coordination group's secretariat (协调小组, ADR 42)
    "ministry": "approver key in the program file (ndrc, mofcom, ...)",
}
PUBLIC = "public"  # no token


@dataclass(frozen=True)
class Identity:
    role: str
    scope: str | None
    subject: str

    def __post_init__(self):
        if self.role not in ROLES and self.role != PUBLIC:
            raise ValueError(f"unknown role {self.role!r}")


ANONYMOUS = Identity(role=PUBLIC, scope=None, subject="anonymous")


class TokenVerifier:
    """Checks bearer tokens against a folder of public keys."""

    def __init__(self, keys_dir: str | Path):
        self.keys_dir = Path(keys_dir)
        self.keys = {
            path.name[: -len(".pub.pem")]: serialization.load_pem_public_key(path.read_bytes())
            for path in sorted(self.keys_dir.glob("*.pub.pem"))
        }
        if not self.keys:
            raise RuntimeError(f"no token public keys (*.pub.pem) in {self.keys_dir}; "
                               "`shifan token keygen --dir DIR` makes a pair")

    def identify(self, authorization: str | None) -> Identity:
        """The caller of a request with this Authorization header; ANONYMOUS when there is none."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
        return self.verify(token.strip())

    def verify(self, token: str) -> Identity:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self.keys.get(kid)
            if key is None:
                raise Unauthenticated("the token is signed with a key this service does not know")
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], issuer=ISSUER,
                                options={"require": ["exp", "iat", "iss", "sub", "role"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired") from None
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(f"the token is not valid: {exc}") from None
        role, scope = claims["role"], claims.get("scope")
        if role not in ROLES or role == PUBLIC:
            raise Unauthenticated(f"the token names an unknown role {role!r}")
        if ROLES[role] is not None and not scope:
            raise Unauthenticated(f"a {role} token must carry a scope ({ROLES[role]})")
        return Identity(role=role, scope=scope, subject=claims["sub"])


def issue_token(private_key_path: str | Path, role: str, scope: str | None = None,
                subject: str | None = None, ttl: timedelta = timedelta(hours=8),
                now: datetime | None = None) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if ROLES[role] is not None and not scope:
        raise ValueError(f"a {role} token needs --scope ({ROLES[role]})")
    if ROLES[role] is None and scope:
        raise ValueError(f"a {role} token takes no scope")
    path = Path(private_key_path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    now = now or datetime.now(timezone.utc)
    claims = {"iss": ISSUER, "sub": subject or f"{role}:{scope or role}", "role": role,
              "iat": now, "exp": now + ttl, "jti": uuid.uuid4().hex}
    if scope:
        claims["scope"] = scope
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": _kid(path)})


def generate_keypair(private_dir: str | Path, public_dir: str | Path,
                     kid: str | None = None) -> tuple[Path, Path]:
    """Writes `<kid>.pem` (private, mode 600) and `<kid>.pub.pem` (for the services)."""
    private_dir, public_dir = Path(private_dir), Path(public_dir)
    private_dir.mkdir(parents=True, exist_ok=True)
    public_dir.mkdir(parents=True, exist_ok=True)
    kid = kid or datetime.now(timezone.utc).strftime("token-%Y%m%d%H%M%S")
    key = Ed25519PrivateKey.generate()
    private = private_dir / f"{kid}.pem"
    public = public_dir / f"{kid}.pub.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    os.chmod(private, 0o600)
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def _kid(private_key_path: Path) -> str:
    name = private_key_path.name
    return name[: -len(".pem")] if name.endswith(".pem") else name
