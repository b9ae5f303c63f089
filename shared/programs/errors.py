"""The errors of reading a program file and of checking an application against a program."""
from __future__ import annotations


class ProgramError(Exception):
    """A program file that is missing, malformed or inconsistent; the message names file, path and line."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class ApplicationInvalid(ValueError):
    """An application that cannot be evaluated; `errors` has marshmallow's shape, by field."""

    def __init__(self, errors: dict):
        super().__init__(f"the application is invalid: {errors}")
        self.errors = errors
