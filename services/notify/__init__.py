"""The notify service: tells each party what concerns it, for every public event."""
