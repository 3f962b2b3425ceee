"""Average cost on receipt: the moving-average rule in integer minor units, exact values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.services.purchasing.costing import moving_average_cost


@pytest.mark.parametrize(
    ("old_cost", "old_qty", "unit_cost", "qty", "expected"),
    [
        (1000, 10, 1000, 5, 1000),  # same cost: unchanged
        (1000, 10, 1300, 10, 1150),  # equal weights: the midpoint
        (100, 2, 101, 1, 100),  # 301 / 3 = 100.33 -> 100
        (100, 1, 101, 1, 101),  # 201 / 2 = 100.5 -> half up to 101
        (199, 3, 200, 1, 199),  # 797 / 4 = 199.25 -> 199
        (199, 1, 200, 3, 200),  # 799 / 4 = 199.75 -> 200
        (0, 0, 750, 4, 750),  # nothing on hand: the receipt's cost
        (500, -3, 750, 4, 750),  # oversold (negative) stock carries no weight
        (1234, 7, 0, 7, 617),  # free goods halve the average
    ],
)
def test_exact_values(old_cost, old_qty, unit_cost, qty, expected):
    assert moving_average_cost(old_cost, old_qty, unit_cost, qty) == expected


@given(
    old_cost=st.integers(0, 10**9),
    old_qty=st.integers(1, 10**6),
    unit_cost=st.integers(0, 10**9),
    qty=st.integers(1, 10**6),
)
def test_the_average_lies_between_the_two_costs(old_cost, old_qty, unit_cost, qty):
    new = moving_average_cost(old_cost, old_qty, unit_cost, qty)
    assert min(old_cost, unit_cost) <= new <= max(old_cost, unit_cost)
    exact_twice = 2 * (old_cost * old_qty + unit_cost * qty)
    assert abs(new * 2 * (old_qty + qty) - exact_twice) <= old_qty + qty  # within half a unit


@pytest.mark.parametrize(("unit_cost", "qty", "field"), [(100, 0, "quantity"), (-1, 1, "cost")])
def test_bad_input_is_refused_in_words(unit_cost, qty, field):
    with pytest.raises(ValidationError) as error:
        moving_average_cost(100, 1, unit_cost, qty)
    assert error.value.field == field
    assert str(error.value)
