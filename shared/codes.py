"""Checks of the codes Chinese administration uses: the unified social credit code (GB 32100-2015)."""
from __future__ import annotations

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code, computed from the first 17."""
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise ValueError("the first 17 characters must come from the code's 31-character set")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with a unified social credit code, or None when it is well formed."""
    if len(code) != 18:
        return "must be 18 characters"
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return f"contains characters a credit code never has: {''.join(bad)}"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the registering authority's region code"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]}, but the first 17 characters give {expected}"
    return None
