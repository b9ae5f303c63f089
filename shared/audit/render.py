"""Replays and verifications as text for people; `--json` gives the same as data."""
from __future__ import annotations

import json

from shared.audit.verify import ServiceReport


def replay_text(result: dict) -> str:
    unit = result["unit"]
    names = " · ".join(f"{k.replace('_', ' ')} {v}" for k, v in unit.items()) or result["query"]
    services = sorted({e["service"] for e in result["events"]})
    lines = [f"Replay of {names}",
             f"{len(result['events'])} events from {', '.join(services) or 'no service'}, in causal order"
             + (f", up to {result['at']}" if result["at"] else ""), ""]
    width = max((len(e["id"]) for e in result["events"]), default=0)
    before = None
    for n, e in enumerate(result["events"], 1):
        event = e["type"].split(".")[2]
        lines.append(f"{n:>3}  {e['on']}  {e['id']:<{width}}  {event:<28} by {e['by']}")
        changed = e["unit_state"] != before
        lines.append(f"{'':>17}{'→ ' + state_text(e['unit_state']) if changed else '  (state unchanged)'}")
        before = e["unit_state"]
    lines.append("")
    if result["at"]:
        after = f" (after {result['as_of_event']})" if result["as_of_event"] else " (before its first event)"
        lines.append(f"State at {result['at']}{after}:")
    else:
        lines.append("State now:")
    lines.append(f"  {state_text(result['state']) or 'nothing yet'}")
    return "\n".join(lines) + "\n"


def state_text(state: dict) -> str:
    return " · ".join(f"{label}: {_fields(fields)}" for label, fields in state.items())


def _fields(fields: dict) -> str:
    status = fields.get("status", "")
    rest = ", ".join(f"{k} {v}" for k, v in fields.items() if k not in ("status", "unit_name"))
    return f"{status} ({rest})" if rest and status else status or rest


def verify_text(reports: list[ServiceReport], unit_events: int | None = None) -> str:
    lines = []
    for r in reports:
        head = r.latest
        summary = (f"latest tree head {r.service}:{head['notification_id']} signed {head['signed_at']} "
                   f"({head['tree_size']} leaves, root {head['root_hash'][:16]}…)" if head else "no tree head")
        lines.append(f"{r.service}: {r.events} events, {r.heads} signed tree heads; {summary}")
        lines += [f"  ok      {c}" for c in r.checked]
        if r.uncovered:
            lines.append(f"  note    {r.uncovered} later events are not yet covered by a signed tree head")
        lines += [f"  FAILED  {f}" for f in r.failures]
    proofs = [n for r in reports for n in r.proof_lengths]
    if unit_events is not None:
        lines.append(f"inclusion: {len(proofs)} of the unit's {unit_events} events proved against their service's "
                     f"latest signed tree head, with audit paths of at most {max(proofs, default=0)} hashes")
    failures = sum(len(r.failures) for r in reports)
    lines.append(f"verify: {'OK' if not failures else f'FAILED ({failures} problems)'}")
    return "\n".join(lines) + "\n"


def verify_json(reports: list[ServiceReport]) -> str:
    return json.dumps({"ok": not any(r.failures for r in reports),
                       "services": [vars(r) for r in reports]}, ensure_ascii=False, indent=2, sort_keys=True)
