"""Strict reading of a JSON request body: UTF-8 only, one value per key, no NaN or Infinity, no
number beyond any figure a program needs, no nesting deeper than MAX_DEPTH, and no control
character or lone surrogate in any string. Each refusal names where it is and what is wrong."""
from __future__ import annotations

import json
import math
import re

MAX_DEPTH = 16        # the deepest payload any endpoint takes (a figure's series) is 3 levels down
MAX_INT_DIGITS = 20   # figures are yuan below 10^15; no count, year or score comes near 20 digits
# C0 and C1 controls (tab, line feed and carriage return are text) and UTF-16 surrogates, which
# json.loads lets through from \uXXXX escapes but no UTF-8 store or reader accepts.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class BodyProblem(ValueError):
    """The body cannot be read as the JSON the service takes; `where` is the field path."""

    def __init__(self, message: str, where: str = "_body"):
        super().__init__(message)
        self.message = message
        self.where = where


def parse(raw: bytes):
    """The JSON value of `raw`, or BodyProblem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyProblem(f"the request body is not UTF-8 (byte {exc.start} is {raw[exc.start:exc.start + 1]!r}); "
                          "send JSON encoded in UTF-8") from None
    if text.startswith("\ufeff"):
        raise BodyProblem("the request body starts with a byte-order mark; send JSON without one")
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_constant=_constant, parse_int=_integer,
                           parse_float=_float)
    except RecursionError:
        raise BodyProblem(f"the request body nests deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise BodyProblem(f"the request body is not valid JSON: {exc}") from None
    _check(value)
    return value


def _object(pairs: list) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise BodyProblem(f"the key {key!r} appears twice in one object; give each field once", key)
        result[key] = value
    return result


def _constant(name: str):
    raise BodyProblem(f"{name} is not a JSON number; give a finite number")


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise BodyProblem(f"an integer of {len(digits.lstrip('-'))} digits is beyond any figure this service "
                          f"takes (at most {MAX_INT_DIGITS} digits)")
    return int(digits)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BodyProblem(f"the number {text[:40]} is out of range; give a finite number")
    return value


def _check(value) -> None:
    """Depth, control characters and surrogates, walked without recursion; names the path."""
    stack = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BodyProblem(f"the request body nests deeper than {MAX_DEPTH} levels", path or "_body")
        if isinstance(item, dict):
            for key, child in item.items():
                where = f"{path}.{key}" if path else key
                _check_text(key, where, "its name")
                stack.append((child, where, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}.{i}" if path else str(i), depth + 1) for i, child in enumerate(item))
        elif isinstance(item, str):
            _check_text(item, path or "_body", "the text")


def _check_text(text: str, where: str, what: str) -> None:
    found = _FORBIDDEN.search(text)
    if found:
        char = found.group()
        kind = "a lone UTF-16 surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        raise BodyProblem(f"{what} at {where} holds {kind} (U+{ord(char):04X} at position {found.start()})", where)
