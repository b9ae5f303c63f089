"""Sample applications for the Sichuan program, eligible as built: the demo plays them and the
tests start from them (a test changes the one figure it is about)."""
from __future__ import annotations

from shared.codes import uscc_check_character
from shared.programs import load_program

PROGRAM = "sichuan-ecommerce-demo"

KINDS = {
    "b2b": ("enterprise", "b2b_platform", "电子商务有限公司", {
        "registered_capital": 5_000_000, "service_revenue": 6_000_000,
        "transaction_volume": 120_000_000, "registered_enterprises": 1200}),
    "traditional": ("enterprise", "traditional_enterprise", "商贸有限公司", {
        "registered_capital": 8_000_000, "online_sales": 40_000_000, "total_sales": 90_000_000}),
    "base": ("base", None, "电子商务产业园", {
        "office_floor_area_m2": 15000,
        "transaction_volume_by_year": {"2023": 200_000_000, "2024": 230_000_000, "2025": 260_000_000},
        "resident_enterprises_by_year": {"2023": 40, "2024": 52, "2025": 61}}),
    "county": ("rural_county", None, "商务局", {
        "rural_population": 300_000, "rural_population_covered": 95_000,
        "ecommerce_application_rate_by_year": {"2023": "12.5", "2024": "15", "2025": "18.2"}}),
}


def credit_code(region_code: str, n: int) -> str:
    """A well-formed unified social credit code (check character included) for unit n."""
    first17 = f"91{region_code}MA{n:07d}"
    return first17 + uscc_check_character(first17)


def government_code(region_code: str, n: int) -> str:
    """A well-formed unified social credit code of a government body (机关, category 11) in a region."""
    first17 = f"11{region_code}{n:09d}"
    return first17 + uscc_check_character(first17)


def sample_application(n: int, region_code: str = "510703", kind: str = "b2b", round_id: str | None = None,
                       name: str | None = None, **figures) -> dict:
    """The JSON body of POST /applications for unit n of this kind, eligible unless figures say otherwise."""
    unit_type, subtype, suffix, base_figures = KINDS[kind]
    program = load_program(PROGRAM)
    body = {
        "credit_code": credit_code(region_code, n),
        "unit_name": name or f"示范{n:03d}{suffix}",
        "unit_type": unit_type,
        "subtype": subtype,
        "region_code": region_code,
        "contact": {"name": f"联系人{n:03d}", "phone": f"138{n:08d}"},
        "figures": {**base_figures, **figures},
        "declarations": {d: True for d in program.required_declarations(unit_type, subtype)},
    }
    if round_id is not None:
        body["round_id"] = str(round_id)
    return body
