"""Where an offline replay reads each service's part of a unit's history: straight from a stack's
SQLite files (stopped or running), read-only, with the store keys of a local stack
(`<var>/keys/cipher.json`) or `SHIFAN_<SERVICE>_CIPHER_KEY`. (A running registry reads the others
over RPC: shared/audit/endpoints.py.)"""
from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

from shared.audit.gather import gather
from shared.keys import SERVICES

APPS = {
    "applications": "services.applications.app:ApplicationsApp",
    "review": "services.review.app:ReviewApp",
    "registry": "services.registry.app:RegistryApp",
    "notify": "services.notify.app:NotifyApp",
}
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"


def store_path(var_dir: str | Path, service: str) -> Path:
    return Path(var_dir) / f"{service}.sqlite"


def local_sources(var_dir: str | Path) -> dict:
    """service -> gather(refs) on each store under `var_dir`, opened read-only."""
    return {s: _local(open_store(var_dir, s)) for s in SERVICES if store_path(var_dir, s).exists()}


def _local(app):
    return lambda refs: gather(app, refs)


def open_store(var_dir: str | Path, service: str):
    """The service's Application on its SQLite file, read-only (nothing can be written through it)."""
    module, _, name = APPS[service].partition(":")
    app_class = getattr(importlib.import_module(module), name)
    path = store_path(var_dir, service).resolve()
    return app_class(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{path.as_uri()}?mode=ro",
                          "CREATE_TABLE": "n", "CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": cipher_key(var_dir, service)})


def cipher_key(var_dir: str | Path, service: str) -> str:
    key = os.environ.get(f"SHIFAN_{service.upper()}_CIPHER_KEY")
    if key:
        return key
    keys = Path(var_dir) / "keys" / "cipher.json"
    if keys.exists():
        return json.loads(keys.read_text())[service]
    raise LookupError(f"replaying {service}'s store needs its key: set SHIFAN_{service.upper()}_CIPHER_KEY "
                      f"(or keep {keys})")
