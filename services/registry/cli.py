"""The registry's commands: `shifan certificate verify FILE --key KEY` (offline) and
`shifan registry rebuild [--var DIR] [--check]` (the read model from the event store).
Each returns its exit status: 0 fine, 1 the answer is no (altered, or models differ), 2 unusable input."""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from shared.certificates import CertificateInvalid, load_public_key, loads, verify
from shared.config import service_config

from services.registry.app import RegistryApp
from services.registry.dependencies import read_model_path
from services.registry.readmodel import RegistryView


def certificate_verify(path: str, key: str, out=sys.stdout) -> int:
    """Checks a certificate file against the registry's public key (a PEM file, or the JSON of
    `GET /certificate-key`). Offline: whether it is still valid today is `GET /verify/<number>`."""
    try:
        public_key = load_public_key(key)
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read the public key {key}: {exc}", file=out)
        return 2
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        print(f"cannot read {path}: {exc}", file=out)
        return 2
    try:
        certificate = verify(loads(text), public_key)
    except CertificateInvalid as exc:
        print(f"{path}: NOT VALID: {exc}", file=out)
        return 1
    print(f"{path}: the signature is valid", file=out)
    for label, name in (("certificate", "certificate_no"), ("title", "title"), ("unit", "unit_name"),
                        ("credit code", "credit_code"), ("program", "program_id"), ("round", "round_label"),
                        ("valid from", "valid_from"), ("re-review due", "rereview_due"), ("issued on", "issued_on")):
        if certificate.get(name):
            print(f"  {label:<14}{certificate[name]}", file=out)
    print(f"  its status today (valid, revoked, given up): GET /verify/{certificate['certificate_no']} "
          "on the registry", file=out)
    return 0


def rebuild(var_dir: str | None = None, out=sys.stdout, check: bool = False) -> int:
    """Recomputes the registry's read model from its event store (`check`: only compares a fresh
    rebuild with the live model, changing nothing but catching the live one up). Reads the
    registry's configuration from the environment, `var_dir` standing for SHIFAN_VAR_DIR."""
    with _environment({"SHIFAN_VAR_DIR": var_dir} if var_dir else {}):
        config = service_config("registry")
    try:
        app = RegistryApp(env=_store_env(config))
    except LookupError as exc:
        print(f"cannot open the registry's store: {exc}", file=out)
        return 2
    path = read_model_path(config)
    live = RegistryView(path)
    try:
        if not check:
            events = live.rebuild(app)
            units = len({row["unit_id"] for row in live.rows()})
            print(f"rebuilt {path} from {events} unit events: {units} units, {len(live.rows())} spans, "
                  f"position {live.position}", file=out)
            return 0
        live.catch_up(app)
        fresh = RegistryView(":memory:")
        fresh.rebuild(app)
        same = fresh.rows() == live.rows() and fresh.position == live.position
        print(f"{path} at position {live.position}: "
              f"{'equals a rebuild from the event store' if same else 'DIFFERS from a rebuild from the event store'}",
              file=out)
        return 0 if same else 1
    finally:
        live.close()


def _store_env(config: dict) -> dict[str, str]:
    """The store's settings as the service reads them; the store key from the environment, or
    from a local stack's `<var>/keys/cipher.json`."""
    env = {k: "" if v is None else str(v) for k, v in (config.get("EVENTSOURCING") or {}).items()}
    if env.get("CIPHER_TOPIC") and not env.get("CIPHER_KEY"):
        local = Path(str(config.get("VAR_DIR") or "var")) / "keys" / "cipher.json"
        if not local.exists():
            raise LookupError("SHIFAN_REGISTRY_CIPHER_KEY is not set and there is no local key in " + str(local))
        env["CIPHER_KEY"] = json.loads(local.read_text())["registry"]
    store = env.get("SQLITE_DBNAME", "")
    if env.get("PERSISTENCE_MODULE", "eventsourcing.sqlite") == "eventsourcing.sqlite" and store \
            and not store.startswith((":memory:", "file:")) and not Path(store).exists():
        raise LookupError(f"no registry store at {store}")
    return env


@contextmanager
def _environment(overrides: dict[str, str]):
    saved = {k: os.environ.get(k) for k in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
