"""`shifan backup` / `shifan restore` for the SQLite default: a consistent copy of each service's
store taken while the services run (SQLite's online backup API), and its restoration into a fresh
folder, checked against the manifest written with it.

Only the event stores are copied: read models are caches of the log and are rebuilt from it. The
stores are encrypted, so a restore is useless without the store keys; `--with-keys` copies
`<var>/keys/` too, which makes the backup as secret as the keys. PostgreSQL deployments back up
with the database's own tools (README, "Operations").
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from shared.stack import SERVICE_NAMES

MANIFEST = "manifest.json"


class BackupError(Exception):
    """What is wrong with a backup or a restore's target, in words for the operator."""


def store_path(var_dir: Path, service: str) -> Path:
    return Path(var_dir) / f"{service}.sqlite"


def backup(var_dir: str | Path, destination: str | Path, with_keys: bool = False) -> dict:
    """Copies every service store found in `var_dir` into `destination` (which must be new or
    empty); returns the manifest: per store its last notification id, size and SHA-256."""
    var_dir, destination = Path(var_dir), Path(destination)
    stores = [s for s in SERVICE_NAMES if store_path(var_dir, s).exists()]
    if not stores:
        raise BackupError(f"no service store (<service>.sqlite) in {var_dir}")
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty; back up into a new folder")
    destination.mkdir(parents=True, exist_ok=True)
    manifest = {"taken_at": datetime.now(timezone.utc).isoformat(), "source": str(var_dir.resolve()),
                "stores": {}, "keys": with_keys}
    for service in stores:
        target = store_path(destination, service)
        source = sqlite3.connect(f"file:{store_path(var_dir, service)}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one consistent snapshot, even while the service writes
        finally:
            source.close()
        try:
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
        manifest["stores"][service] = {"file": target.name, "last_notification_id": _last_id(target),
                                       "bytes": target.stat().st_size, "sha256": _sha256(target)}
    if with_keys and (var_dir / "keys").is_dir():
        shutil.copytree(var_dir / "keys", destination / "keys")
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def restore(source: str | Path, var_dir: str | Path) -> dict:
    """Puts a backup's stores (and keys, if it has them) into `var_dir`, which must hold no store
    yet; checks each file against the manifest and SQLite's integrity check first."""
    source, var_dir = Path(source), Path(var_dir)
    if not (source / MANIFEST).exists():
        raise BackupError(f"{source} has no {MANIFEST}: not a shifan backup")
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    present = [s for s in manifest["stores"] if store_path(var_dir, s).exists()]
    if present:
        raise BackupError(f"{var_dir} already has stores for {present}; restore into a fresh folder")
    for service, entry in manifest["stores"].items():
        copy = source / entry["file"]
        if _sha256(copy) != entry["sha256"]:
            raise BackupError(f"{copy} does not match its manifest (SHA-256 differs): the backup is damaged")
        db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()
        if verdict != "ok":
            raise BackupError(f"{copy} fails SQLite's integrity check: {verdict}")
    var_dir.mkdir(parents=True, exist_ok=True)
    for service, entry in manifest["stores"].items():
        shutil.copy2(source / entry["file"], store_path(var_dir, service))
    if manifest.get("keys") and (source / "keys").is_dir() and not (var_dir / "keys").exists():
        shutil.copytree(source / "keys", var_dir / "keys")
    return manifest


def _last_id(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT COALESCE(MAX(rowid), 0) FROM stored_events").fetchone()[0]
    finally:
        db.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
