"""Event-type patterns as RabbitMQ topic bindings read them: `*` is one word, `#` zero or more."""
from __future__ import annotations

import re

PATTERN = re.compile(r"^(#|\*|[a-z0-9_]+)(\.(#|\*|[a-z0-9_]+))*$")


def topic_matches(pattern: str, routing_key: str) -> bool:
    words, keys = pattern.split("."), routing_key.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(keys)
        if words[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(keys) + 1))
        return j < len(keys) and words[i] in ("*", keys[j]) and match(i + 1, j + 1)

    return match(0, 0)
