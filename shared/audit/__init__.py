"""Auditing: a unit's whole history replayed across the services, and tamper evidence for every
service's log in the manner of Certificate Transparency (RFC 6962).

- `merkle.py`: leaf and node hashing, roots, inclusion and consistency proofs.
- `leaves.py`: a leaf is a stored event exactly as stored (encrypted state included).
- `treehead.py`, `signing.py`, `plain.py`: the TreeHead aggregate, its Ed25519 signature, its
  storage in clear.
- `tree.py`, `keeper.py`: the tree a service keeps, and the thread that signs its heads.
- `verify.py`: a store checked against its heads and the heads an auditor saved.
- `gather.py`, `replay.py`, `sources.py`: a unit's events from each service, merged in causal order.
- `endpoints.py`, `schemas.py`: HTTP and RPC; `cli.py`, `render.py`: `shifan audit ...`.
"""
