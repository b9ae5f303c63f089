"""Development keys for a local stack (demo, `make up`, tests): a token signing pair, one store
cipher key per service, the registry's certificate key and one tree-head (audit) key per service,
made once under `<var>/keys/` and reused, so stores stay readable and certificates and tree heads
verifiable."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from eventsourcing.cryptography import AESCipher

from shared.auth import generate_keypair
from shared.certificates import ensure_registry_key, generate_signing_key, load_private_key, public_key_pem

SERVICES = ("applications", "review", "registry", "notify")


@dataclass(frozen=True)
class LocalKeys:
    signing_key: Path       # private: only `shifan token issue` reads it
    public_keys_dir: Path   # what every service reads (SHIFAN_TOKEN_PUBLIC_KEYS)
    cipher_keys: dict       # service -> AES key of its store
    certificate_key: Path   # private: the registry signs certificates with it
    audit_keys: dict        # service -> private key its tree heads are signed with (public beside it)

    def env(self) -> dict[str, str]:
        env = {"SHIFAN_TOKEN_PUBLIC_KEYS": str(self.public_keys_dir),
               "SHIFAN_TOKEN_SIGNING_KEY": str(self.signing_key)}
        env.update({f"SHIFAN_{s.upper()}_CIPHER_KEY": k for s, k in self.cipher_keys.items()})
        env["SHIFAN_REGISTRY_SIGNING_KEY"] = str(self.certificate_key)
        env.update({f"SHIFAN_{s.upper()}_AUDIT_KEY": str(k) for s, k in self.audit_keys.items()})
        return env


def new_cipher_key() -> str:
    return AESCipher.create_key(num_bytes=32)


def ensure_local_keys(var_dir: str | Path) -> LocalKeys:
    root = Path(var_dir) / "keys"
    private_dir, public_dir = root / "signing", root / "tokens"
    signing = sorted(private_dir.glob("*.pem"))
    if not signing:
        signing = [generate_keypair(private_dir, public_dir, kid="local")[0]]
    cipher_file = root / "cipher.json"
    if cipher_file.exists():
        cipher = json.loads(cipher_file.read_text())
    else:
        cipher = {s: new_cipher_key() for s in SERVICES}
        root.mkdir(parents=True, exist_ok=True)
        cipher_file.write_text(json.dumps(cipher, indent=2))
        os.chmod(cipher_file, 0o600)
    return LocalKeys(signing_key=signing[-1], public_keys_dir=public_dir, cipher_keys=cipher,
                     certificate_key=ensure_registry_key(var_dir),
                     audit_keys={s: ensure_audit_key(var_dir, s) for s in SERVICES})


def audit_keys_dir(var_dir: str | Path) -> Path:
    return Path(var_dir) / "keys" / "audit"


def ensure_audit_key(var_dir: str | Path, service: str) -> Path:
    """The local key `<var>/keys/audit/<service>.pem` a service signs its tree heads with, made
    once, with `<service>.pub.pem` beside it (what `shifan audit verify` checks them with)."""
    path = audit_keys_dir(var_dir) / f"{service}.pem"
    if not path.exists():
        generate_signing_key(path)
    public = path.with_name(f"{service}.pub.pem")
    if not public.exists():
        public.write_text(public_key_pem(load_private_key(path).public_key()))
    return path
