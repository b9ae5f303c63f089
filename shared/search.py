"""Search keys for Chinese names: simplified and traditional characters compare equal.

A name and a query are both folded to one key (OpenCC's traditional-to-simplified conversion,
case folded, without spaces), so "電子商務" finds "四川电子商务有限公司" and "电子商务" finds
"四川電子商務有限公司". OpenCC's data ships inside the package: nothing is fetched at run time.
"""
from __future__ import annotations

import threading
import unicodedata

_lock = threading.Lock()
_converter = None


def _to_simplified(text: str) -> str:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                from opencc_purepy import OpenCC

                _converter = OpenCC("t2s")
    return _converter.convert(text)


def search_key(text: str) -> str:
    """The form names are compared in: NFKC (full-width letters become ASCII), simplified
    characters, case folded, no whitespace."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(_to_simplified(folded).casefold().split())


def like_pattern(query: str, escape: str = "\\") -> str:
    """A SQL LIKE pattern matching names whose key contains the query's key."""
    key = search_key(query)
    for special in (escape, "%", "_"):
        key = key.replace(special, escape + special)
    return f"%{key}%"
