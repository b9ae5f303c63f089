"""`shifan status`: every service's health and lags in one table, read from their `/health`."""
from __future__ import annotations

import json
import os
from pathlib import Path

import requests

from shared.stack import DEFAULT_PORTS, SERVICE_NAMES

STACK_FILE = "stack.json"  # written by Stack.start: the URLs of the processes it runs


def service_urls(var_dir: str | None = None, overrides: list[str] | None = None) -> dict[str, str]:
    """Where each service answers: `NAME=URL` overrides, else the stack file a running `shifan up`
    or demo wrote in `var_dir`, else SHIFAN_<NAME>_HTTP, else the default local ports."""
    urls = {}
    for name in SERVICE_NAMES:
        address = os.environ.get(f"SHIFAN_{name.upper()}_HTTP", f"127.0.0.1:{DEFAULT_PORTS[name]}")
        urls[name] = f"http://{address.replace('0.0.0.0', '127.0.0.1')}"
    if var_dir and (Path(var_dir) / STACK_FILE).exists():
        urls = json.loads((Path(var_dir) / STACK_FILE).read_text(encoding="utf-8"))["urls"]
    for item in overrides or []:
        name, _, url = item.partition("=")
        if not url:
            raise ValueError(f"--url takes NAME=URL, not {item!r}")
        urls[name] = url.rstrip("/")
    return urls


def collect(urls: dict[str, str], timeout: float = 3.0) -> dict[str, dict | str]:
    """Each service's /health document, or why it could not be read."""
    states: dict[str, dict | str] = {}
    for name, url in urls.items():
        try:
            states[name] = requests.get(f"{url}/health", timeout=timeout).json()
        except (requests.RequestException, ValueError) as exc:
            states[name] = f"no answer: {type(exc).__name__}"
    return states


def table(states: dict[str, dict | str]) -> str:
    heads = ("instance", "health", "store", "broker", "relay", "stored", "relay lag", "follower lags")
    rows = []
    for name, state in states.items():
        if isinstance(state, str):
            rows.append((name, "DOWN", "-", "-", "-", "-", "-", state))
            continue
        lags = ", ".join(f"{f['upstream']} {f['lag']} (at {f['position']})" for f in state.get("followers", [])) or "-"
        rows.append((
            name, "ok" if state["healthy"] else "FAILING",
            "up" if state["store"]["reachable"] else "DOWN",
            "up" if state["broker"]["connected"] else "DOWN",
            state["relay_role"], str(state["last_notification_id"]), str(state["relay"]["lag"]), lags,
        ))
    widths = [max(len(str(row[i])) for row in [heads, *rows]) for i in range(len(heads))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [heads, *rows]]
    failing = [name for name, state in states.items() if isinstance(state, str) or not state["healthy"]]
    for name in failing:
        state = states[name]
        if isinstance(state, dict):
            for component in state["components"]:
                if not component["healthy"]:
                    lines.append(f"{name}: {component['name']}: {component['last_error']}")
            if not state["store"]["reachable"]:
                lines.append(f"{name}: store: {state['store']['error']}")
    return "\n".join(lines)


def all_healthy(states: dict[str, dict | str]) -> bool:
    return all(isinstance(s, dict) and s["healthy"] for s in states.values())
