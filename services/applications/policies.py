"""Reactions of the applications service to upstream events: none yet (it is the first service)."""
