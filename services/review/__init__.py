"""The review service: expert review of recommended applications and the public notice (公示)."""
