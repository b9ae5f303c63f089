"""A service's Merkle tree over its own log: kept in memory, extended as the log grows, checked
against the latest head the service signed, and the source of new signed heads and of proofs."""
from __future__ import annotations

import bisect
import threading
from datetime import datetime

from eventsourcing.persistence import IntegrityError

from shared.audit import merkle
from shared.audit.leaves import recorder_rows
from shared.audit.plain import TREE_HEAD_TOPIC
from shared.audit.signing import public_head, sign_head
from shared.audit.treehead import TreeHead, pack_leaves, read_head
from shared.errors import Conflict, InvalidInput, NotFound


class ServiceTree:
    def __init__(self, app, private_key):
        self.app = app
        self.private_key = private_key
        self.tree = merkle.Tree()
        self.ids: list[int] = []        # notification id of each leaf
        self.latest: dict | None = None  # the latest signed head, with `notification_id` of its event
        self.problem: str | None = None  # why the log no longer matches the latest head
        self._lock = threading.RLock()

    # -- keeping up with the log
    def catch_up(self) -> int:
        """Adds the rows stored since the last call; returns how many."""
        with self._lock:
            added, head = 0, None
            for row in recorder_rows(self.app.recorder, self.ids[-1] if self.ids else 0):
                self.tree.append(row.leaf)
                self.ids.append(row.notification_id)
                added += 1
                if row.topic == TREE_HEAD_TOPIC:
                    head = {**read_head(row.state), "notification_id": row.notification_id}
            if head is not None:
                self.latest = head
                self.problem = self._mismatch(head)
            return added

    def _mismatch(self, head: dict) -> str | None:
        size = self.size_at(head["last_notification_id"])
        if size != head["tree_size"] or self.tree.root(size).hex() != head["root_hash"]:
            return (f"{self.app.name}'s log no longer matches its tree head of {head['signed_at']} "
                    f"(size {head['tree_size']}): `shifan audit verify` names what changed")
        return None

    def size_at(self, notification_id: int) -> int:
        """How many leaves have notification ids up to `notification_id`."""
        return bisect.bisect_right(self.ids, notification_id)

    def uncovered(self) -> int:
        """Leaves after the latest head's, not counting that head's own event."""
        with self._lock:
            if self.latest is None:
                return len(self.ids)
            return len(self.ids) - self.size_at(self.latest["notification_id"])

    # -- signing
    def sign(self, now: datetime) -> dict:
        """Signs the tree of the whole log now and saves the head (a later leaf); returns it."""
        with self._lock:
            self.catch_up()
            if self.problem:
                raise Conflict(f"refusing to sign: {self.problem}")
            size = len(self.ids)
            last = self.ids[-1] if self.ids else 0
            after = self.latest["last_notification_id"] if self.latest else 0
            start = self.size_at(after)
            fields = sign_head({"service": self.app.name, "tree_size": size, "root_hash": self.tree.root().hex(),
                                "last_notification_id": last, "signed_at": now.isoformat()}, self.private_key)
            new = [(self.ids[i], self.tree.leaf(i)) for i in range(start, size)]
            try:
                self.app.save(TreeHead(**fields, new_leaves_after=after, new_leaves=pack_leaves(new)))
            except IntegrityError:  # another instance signed this very tree first
                pass
            self.catch_up()
            return self.head()

    # -- answers
    def head(self) -> dict:
        with self._lock:
            self.catch_up()
            if self.latest is None:
                raise NotFound("tree head", self.app.name)
            return {**public_head(self.latest), "notification_id": self.latest["notification_id"]}

    def inclusion(self, notification_id: int, tree_size: int | None = None) -> dict:
        """The audit path of one stored event in the tree of `tree_size` (the latest head's)."""
        with self._lock:
            self.catch_up()
            size = self._size(tree_size)
            index = bisect.bisect_left(self.ids, notification_id)
            if index == len(self.ids) or self.ids[index] != notification_id:
                raise NotFound("notification", f"{self.app.name}:{notification_id}")
            if index >= size:
                raise InvalidInput(f"{self.app.name}:{notification_id} came after the tree of {size}",
                                   {"tree_size": [f"must be more than {index}"]})
            return {"service": self.app.name, "notification_id": notification_id, "leaf_index": index,
                    "leaf_hash": self.tree.leaf(index).hex(), "tree_size": size,
                    "root_hash": self.tree.root(size).hex(),
                    "audit_path": [h.hex() for h in self.tree.inclusion_proof(index, size)]}

    def consistency(self, first: int, second: int | None = None) -> dict:
        """The proof that the tree of `first` leaves is a prefix of the tree of `second`."""
        with self._lock:
            self.catch_up()
            second = self._size(second)
            if not 0 < first <= second:
                raise InvalidInput(f"no consistency proof from {first} to {second} leaves",
                                   {"first": [f"must be between 1 and {second}"]})
            return {"service": self.app.name, "first": first, "second": second,
                    "first_root": self.tree.root(first).hex(), "second_root": self.tree.root(second).hex(),
                    "proof": [h.hex() for h in self.tree.consistency_proof(first, second)]}

    def _size(self, tree_size: int | None) -> int:
        if tree_size is None:
            return self.latest["tree_size"] if self.latest else len(self.ids)
        if not 0 <= tree_size <= len(self.ids):
            raise InvalidInput(f"the log has {len(self.ids)} leaves",
                               {"tree_size": [f"must be between 0 and {len(self.ids)}"]})
        return tree_size
