"""`shifan eligibility check FILE.json` and `shifan program show ID`: exit 0 eligible, 1 not, 2 unusable."""
from __future__ import annotations

import json
import sys
from decimal import Decimal

from shared.programs import PROGRAMS_DIR, ApplicationInvalid, ProgramError, load_program
from shared.programs.amounts import plain
from shared.programs.report import CriterionResult, EligibilityReport, Outcome
from shared.programs.show import render_program
from shared.programs.text import amount

DEFAULT_PROGRAM = "sichuan-ecommerce-demo"  # as the applications service's submit schema


def eligibility_check(path: str, out=sys.stdout, directory=PROGRAMS_DIR) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle, parse_float=Decimal)  # decimals stay exact
    except (OSError, ValueError) as exc:
        print(f"cannot read {path}: {exc}", file=out)
        return 2
    program_id = data.get("program_id", DEFAULT_PROGRAM) if isinstance(data, dict) else DEFAULT_PROGRAM
    try:
        program = load_program(str(program_id), directory)
        report = program.evaluate(data)
    except (LookupError, ProgramError) as exc:
        print(f"cannot load program {program_id!r}: {exc}", file=out)
        return 2
    except ApplicationInvalid as exc:
        print(f"{path}: the application is invalid", file=out)
        for field, message in _flat(exc.errors):
            print(f"  {field}: {message}", file=out)
        return 2
    name = data.get("unit_name")
    print(render_report(program, report, title=f"{name} ({path})" if name else path), file=out)
    return 0 if report.eligible else 1


def program_show(program_id: str, out=sys.stdout, directory=PROGRAMS_DIR) -> int:
    try:
        program = load_program(program_id, directory)
    except (LookupError, ProgramError) as exc:
        print(f"cannot load program {program_id!r}: {exc}", file=out)
        return 2
    print(render_program(program), file=out)
    return 0


def render_report(program, report: EligibilityReport, title: str) -> str:
    unit = program.types[report.unit_type]
    kind = f"{report.unit_type} {unit.label}"
    if report.subtype:
        kind += f" / {report.subtype} {unit.subtypes[report.subtype].label}"
    lines = [f"eligibility of {title}",
             f"program {program.id} · version {program.version} ({program.version_label})",
             f"unit {kind} · region {report.region_code} · thresholds for "
             f"{program.city_name(report.city)} ({report.city})", ""]
    for result in report.criteria:
        lines += _criterion_lines(result)
    failed = [c.id for c in report.failed]
    lines.append("")
    lines.append(f"ELIGIBLE: all {len(report.criteria)} criteria met" if report.eligible else
                 f"NOT ELIGIBLE: {len(failed)} of {len(report.criteria)} criteria not met: {', '.join(failed)}")
    return "\n".join(lines)


def _criterion_lines(result: CriterionResult) -> list[str]:
    variant = f" [{result.variant_name}]" if result.variant else ""
    lines = [f"{_mark(result.passed)} {result.id}{variant}  {result.rule}  ({result.source})"]
    if result.branches:
        lines.append("    any of (one suffices):" if result.op == "any_of" else "    all of:")
        lines += [f"      {_mark(b.passed)} {i}. {b.description}: actual {_actual(b)}"
                  + (f" ({b.detail})" if b.detail else "") for i, b in enumerate(result.branches, 1)]
    elif result.op == "declared":
        lines.append(f"    declared: {'yes' if result.actual else 'NO'}")
    else:
        lines.append(f"    threshold: {_threshold(result)}   actual: {_actual(result)}"
                     + (f"   ({result.detail})" if result.detail else ""))
    return lines


def _mark(passed: bool) -> str:
    return "✓" if passed else "✗"


def _threshold(result: CriterionResult | Outcome) -> str:
    if result.op == "increasing_each_year":
        return "each year more than the year before"
    if result.op == "growth_each_year_at_least":
        return f"growth ≥ {plain(result.threshold)}% each year"
    if result.op == "share_at_least":
        return f"share ≥ {plain(result.threshold)}%"
    if result.op == "each_year_at_least":
        return f"≥ {amount(result.kind, result.threshold)} every year"
    return f"{'>' if result.op == 'greater_than' else '≥'} {amount(result.kind, result.threshold)}"


def _actual(result: CriterionResult | Outcome) -> str:
    actual = result.actual
    if isinstance(actual, bool):
        return "declared" if actual else "not declared"
    if isinstance(actual, dict) and "share_percent" in actual:
        share = actual["share_percent"]
        parts = [f"{k} {amount(result.kind, v)}" for k, v in actual.items() if k != "share_percent"]
        return " / ".join(parts) + f" = {plain(share) + '%' if share is not None else 'n/a'}"
    if isinstance(actual, dict) and "growth_percent" in actual:
        growth = ", ".join(f"{y}: {plain(g) + '%' if g is not None else 'n/a'}"
                           for y, g in actual["growth_percent"].items())
        return f"{amount(result.kind, actual['values'])}; growth {growth}"
    return amount(result.kind, actual)


def _flat(errors, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(errors, dict):
        return [pair for k, v in errors.items() for pair in _flat(v, f"{prefix}.{k}" if prefix else str(k))]
    return [(prefix, str(message)) for message in errors]
