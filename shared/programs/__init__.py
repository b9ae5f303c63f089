"""Programs are data: loads programs/<id>.yaml into a checked Program, versioned by content hash."""
from __future__ import annotations

from pathlib import Path

from shared.programs.build import build_program
from shared.programs.errors import ApplicationInvalid, ProgramError
from shared.programs.model import FieldSpec
from shared.programs.program import Program
from shared.programs.report import CriterionResult, EligibilityReport, Outcome
from shared.programs.source import Source

PROGRAMS_DIR = Path(__file__).resolve().parent.parent.parent / "programs"

_cache: dict[Path, tuple[int, int, Program]] = {}


def load_program(program_id: str, directory: Path = PROGRAMS_DIR) -> Program:
    """The program in `directory`/<program_id>.yaml; cached until the file's mtime or size changes.

    Raises LookupError when there is no such file and ProgramError when it is malformed.
    """
    path = Path(directory) / f"{program_id}.yaml"
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise LookupError(f"no program {program_id!r} (looked for {path})") from None
    cached = _cache.get(path)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    program = build_program(Source(path, path.read_bytes()))
    _cache[path] = (stat.st_mtime_ns, stat.st_size, program)
    return program


__all__ = ["ApplicationInvalid", "CriterionResult", "EligibilityReport", "FieldSpec", "Outcome",
           "PROGRAMS_DIR", "Program", "ProgramError", "load_program"]
