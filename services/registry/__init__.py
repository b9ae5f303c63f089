"""The registry service: certified units, their certificates and the public registry."""
