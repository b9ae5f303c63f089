"""The bench: every scenario of `make bench` beside its raw baseline (bench/README.md)."""
