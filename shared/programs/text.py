"""Words and numbers for people: a test as a sentence, an amount in 万/亿, a series by year."""
from __future__ import annotations

from typing import TYPE_CHECKING

from shared.programs.amounts import plain, wan_yi
from shared.programs.model import Test

if TYPE_CHECKING:
    from shared.programs.program import Program

OPERATORS = {"at_least": "≥", "greater_than": ">"}


def amount(kind: str, value) -> str:
    """A figure as people read it: money in 万/亿 (with the exact yuan), area in m², percent with %."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{year}: {amount(kind, v)}" for year, v in value.items())
    if kind in ("money_yuan", "money_series"):
        return wan_yi(value) + (f" ({value:,}元)" if value >= 10_000 else "")
    if kind == "area_m2":
        return f"{plain(value)} m²"
    if kind in ("percent", "percent_series"):
        return f"{plain(value)}%"
    return plain(value)


def describe(program: Program, test: Test) -> str:
    """A test as one line, e.g. '电子商务相关服务年收入 ≥ 500万元'."""
    if test.op in ("any_of", "all_of"):
        joiner = " 或 " if test.op == "any_of" else " 且 "
        return joiner.join(f"({describe(program, b)})" for b in test.branches)
    if test.op == "declared":
        return f"声明: {program.declarations[test.declaration]} [{test.declaration}]"
    spec = program.fields[test.field]
    label = f"{spec.label} [{spec.name}]"
    if test.op in OPERATORS:
        return f"{label} {OPERATORS[test.op]} {amount(spec.kind, test.threshold)}"
    if test.op == "share_at_least":
        other = program.fields[test.of]
        return f"{label} ≥ {plain(test.percent)}% × {other.label} [{other.name}]"
    if test.op == "each_year_at_least":
        return f"{label} 每年 ≥ {amount(spec.kind, test.threshold)}"
    if test.op == "growth_each_year_at_least":
        return f"{label} 每年同比增长 ≥ {plain(test.percent)}%"
    if test.op == "increasing_each_year":
        return f"{label} 逐年增加（每年严格大于上一年）"
    raise ValueError(f"unknown operator {test.op!r}")
