"""Administrative divisions (GB/T 2260) the programs need: each province's cities and pilot counties."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent
DATA = FOLDER / "sichuan.yaml"
PROVINCE = "510000"  # the Sichuan program's province, where provincial-level applicants apply


@lru_cache(maxsize=4)
def _load(override: str | None) -> dict:
    """Every province file shipped here; SHIFAN_REGIONS_FILE, when set, stands in for the file of
    the province its cities lie in (a province keeps its own pilot-county list there)."""
    files = {path.stem: path for path in sorted(FOLDER.glob("*.yaml"))}
    merged = {"cities": {}, "pilot_counties": {}}
    docs = [_read(path) for path in files.values()]
    if override:
        mine = _read(Path(override))
        provinces = {code[:2] for code in mine["cities"]}
        docs = [d for d in docs if not {code[:2] for code in d["cities"]} & provinces] + [mine]
    for doc in docs:
        merged["cities"].update(doc["cities"])
        merged["pilot_counties"].update(doc["pilot_counties"])
    return merged


def _read(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    return {"cities": {str(k): v for k, v in doc["cities"].items()},
            "pilot_counties": {str(k): v for k, v in (doc.get("pilot_counties") or {}).items()}}


def _data() -> dict:
    return _load(os.environ.get("SHIFAN_REGIONS_FILE") or None)


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
    provinces = sorted({code[:2] for code in _data()["cities"]})
    if region_code[:2] not in provinces:
        return f"must lie in a province the programs run in ({', '.join(p + 'xxxx' for p in provinces)})"
    if city_of(region_code) not in _data()["cities"]:
        return f"{city_of(region_code)} is not a city or prefecture of its province"
    return None


def recommender_for(region_code: str) -> str:
    """The authority an applicant in this region applies through: its pilot county if it is one,
    otherwise its city."""
    return region_code if region_code in _data()["pilot_counties"] else city_of(region_code)
