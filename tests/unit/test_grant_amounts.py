"""Grant and subsidy amounts (Fujian seeds 000 and 003): exact, at and around every cap."""
from decimal import Decimal

import pytest

from shared.programs import load_program
from shared.programs.grants import AmountRefused, grant_amount

STANDARDS = "fujian-ecommerce-standards"
RURAL = "fujian-rural-ecommerce-counties"


def scheme(program_id, name):
    return load_program(program_id).grants.schemes[name]


@pytest.mark.parametrize("level, cap", [("national", 300_000), ("industry", 200_000), ("local", 100_000)])
def test_a_standard_drafting_grant_is_at_most_its_levels_cap(level, cap):
    drafting = scheme(STANDARDS, "standard_drafting")
    assert grant_amount(drafting, amount=cap, standard_level=level).yuan == cap
    assert grant_amount(drafting, amount=cap - 1, standard_level=level).yuan == cap - 1
    assert grant_amount(drafting, amount=1, standard_level=level).yuan == 1
    for wrong in (cap + 1, 0, -1):
        with pytest.raises(AmountRefused) as refused:
            grant_amount(drafting, amount=wrong, standard_level=level)
        assert refused.value.field == "amount"


@pytest.mark.parametrize("name, rate, cap", [("incubation_new", 100, 1_000_000),
                                             ("incubation_renovated", 50, 500_000)])
def test_incubation_space_is_paid_per_square_metre_up_to_its_cap(name, rate, cap):
    space = scheme(RURAL, name)
    at_cap = cap // rate  # 10,000 m² new, 10,000 m² renovated
    assert grant_amount(space, quantity=at_cap).yuan == cap
    assert grant_amount(space, quantity=at_cap - 1).yuan == cap - rate
    assert grant_amount(space, quantity=at_cap + 1).yuan == cap
    assert grant_amount(space, quantity=Decimal("9999.99")).yuan == int(Decimal("9999.99") * rate)
    assert grant_amount(space, quantity=Decimal("0.005")).yuan == 0  # half a yuan or less is not paid
    assert grant_amount(space, quantity=0).yuan == 0


def test_a_certified_training_base_gets_between_50_and_100_wan_once():
    base = scheme(RURAL, "training_base")
    assert base.once_per == "unit"
    for ok in (500_000, 500_001, 999_999, 1_000_000):
        assert grant_amount(base, amount=ok).yuan == ok
    for wrong in (499_999, 1_000_001):
        with pytest.raises(AmountRefused):
            grant_amount(base, amount=wrong)


def test_data_centre_rent_is_30_percent_up_to_30_wan_a_year():
    rent = scheme(RURAL, "data_centre_rent")
    assert rent.once_per == "year"
    assert grant_amount(rent, cost=1_000_000).yuan == 300_000      # exactly at the cap
    assert grant_amount(rent, cost=999_999).yuan == 299_999        # 299,999.7: the fraction is not paid
    assert grant_amount(rent, cost=1_000_003).yuan == 300_000      # over: the cap
    assert grant_amount(rent, cost=10).yuan == 3
    with pytest.raises(AmountRefused) as refused:
        grant_amount(rent)
    assert refused.value.field == "cost"


def test_amounts_are_ints_never_floats():
    assert type(grant_amount(scheme(RURAL, "incubation_new"), quantity=Decimal("12.5")).yuan) is int
