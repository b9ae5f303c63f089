"""A program's figures and declarations as form fields, and a posted form back as the exact values
the services take (whole yuan and counts as integers, areas and percentages as decimal strings,
series by year): what the application and statistical-report forms share."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shared.errors import InvalidInput
from shared.programs import Program

INTEGER_KINDS = ("money_yuan", "count")
UNITS = {"money_yuan": ("元", "yuan"), "count": ("个", ""), "area_m2": ("平方米", "m²"), "percent": ("%", "%")}


@dataclass(frozen=True)
class FigureInput:
    name: str          # the form field, e.g. "fig.registered_capital" or "fig.transaction_volume_by_year.2024"
    figure: str
    label: str
    kind: str          # the element kind: money_yuan, count, area_m2, percent
    year: str | None = None

    @property
    def unit(self) -> tuple[str, str]:
        return UNITS.get(self.kind, ("", ""))


def figure_inputs(program: Program, unit_type: str, subtype: str | None, years: list[str]) -> list[FigureInput]:
    inputs = []
    for spec in program.required_fields(unit_type, subtype):
        if spec.is_series:
            inputs += [FigureInput(f"fig.{spec.name}.{y}", spec.name, spec.label, spec.element_kind, y) for y in years]
        else:
            inputs.append(FigureInput(f"fig.{spec.name}", spec.name, spec.label, spec.element_kind))
    return inputs


def declaration_inputs(program: Program, unit_type: str, subtype: str | None) -> list[tuple[str, str]]:
    """(form field, the statement) for each declaration the unit type makes."""
    return [(f"decl.{name}", program.declarations[name]) for name in program.required_declarations(unit_type, subtype)]


def parse_figures(form, inputs: list[FigureInput]) -> dict:
    """The figures of a posted form; an empty input is left out (the program's check names it as
    missing), one that is not an exact non-negative number is refused here, naming the field."""
    figures: dict = {}
    problems = {}
    for item in inputs:
        text = (form.get(item.name) or "").strip().replace(",", "").replace("，", "")
        if not text:
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            problems[item.name] = [f"{text!r} is not a number"]
            continue
        if not number.is_finite() or number < 0:
            problems[item.name] = ["must be a non-negative number"]
            continue
        if item.kind in INTEGER_KINDS:
            if number != number.to_integral_value():
                problems[item.name] = ["must be a whole number"]
                continue
            value = int(number)
        else:
            value = format(number.normalize(), "f")
        if item.year is None:
            figures[item.figure] = value
        else:
            figures.setdefault(item.figure, {})[item.year] = value
    if problems:
        raise InvalidInput("some figures are not numbers", problems)
    return figures


def parse_declarations(form, declarations: list[tuple[str, str]]) -> dict:
    """A ticked box declares the statement; an unticked one declares it is not so."""
    return {name[len("decl."):]: form.get(name) == "yes" for name, _ in declarations}


def form_values(figures: dict, declarations: dict) -> dict:
    """The form fields that show stored figures and declarations again (to amend them)."""
    values = {}
    for name, value in (figures or {}).items():
        if isinstance(value, dict):
            values.update({f"fig.{name}.{year}": str(v) for year, v in value.items()})
        else:
            values[f"fig.{name}"] = str(value)
    values.update({f"decl.{name}": "yes" for name, ticked in (declarations or {}).items() if ticked})
    return values
