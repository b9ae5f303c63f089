"""Exact amounts: 万/亿 shorthands in program files, and the 万/亿 form shown to people."""
from __future__ import annotations

import re
from decimal import Decimal

UNITS = {"": 1, "万": 10_000, "亿": 100_000_000}
_SHORTHAND = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(万|亿)?\s*(?:元)?\s*$")


def parse_amount(value) -> int | Decimal:
    """An int, a Decimal or a string like "500万", "1.5亿", "10000.5" as an exact non-negative number.

    Raises ValueError with a readable reason; whole numbers come back as int.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("must be an integer or an exact decimal string (floats are not exact)")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        match = _SHORTHAND.match(value.replace(",", "").replace("_", ""))
        if not match:
            raise ValueError(f"{value!r} is not an amount: write an integer, \"500万\" or \"5亿\"")
        number = Decimal(match.group(1)) * UNITS[match.group(2) or ""]
    else:
        raise ValueError(f"must be a number, not {type(value).__name__}")
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if number < 0:
        raise ValueError(f"must not be negative (got {number})")
    return int(number) if number == number.to_integral_value() else number


def wan_yi(value: int | Decimal) -> str:
    """An amount of yuan in the seed's words: 500000000 -> '5亿元', 3500000 -> '350万元'."""
    for unit, size in (("亿", 100_000_000), ("万", 10_000)):
        if value >= size:
            return f"{plain(Decimal(value) / size)}{unit}元"
    return f"{value}元"


def plain(number) -> str:
    """An int or Decimal without exponent or trailing zeros: Decimal('30.50') -> '30.5'."""
    return format(Decimal(number).normalize(), "f") if isinstance(number, Decimal) else str(number)
