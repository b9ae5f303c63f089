"""The applications service: applications and the city department's decision on them."""
