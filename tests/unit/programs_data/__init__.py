"""Sample applications for the program tests: the JSON the HTTP API takes, one per kind of unit.

All six are eligible as written; a test changes the one figure or declaration it is about.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sample_path(name: str) -> Path:
    return HERE / f"{name}.json"


def sample(name: str, *, region_code: str | None = None, declarations: dict | None = None, **figures) -> dict:
    data = json.loads(sample_path(name).read_text(encoding="utf-8"))
    data["figures"].update(figures)
    data["declarations"].update(declarations or {})
    if region_code:
        data["region_code"] = region_code
    return data
