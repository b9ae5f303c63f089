"""Reliable messaging: the event store is the outbox (relay), the upstream log is the truth (follower)."""
