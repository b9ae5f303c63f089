"""Shifan's shared package: contracts, messaging, the event-store base, HTTP, clock and CLI."""
