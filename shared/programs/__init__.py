"""Programs are data: loads a program file from programs/ and names its version by content hash."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

PROGRAMS_DIR = Path(__file__).resolve().parent.parent.parent / "programs"


@dataclass(frozen=True)
class Program:
    id: str
    version: str  # sha256 of the file's bytes, first 16 hex digits
    title: dict
    certificate_prefix: str
    experts_per_application: int
    pass_mark: int
    notice_working_days: int
    rereview_years: int


def load_program(program_id: str, directory: Path = PROGRAMS_DIR) -> Program:
    path = directory / f"{program_id}.yaml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LookupError(f"no program {program_id!r} (looked for {path})") from None
    doc = yaml.safe_load(raw)
    review, notice = doc["review"], doc["notice"]
    return Program(
        id=doc["id"],
        version=hashlib.sha256(raw).hexdigest()[:16],
        title=dict(doc["title"]),
        certificate_prefix=doc["certificate_prefix"],
        experts_per_application=int(review["experts_per_application"]),
        pass_mark=int(review["pass_mark"]),
        notice_working_days=int(notice["working_days"]),
        rereview_years=int(doc["rereview_years"]),
    )
