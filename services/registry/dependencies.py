"""nameko dependencies of the registry: its read model (caught up before each query) and the key
that signs its certificates."""
from __future__ import annotations

import logging
from pathlib import Path

from nameko.extensions import DependencyProvider

from shared.certificates import (ALGORITHM, KEY_ENV, ensure_registry_key, key_id, load_private_key,
                                 public_jwk, public_key_pem, sign)
from shared.runtime import EventSourced

from services.registry.readmodel import RegistryView

log = logging.getLogger(__name__)

QUERIES = ("search", "unit_at", "unit_id_of_certificate", "holders_by_type", "holders_by_grade", "due_for_rereview",
           "rows")


def read_model_path(config: dict) -> str:
    """READ_MODEL, or `<VAR_DIR>/read-models/registry.db`."""
    return str(config.get("READ_MODEL") or Path(str(config.get("VAR_DIR") or "var")) / "read-models" / "registry.db")


class ReadModel(DependencyProvider):
    """Injects the registry's read model; each query first applies what the log holds beyond it,
    so a reader sees every write that came before the query."""

    def setup(self) -> None:
        self.view = RegistryView(read_model_path(self.container.config))

    def stop(self) -> None:
        self.view.close()

    kill = stop

    def get_dependency(self, worker_ctx):
        return _CaughtUp(self.view, self._app())

    def _app(self):
        for extension in self.container.dependencies:
            if isinstance(extension, EventSourced):
                return extension.app
        raise LookupError("ReadModel needs an EventSourced dependency on the same service")


class _CaughtUp:
    def __init__(self, view: RegistryView, app):
        self._view, self._app = view, app

    def __getattr__(self, name):
        if name not in QUERIES:
            raise AttributeError(name)
        self._view.catch_up(self._app)
        return getattr(self._view, name)


class CertificateSigner(DependencyProvider):
    """Signs certificates with the key CERTIFICATE_KEY names (SHIFAN_REGISTRY_SIGNING_KEY); when
    none is configured, with the local stack's key under `<VAR_DIR>/keys/registry/`, made once."""

    def setup(self) -> None:
        config = self.container.config
        path = config.get("CERTIFICATE_KEY")
        if not path:
            path = ensure_registry_key(config.get("VAR_DIR") or "var")
            log.warning("%s is not set: signing certificates with the local key %s", KEY_ENV, path)
        self.signer = Signer(load_private_key(path))

    def get_dependency(self, worker_ctx):
        return self.signer


class Signer:
    def __init__(self, private_key):
        self._private_key = private_key
        self.public_key = private_key.public_key()

    def sign(self, payload: dict) -> dict:
        return sign(payload, self._private_key)

    def describe(self) -> dict:
        return {"algorithm": ALGORITHM, "key_id": key_id(self.public_key),
                "pem": public_key_pem(self.public_key), "jwk": public_jwk(self.public_key)}
