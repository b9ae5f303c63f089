"""The rules engine: an application's exact figures against a program's criteria (no eval, no floats)."""
from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from shared.programs.applications import Application, read_application
from shared.programs.model import Criterion, Test
from shared.programs.report import CriterionResult, EligibilityReport, Outcome
from shared.programs.text import amount, describe

if TYPE_CHECKING:
    from shared.programs.program import Program

CENT = Decimal("0.01")


def evaluate(program: Program, data: dict) -> EligibilityReport:
    """Raises ApplicationInvalid when the application does not pass validate_application."""
    app = read_application(program, data)
    city = program.threshold_city(app.region_code)
    results = tuple(_criterion(program, app, c, city) for c in program.criteria_for(app.unit_type, app.subtype))
    return EligibilityReport(program_id=program.id, program_version=program.version, unit_type=app.unit_type,
                             subtype=app.subtype, region_code=app.region_code, city=city,
                             eligible=all(r.passed for r in results), criteria=results)


def _criterion(program: Program, app: Application, criterion: Criterion, city: str) -> CriterionResult:
    variant = None
    if criterion.variants:
        variant = next(v for v in criterion.variants if v.city == city)
    test = variant.test if variant else criterion.test
    outcome = check(program, app, test)
    return CriterionResult(id=criterion.id, rule=variant.rule if variant else criterion.rule,
                           source=criterion.source, variant=variant.city if variant else None,
                           variant_name=program.city_name(variant.city) if variant else None,
                           passed=outcome.passed, threshold=outcome.threshold, actual=outcome.actual,
                           detail=outcome.detail, branches=outcome.branches, kind=outcome.kind,
                           op=outcome.op)


def check(program: Program, app: Application, test: Test) -> Outcome:
    outcome = _check(program, app, test)
    kind = program.fields[test.field].kind if test.field else None
    return replace(outcome, kind=kind, op=test.op)


def _check(program: Program, app: Application, test: Test) -> Outcome:
    text = describe(program, test)
    if test.op in ("any_of", "all_of"):
        branches = tuple(check(program, app, b) for b in test.branches)
        passed = (any if test.op == "any_of" else all)(b.passed for b in branches)
        return Outcome(passed, text, branches=branches)
    if test.op == "declared":
        value = app.declarations[test.declaration]
        return Outcome(value is True, text, True, value, "" if value else "not declared")
    value, kind = app.figures[test.field], program.fields[test.field].kind
    if test.op == "at_least":
        return Outcome(value >= test.threshold, text, test.threshold, value)
    if test.op == "greater_than":
        return Outcome(value > test.threshold, text, test.threshold, value,
                       "" if value > test.threshold else "must be strictly greater")
    if test.op == "share_at_least":
        return _share(test, text, value, app.figures[test.of])
    years = list(value.items())
    if test.op == "each_year_at_least":
        low = [f"{y}: {amount(kind, v)}" for y, v in years if v < test.threshold]
        return Outcome(not low, text, test.threshold, value, "below in " + "; ".join(low) if low else "")
    pairs = list(zip(years, years[1:]))
    if test.op == "growth_each_year_at_least":
        return _growth(test, text, value, pairs)
    if test.op == "increasing_each_year":
        flat = [f"{y}: {amount(kind, v)} ≤ {amount(kind, p)}" for (_, p), (y, v) in pairs if not v > p]
        return Outcome(bool(pairs) and not flat, text, None, value, "; ".join(flat))
    raise ValueError(f"unknown operator {test.op!r}")


def _share(test: Test, text: str, part, whole) -> Outcome:
    # part / whole >= percent / 100, in integers: part * 100 >= percent * whole
    passed = whole > 0 and part * 100 >= test.percent * whole
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_FLOOR) if whole > 0 else None
    return Outcome(passed, text, test.percent,
                   {test.field: part, test.of: whole, "share_percent": share},
                   "" if whole > 0 else f"{test.of} is zero: no share")


def _growth(test: Test, text: str, series: dict, pairs: list) -> Outcome:
    """(v[y] - v[y-1]) / v[y-1] >= percent / 100 for every consecutive pair, exactly;
    a year after a zero year has no growth rate and fails."""
    growth, short = {}, []
    for (_, before), (year, now) in pairs:
        ok = before > 0 and (now - before) * 100 >= test.percent * before
        growth[year] = (Decimal(now - before) * 100 / Decimal(before)).quantize(CENT, ROUND_FLOOR) if before > 0 else None
        if not ok:
            short.append(f"{year}: {growth[year] if growth[year] is not None else 'n/a'}%")
    return Outcome(bool(pairs) and not short, text, test.percent,
                   {"values": series, "growth_percent": growth},
                   "growth below in " + "; ".join(short) if short else ("" if pairs else "needs two years"))
