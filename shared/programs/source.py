"""Reads a program's YAML: no floats (decimals become Decimal), node lines kept to point at errors."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from shared.programs.errors import ProgramError


class _ExactLoader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimals: program files never hold binary fractions."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not an exact decimal number", node.start_mark) from None
    if not value.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"{text!r} is not a finite number", node.start_mark)
    return value


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


class Source:
    """One program file's bytes, its parsed document and its node tree."""

    def __init__(self, path: Path, raw: bytes):
        self.path = path
        self.raw = raw
        try:
            text = raw.decode("utf-8")
            self.root = yaml.compose(text, Loader=_ExactLoader)
            self.document = yaml.load(text, Loader=_ExactLoader)
        except UnicodeDecodeError as exc:
            raise ProgramError(f"{path}: not UTF-8 text ({exc})") from None
        except yaml.YAMLError as exc:
            raise ProgramError(f"{path}: {_describe_yaml_error(exc)}") from None

    def line_of(self, path: tuple) -> int | None:
        """1-based line of the key (or list item) at `path`, or of its nearest existing ancestor."""
        node, line = self.root, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == str(step)), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def error(self, problems: list[tuple[tuple, str]]) -> ProgramError:
        lines = []
        for path, message in problems:
            line = self.line_of(path)
            where = f"line {line}: " if line else ""
            lines.append(f"{self.path}: {where}{dotted(path) or '(top level)'}: {message}")
        return ProgramError("\n".join(lines), lines)


def dotted(path: tuple) -> str:
    """('criteria', 'enterprise', 'b2b_platform', 1, 'threshold') -> criteria.enterprise.b2b_platform[1].threshold"""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def flatten(messages, path: tuple = ()) -> list[tuple[tuple, str]]:
    """marshmallow's nested error messages as (path, message) pairs."""
    if isinstance(messages, dict):
        return [pair for key, value in messages.items() for pair in flatten(value, path + (key,))]
    if isinstance(messages, list):
        return [pair for item in messages for pair in flatten(item, path)]
    return [(path, str(messages))]


def _describe_yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    what = f"{context}: {problem}" if context else problem
    if mark is None:
        return f"YAML syntax error: {what}"
    text = f"line {mark.line + 1}, column {mark.column + 1}: YAML syntax error: {what}"
    if context_mark is not None and context_mark.line != mark.line:
        text += f" (it began at line {context_mark.line + 1}, column {context_mark.column + 1})"
    return text
