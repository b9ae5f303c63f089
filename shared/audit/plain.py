"""Tree heads are stored in clear; every other event as the store is configured (encrypted).

A tree head holds nothing private (its signed fields are published, its leaf hashes are hashes of
encrypted bytes), and keeping it readable lets `shifan audit verify` check a store with the
services' public keys alone, never their store keys."""
from __future__ import annotations

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from shared import correlation
from shared.audit.treehead import TreeHead

TREE_HEAD_TOPIC = get_topic(TreeHead.Signed)


class PlainTreeHeadMapper(Mapper):
    """eventsourcing's Mapper, except that TreeHead events skip the compressor and the cipher, and
    every other event keeps the correlation id it was stored under (shared/correlation.py)."""

    def __init__(self, transcoder, compressor=None, cipher=None):
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self._plain = Mapper(transcoder)

    def to_stored_event(self, domain_event) -> StoredEvent:
        if isinstance(domain_event, TreeHead.Signed):
            return self._plain.to_stored_event(domain_event)
        correlation_id = correlation.current()
        if correlation_id and correlation.of_event(domain_event) is None:
            # kept in the stored state beside the event's fields (the event is frozen: set directly)
            object.__setattr__(domain_event, correlation.ATTRIBUTE, correlation_id)
        return super().to_stored_event(domain_event)

    def to_domain_event(self, stored_event: StoredEvent):
        if stored_event.topic == TREE_HEAD_TOPIC:
            return self._plain.to_domain_event(stored_event)
        return super().to_domain_event(stored_event)
