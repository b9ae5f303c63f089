"""Administrative divisions (GB/T 2260) a program needs: Sichuan's cities and its pilot counties."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "sichuan.yaml"
PROVINCE = "510000"


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    return {"cities": {str(k): v for k, v in doc["cities"].items()},
            "pilot_counties": {str(k): v for k, v in (doc.get("pilot_counties") or {}).items()}}


def _data() -> dict:
    return _load(os.environ.get("SHIFAN_REGIONS_FILE", str(DATA)))


def cities() -> dict[str, str]:
    """The province's cities and prefectures: code -> name."""
    return dict(_data()["cities"])


def city_of(region_code: str) -> str:
    return region_code[:4] + "00"


def city_name(code: str) -> str | None:
    return _data()["cities"].get(city_of(code))


def region_problem(region_code: str) -> str | None:
    """What is wrong with an applicant's region code, or None when it lies in a known city."""
    if len(region_code) != 6 or not region_code.isdigit():
        return "must be a 6-digit administrative division code (GB/T 2260)"
    if not region_code.startswith("51"):
        return "must lie in Sichuan (51xxxx)"
    if city_of(region_code) not in _data()["cities"]:
        return f"{city_of(region_code)} is not a city or prefecture of Sichuan"
    return None


def recommender_for(region_code: str) -> str:
    """The authority an applicant in this region applies through: its pilot county if it is one,
    otherwise its city."""
    return region_code if region_code in _data()["pilot_counties"] else city_of(region_code)
