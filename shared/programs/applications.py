"""Checks an application's unit type, place, figures and declarations against a program."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from shared.programs.errors import ApplicationInvalid
from shared.programs.model import FieldSpec, Number

if TYPE_CHECKING:
    from shared.programs.program import Program

MISSING = "Missing data for required field."
_REGION = re.compile(r"^[1-8][0-9]{5}$")
_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_YEAR = re.compile(r"^(19|20)[0-9]{2}$")


@dataclass(frozen=True)
class Application:
    """The parts of an application the rules read, with every figure exact."""

    unit_type: str
    subtype: str | None
    region_code: str
    provincial_level: bool
    figures: dict[str, Number | dict[int, Number]]
    declarations: dict[str, bool]


def validate_application(program: Program, data) -> dict:
    return _read(program, data)[1]


def read_application(program: Program, data) -> Application:
    application, errors = _read(program, data)
    if errors:
        raise ApplicationInvalid(errors)
    return application


def _read(program: Program, data) -> tuple[Application | None, dict]:
    if not isinstance(data, dict):
        return None, {"_schema": ["an application is a JSON object"]}
    unit_type, subtype = data.get("unit_type"), data.get("subtype")
    region, provincial = data.get("region_code"), data.get("provincial_level", False)
    errors = {**_kind_errors(program, unit_type, subtype), **_place_errors(program, region, provincial, unit_type)}
    known = "unit_type" not in errors and "subtype" not in errors
    specs = program.required_fields(unit_type, subtype) if known else None
    names = program.required_declarations(unit_type, subtype) if known else None
    figures, errors["figures"] = _figures(data.get("figures"), specs, unit_type, subtype)
    declarations, errors["declarations"] = _declarations(data.get("declarations"), names, unit_type, subtype)
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        return None, errors
    return Application(unit_type=unit_type, subtype=subtype, region_code=region, provincial_level=provincial,
                       figures=figures, declarations=declarations), {}


def _kind_errors(program: Program, unit_type, subtype) -> dict:
    if not isinstance(unit_type, str) or unit_type not in program.types:
        return {"unit_type": [MISSING if unit_type is None else f"must be one of: {', '.join(program.types)}"]}
    subtypes = program.types[unit_type].subtypes
    if subtypes and (not isinstance(subtype, str) or subtype not in subtypes):
        return {"subtype": [MISSING if subtype is None else f"the subtypes of {unit_type} are: {', '.join(subtypes)}"]}
    if not subtypes and subtype is not None:
        return {"subtype": [f"a {unit_type} has no subtypes: leave it out or null"]}
    return {}


def _place_errors(program: Program, region, provincial, unit_type) -> dict:
    errors = {}
    if not isinstance(region, str) or not _REGION.match(region):
        errors["region_code"] = [MISSING if region is None else "must be a 6-digit administrative division code"]
    elif not program.in_province(region):
        errors["region_code"] = [f"must be a region of {program.province_name} ({program.province_code[:2]}xxxx)"]
    allowed = program.quotas.provincial_unit_types
    if not isinstance(provincial, bool):
        errors["provincial_level"] = ["must be true or false"]
    elif provincial and unit_type in program.types and unit_type not in allowed:
        errors["provincial_level"] = [f"only these unit types apply at provincial level: {', '.join(allowed)}"]
    return errors


def _figures(given, specs: list[FieldSpec] | None, unit_type, subtype) -> tuple[dict, dict | list]:
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return {}, ["must be an object of figures by name"]
    if specs is None:
        return {}, {}
    values, errors = {}, {}
    for spec in specs:
        if spec.name not in given:
            errors[spec.name] = [f"missing: {spec.label} ({spec.kind})"]
            continue
        try:
            values[spec.name] = parse_figure(spec, given[spec.name])
        except ValueError as exc:
            errors[spec.name] = [str(exc)]
    asked = {s.name for s in specs}
    for name in given:
        if name not in asked:
            errors[name] = [f"not a figure of a {subtype or unit_type} application"]
    return values, errors


def _declarations(given, names: list[str] | None, unit_type, subtype) -> tuple[dict, dict | list]:
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return {}, ["must be an object of true/false declarations by name"]
    if names is None:
        return {}, {}
    errors = {n: [MISSING if n not in given else "must be true or false"]
              for n in names if not isinstance(given.get(n), bool)}
    errors.update({n: [f"not a declaration of a {subtype or unit_type} application"] for n in given if n not in names})
    return {n: given[n] for n in names if isinstance(given.get(n), bool)}, errors


def parse_figure(spec: FieldSpec, value) -> Number | dict[int, Number]:
    if not spec.is_series:
        return _scalar(spec.kind, value)
    if not isinstance(value, dict):
        raise ValueError("must be an object of values by year, e.g. {\"2024\": ..., \"2025\": ...}")
    series, problems = {}, []
    for year, item in value.items():
        if not _YEAR.match(str(year)):
            problems.append(f"{year!r} is not a year")
            continue
        try:
            series[int(year)] = _scalar(spec.element_kind, item)
        except ValueError as exc:
            problems.append(f"{year}: {exc}")
    if problems:
        raise ValueError("; ".join(problems))
    years = sorted(series)
    if len(years) < spec.min_years:
        raise ValueError(f"needs at least {spec.min_years} years, got {len(years)}")
    if years != list(range(years[0], years[-1] + 1)):
        raise ValueError(f"years must be consecutive, got {', '.join(map(str, years))}")
    return {y: series[y] for y in years}


def _scalar(kind: str, value) -> Number:
    if kind in ("money_yuan", "count"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number of yuan (an integer)" if kind == "money_yuan"
                             else "must be a whole number (an integer)")
        number = value
    elif isinstance(value, float):
        raise ValueError(f"write decimals as a string, e.g. \"{value}\" (floats are not exact)")
    elif isinstance(value, str) and _DECIMAL.match(value.strip()):
        number = Decimal(value.strip())
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool) and Decimal(value).is_finite():
        number = value
    else:
        raise ValueError("must be a number (an integer or a decimal string)")
    if number < 0:
        raise ValueError(f"must not be negative (got {number})")
    if kind == "percent" and number > 100:
        raise ValueError(f"a percent is at most 100 (got {number})")
    return number
