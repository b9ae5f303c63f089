"""`shifan audit replay | verify | save-heads`: what auditors run. Exit codes: 0 fine, 1 not
found (replay) or something failed (verify), 2 unusable input."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import requests

from shared.audit import render
from shared.audit.leaves import sqlite_rows
from shared.audit.plain import TREE_HEAD_TOPIC
from shared.audit.replay import parse_at, replay as replay_unit
from shared.audit.signing import public_head
from shared.audit.sources import local_sources, store_path
from shared.audit.treehead import read_head
from shared.audit.verify import verify_store
from shared.certificates import load_public_key
from shared.errors import NotFound
from shared.keys import SERVICES, audit_keys_dir


def replay(ident: str, at: str | None = None, as_json: bool = False, var_dir: str | None = None,
           url: str | None = None, token: str | None = None, out=None) -> int:
    """A unit's history from a stack's files (`var_dir`) or from the registry's HTTP API (`url`)."""
    out = out or sys.stdout
    try:
        moment = parse_at(at) if at else None
        result = (_replay_over_http(ident, at, url, token) if url else
                  replay_unit(ident, local_sources(_var(var_dir)), at=moment))
    except NotFound as exc:
        print(f"shifan audit replay: {exc.message}", file=sys.stderr)
        return 1
    except (ValueError, LookupError, OSError, requests.RequestException) as exc:
        print(f"shifan audit replay: {exc}", file=sys.stderr)
        return 2
    out.write(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n" if as_json
              else render.replay_text(result))
    return 0


def _replay_over_http(ident: str, at: str | None, url: str, token: str | None) -> dict:
    response = requests.get(f"{url.rstrip('/')}/audit/replay/{ident}", params={"at": at} if at else None,
                            headers={"Authorization": f"Bearer {token}"} if token else None, timeout=300)
    if response.status_code == 404:
        raise NotFound("unit", ident)
    if response.status_code != 200:
        raise OSError(f"GET /audit/replay/{ident} answered {response.status_code}: {response.text[:200]}")
    return response.json()


def verify(var_dir: str | None = None, heads_dir: str | None = None, unit: str | None = None,
           replay_file: str | None = None, keys_dir: str | None = None, as_json: bool = False, out=None) -> int:
    """Checks every service's store under `var_dir` against its signed tree heads, the heads
    saved in `heads_dir`, and (with `unit` or `replay_file`) the inclusion of a unit's events."""
    out = out or sys.stdout
    var = _var(var_dir)
    keys = Path(keys_dir) if keys_dir else audit_keys_dir(var)
    services = [s for s in SERVICES if store_path(var, s).exists()]
    if not services:
        print(f"shifan audit verify: no store (<service>.sqlite) in {var}", file=sys.stderr)
        return 2
    try:
        saved = _saved_heads(heads_dir)
        events = _unit_events(var, unit, replay_file) if (unit or replay_file) else None
        reports = [verify_store(s, sqlite_rows(store_path(var, s)), _public_keys(keys, s),
                                saved.get(s, []), (events or {}).get(s, [])) for s in services]
    except (NotFound, ValueError, LookupError, OSError) as exc:
        print(f"shifan audit verify: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    count = None if events is None else sum(map(len, events.values()))
    out.write(render.verify_json(reports) + "\n" if as_json else render.verify_text(reports, count))
    return 1 if any(r.failures for r in reports) else 0


def _public_keys(keys: Path, service: str) -> list:
    """`<service>.pub.pem`, and `<service>.<anything>.pub.pem` kept from before a key was rotated."""
    paths = sorted({*keys.glob(f"{service}.pub.pem"), *keys.glob(f"{service}.*.pub.pem")})
    if not paths:
        raise FileNotFoundError(f"no public key {service}.pub.pem in {keys} (GET /audit/key gives it)")
    return [load_public_key(p) for p in paths]


def _unit_events(var: Path, unit: str | None, replay_file: str | None) -> dict[str, list]:
    result = (json.loads(Path(replay_file).read_text(encoding="utf-8")) if replay_file
              else replay_unit(unit, local_sources(var)))
    events: dict[str, list] = {}
    for e in result["events"]:
        events.setdefault(e["service"], []).append((e["notification_id"], e["type"].split(".")[2]))
    return events


def _saved_heads(heads_dir: str | None) -> dict[str, list]:
    """service -> [(file name, head)] from the *.json files of `heads_dir`."""
    saved: dict[str, list] = {}
    for path in sorted(Path(heads_dir).glob("*.json")) if heads_dir else []:
        head = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(head, dict) or "service" not in head:
            raise ValueError(f"{path} is not a saved tree head (GET /audit/tree-head answers one)")
        saved.setdefault(head["service"], []).append((path.name, head))
    return saved


def save_heads(var_dir: str | None, heads_dir: str, out=None) -> int:
    """Writes the latest signed tree head of each store as `<heads_dir>/<service>-<size>.json`."""
    out = out or sys.stdout
    var, target = _var(var_dir), Path(heads_dir)
    target.mkdir(parents=True, exist_ok=True)
    for service in [s for s in SERVICES if store_path(var, s).exists()]:
        heads = [(row.notification_id, row.state) for row in sqlite_rows(store_path(var, service))
                 if row.topic == TREE_HEAD_TOPIC]
        if not heads:
            out.write(f"{service}: no signed tree head yet\n")
            continue
        nid, state = heads[-1]
        head = {**public_head(read_head(state)), "notification_id": nid}
        path = target / f"{service}-{head['tree_size']}.json"
        path.write_text(json.dumps(head, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        out.write(f"{service}: saved the tree head of {head['tree_size']} leaves in {path}\n")
    return 0


def _var(var_dir: str | None) -> Path:
    return Path(var_dir or os.environ.get("SHIFAN_VAR_DIR") or "var")


def add_parser(commands) -> None:
    """Adds `audit replay | verify | save-heads` to the `shifan` parser's subcommands."""
    audit = commands.add_parser("audit", help="replay a unit's history; check every log against its signed tree heads")
    sub = audit.add_subparsers(dest="audit_command", required=True)

    replay_ = sub.add_parser("replay", help="a unit's events from every service in causal order, who did each and "
                             "the state after it; exit 0, 1 no such unit, 2 unusable input")
    replay_.add_argument("id", help="a unit id, an application id or a certificate number")
    replay_.add_argument("--at", help="the state as it stood then: YYYY-MM-DD (to the end of that day, China time) "
                         "or an ISO datetime")
    replay_.add_argument("--json", action="store_true", help="machine-readable output")
    replay_.add_argument("--var", help="the stack's folder of <service>.sqlite stores, read-only "
                         "(default $SHIFAN_VAR_DIR or var/; the store keys from <var>/keys/cipher.json or "
                         "SHIFAN_<SERVICE>_CIPHER_KEY)")
    replay_.add_argument("--url", help="instead, ask the registry (GET /audit/replay/<id>) at this base URL")
    replay_.add_argument("--token", help="an auditor's bearer token for --url (default $SHIFAN_TOKEN)")
    replay_.set_defaults(func=lambda a: replay(a.id, at=a.at, as_json=a.json, var_dir=a.var, url=a.url,
                                               token=a.token or os.environ.get("SHIFAN_TOKEN")))

    verify_ = sub.add_parser("verify", help="recompute every service's tree from its store and check it against its "
                             "signed tree heads; exit 0 all verified, 1 something failed (named), 2 unusable input")
    verify_.add_argument("--var", help="the stack's folder of <service>.sqlite stores (default $SHIFAN_VAR_DIR or var/)")
    verify_.add_argument("--heads", help="a folder of tree heads saved earlier (*.json: `shifan audit save-heads`, "
                         "or GET /audit/tree-head): each must be consistent with the latest")
    verify_.add_argument("--unit", help="also prove each event of this unit (replayed from --var) is in its "
                         "service's latest signed tree head")
    verify_.add_argument("--replay", help="the same for the events of a replay's JSON (shifan audit replay --json)")
    verify_.add_argument("--keys", help="folder of <service>.pub.pem tree-head keys (default <var>/keys/audit; "
                         "GET /audit/key gives each)")
    verify_.add_argument("--json", action="store_true", help="machine-readable output")
    verify_.set_defaults(func=lambda a: verify(a.var, heads_dir=a.heads, unit=a.unit, replay_file=a.replay,
                                               keys_dir=a.keys, as_json=a.json))

    save = sub.add_parser("save-heads", help="keep each store's latest signed tree head as a file, "
                          "for a later `verify --heads`")
    save.add_argument("--var", help="the stack's folder of <service>.sqlite stores (default $SHIFAN_VAR_DIR or var/)")
    save.add_argument("--to", required=True, help="the folder to keep them in")
    save.set_defaults(func=lambda a: save_heads(a.var, a.to))
