"""Grant and subsidy amounts from a program's schemes: exact integer yuan, every cap applied."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from shared.programs.amounts import plain, wan_yi
from shared.programs.model import Number, Scheme


class AmountRefused(ValueError):
    """The inputs do not give an amount under the scheme; `field` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Amount:
    yuan: int
    basis: str  # how it was found, in words a person checks


def grant_amount(scheme: Scheme, *, amount: int | None = None, quantity: Number | None = None,
                 cost: int | None = None, standard_level: str | None = None) -> Amount:
    """The amount a scheme pays. up_to and between: the province's `amount`, checked against the
    scheme's maximum (by the standard's level) or range; rate: rate x quantity; share: percent of
    cost; the last two at most the cap. Fractions of a yuan are dropped: never more than the rule."""
    rule = scheme.amount
    if rule.rule in ("up_to", "between"):
        if amount is None:
            raise AmountRefused("amount", f"{scheme.id}: the province decides the amount; give `amount`")
        if rule.rule == "up_to":
            cap = rule.max if rule.max is not None else (rule.max_by_standard_level or {}).get(standard_level or "")
            if cap is None:
                raise AmountRefused("standard_id", f"{scheme.id}: no maximum for a {standard_level} standard")
            if not 0 < amount <= cap:
                raise AmountRefused("amount", f"{scheme.id}: at most {wan_yi(cap)}"
                                              + (f" for a {standard_level} standard" if standard_level else "")
                                              + f" (一次性不超过), and more than 0; {amount} asked")
            return Amount(amount, f"不超过{wan_yi(cap)}，核定{wan_yi(amount)}")
        if not rule.min <= amount <= rule.max:
            raise AmountRefused("amount", f"{scheme.id}: between {wan_yi(rule.min)} and {wan_yi(rule.max)}; "
                                          f"{amount} asked")
        return Amount(amount, f"{wan_yi(rule.min)}~{wan_yi(rule.max)}，核定{wan_yi(amount)}")
    if rule.rule == "rate":
        if quantity is None:
            raise AmountRefused("quantity", f"{scheme.id}: give `quantity` ({rule.measure})")
        raw = Decimal(rule.rate) * Decimal(quantity)
        return _capped(raw, rule.cap, f"{plain(rule.rate)}元/{rule.measure} × {plain(quantity)}")
    if cost is None:
        raise AmountRefused("cost", f"{scheme.id}: give `cost`, the year's actual cost in yuan")
    raw = Decimal(cost) * Decimal(rule.percent) / 100
    return _capped(raw, rule.cap, f"{plain(rule.percent)}% × {cost}元")


def _capped(raw: Decimal, cap: Number, formula: str) -> Amount:
    whole = int(raw.to_integral_value(rounding=ROUND_FLOOR))
    if whole > cap:
        return Amount(int(cap), f"{formula} = {plain(raw)}元，超过上限，按上限{wan_yi(cap)}")
    return Amount(whole, f"{formula} = {plain(raw)}元" + ("" if whole == raw else f"，取整{whole}元"))
