"""Checks one service's store against the tree heads it signed: recomputes its tree from the rows
as stored, checks every head's signature and root, compares each stored event with the leaf hash
the heads recorded for it (naming any event altered, missing or added), checks consistency with
heads the auditor saved earlier, and proves given events' inclusion in the latest head."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from shared.audit import merkle
from shared.audit.leaves import Row
from shared.audit.plain import TREE_HEAD_TOPIC
from shared.audit.signing import public_head, signature_problem
from shared.audit.treehead import read_head, unpack_leaves


@dataclass
class ServiceReport:
    service: str
    events: int = 0
    heads: int = 0
    latest: dict | None = None
    uncovered: int = 0
    failures: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    proof_lengths: list[int] = field(default_factory=list)


class _Log:
    """Leaves in notification order with their ids: what the store holds, or what the heads signed."""

    def __init__(self):
        self.tree, self.ids = merkle.Tree(), []

    def add(self, nid: int, leaf: bytes) -> None:
        self.tree.append(leaf)
        self.ids.append(nid)

    def size_at(self, nid: int) -> int:
        return bisect.bisect_right(self.ids, nid)

    def index(self, nid: int) -> int | None:
        i = bisect.bisect_left(self.ids, nid)
        return i if i < len(self.ids) and self.ids[i] == nid else None


def verify_store(service: str, rows, public_keys, saved: list[tuple[str, dict]] = (),
                 events: list[tuple[int, str]] = ()) -> ServiceReport:
    """`rows`: the store's rows in notification order; `public_keys`: the service's tree-head keys;
    `saved`: (file name, head) the auditor kept; `events`: (notification id, label) of a replayed
    unit to prove included."""
    report = ServiceReport(service)
    store, names, heads = _Log(), {}, []
    for row in rows:
        store.add(row.notification_id, row.leaf)
        names[row.notification_id] = Row(row.notification_id, row.originator_id, row.originator_version,
                                         row.topic, b"")  # enough to name it, without its bytes
        if row.topic == TREE_HEAD_TOPIC:
            try:
                heads.append((row.notification_id, read_head(row.state)))
            except (ValueError, KeyError, UnicodeDecodeError) as exc:
                report.failures.append(f"the tree head {row.name(service)} is unreadable ({exc}): it was altered")
    report.events, report.heads = len(store.ids), len(heads)
    if not heads:
        report.failures.append(f"{service} has no signed tree head: nothing vouches for its log "
                               "(sign one: POST /audit/tree-heads)")
        return report
    signed = _signed_log(service, heads, public_keys, report)
    nid, latest = heads[-1]
    report.latest = {**public_head(latest), "notification_id": nid}
    report.uncovered = len(store.ids) - store.size_at(nid)
    _compare(service, store, signed, names, latest, report)
    _check_heads_against_store(service, heads, store, report)
    reference = signed if _reproduces(signed, latest) else store
    _check_saved(service, saved, reference, latest, public_keys, report)
    _prove(service, events, store, reference, names, latest, report)
    return report


def _signed_log(service: str, heads, public_keys, report: ServiceReport) -> _Log:
    """The leaves the heads recorded, each head checked: its signature, its chain, its root."""
    signed, previous = _Log(), 0
    for nid, head in heads:
        where = f"the tree head {service}:{nid} (signed {head['signed_at']}, {head['tree_size']} leaves)"
        problem = signature_problem(head, public_keys)
        if problem:
            report.failures.append(f"{where}: {problem}")
        if head["new_leaves_after"] != previous:
            report.failures.append(f"{where} continues from {service}:{head['new_leaves_after']}, but the head "
                                   f"before it ended at {service}:{previous}: a tree head is missing")
        try:
            batch = unpack_leaves(head["new_leaves"])
        except ValueError as exc:
            report.failures.append(f"{where}: its recorded leaves are unreadable ({exc})")
            batch = []
        for leaf_nid, leaf in batch:
            if signed.ids and leaf_nid <= signed.ids[-1]:
                continue  # recorded by an earlier head as well (two instances signed at once)
            signed.add(leaf_nid, leaf)
        if not _reproduces(signed, head):
            report.failures.append(f"{where}: the leaves it recorded do not reproduce its signed root")
        previous = head["last_notification_id"]
    return signed


def _reproduces(log: _Log, head: dict) -> bool:
    size = log.size_at(head["last_notification_id"])
    return size == head["tree_size"] and log.tree.root(size).hex() == head["root_hash"]


def _compare(service: str, store: _Log, signed: _Log, names: dict, latest: dict, report: ServiceReport) -> None:
    """Names every stored event that differs from what the heads signed."""
    last = latest["last_notification_id"]
    stored = {nid: store.tree.leaf(i) for i, nid in enumerate(store.ids[:store.size_at(last)])}
    recorded = {nid: signed.tree.leaf(i) for i, nid in enumerate(signed.ids[:signed.size_at(last)])}
    for nid in sorted(set(stored) | set(recorded)):
        if nid not in stored:
            report.failures.append(f"{service}:{nid} was deleted: the store no longer has the event a tree "
                                   f"head signed at notification {nid}")
        elif nid not in recorded:
            report.failures.append(f"{names[nid].name(service)} was inserted: no tree head signed it, "
                                   f"though later events were signed")
        elif stored[nid] != recorded[nid]:
            report.failures.append(f"{names[nid].name(service)} was altered: its stored bytes no longer hash "
                                   "to the leaf a tree head signed")
    if not _reproduces(store, latest):
        size = store.size_at(last)
        report.failures.append(
            f"the store's tree up to {service}:{last} ({size} leaves, root {store.tree.root(size).hex()[:16]}…) "
            f"is not the latest signed tree head ({latest['tree_size']} leaves, root {latest['root_hash'][:16]}…)")
    else:
        report.checked.append(f"the store reproduces the latest signed tree head ({latest['tree_size']} leaves)")


def _check_heads_against_store(service: str, heads, store: _Log, report: ServiceReport) -> None:
    first_bad = next(((nid, h) for nid, h in heads if not _reproduces(store, h)), None)
    if first_bad is None:
        report.checked.append(f"every one of its {len(heads)} signed tree heads matches the store")
        return
    nid, head = first_bad
    earlier = [h for n, h in heads if n < nid]
    since = earlier[-1]["last_notification_id"] if earlier else 0
    report.failures.append(f"the first signed tree head the store no longer reproduces is {service}:{nid} "
                           f"(signed {head['signed_at']}): the change lies in {service}:{since + 1} to "
                           f"{service}:{head['last_notification_id']}")


def _check_saved(service: str, saved, reference: _Log, latest: dict, public_keys, report: ServiceReport) -> None:
    for name, head in saved:
        problem = signature_problem(head, public_keys)
        if problem:
            report.failures.append(f"the saved tree head {name}: {problem}")
            continue
        first, second = head["tree_size"], latest["tree_size"]
        if first > second:
            report.failures.append(f"the saved tree head {name} has {first} leaves, the store's latest only {second}: "
                                   "signed heads or events were removed since you saved it")
            continue
        proof = reference.tree.consistency_proof(first, second) if 0 < first <= len(reference.ids) else []
        if first and not merkle.verify_consistency(first, second, bytes.fromhex(head["root_hash"]),
                                                   bytes.fromhex(latest["root_hash"]), proof):
            report.failures.append(f"the latest signed tree head is not consistent with the one you saved in {name} "
                                   f"({first} leaves, signed {head['signed_at']}): the log was rewritten")
            continue
        report.checked.append(f"consistent with the tree head saved in {name} ({first} leaves)")


def _prove(service: str, events, store: _Log, reference: _Log, names: dict, latest: dict,
           report: ServiceReport) -> None:
    """Each event of a replayed unit: its stored bytes, with an audit path, reach the latest root."""
    root, size = bytes.fromhex(latest["root_hash"]), latest["tree_size"]
    for nid, label in events:
        where = store.index(nid)
        if where is None:
            report.failures.append(f"{service}:{nid} ({label}) of the replay is not in the store")
            continue
        if nid > latest["last_notification_id"]:
            report.checked.append(f"{service}:{nid} ({label}) came after the latest tree head: not yet provable")
            continue
        index = reference.index(nid)
        proof = reference.tree.inclusion_proof(index, size) if index is not None and index < size else []
        report.proof_lengths.append(len(proof))
        if index is None or not merkle.verify_inclusion(store.tree.leaf(where), index, size, proof, root):
            report.failures.append(f"{names[nid].name(service)} ({label}) fails its inclusion proof in the latest "
                                   f"signed tree head ({size} leaves)")

