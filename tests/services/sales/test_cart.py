"""The cart's rules: a price below cost and a large discount need a manager; an order
discount spread to the cent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.auth import Role
from app.core.errors import (
    PermissionDenied,
    ValidationError,
)
from app.services.sales.cart import Cart, check_discount, check_price
from app.services.stock import catalogue
from tests.conftest import role_actor


def test_price_below_cost_needs_a_manager(database, admin):
    from app.services.stock.catalogue import ProductInput

    with database.write() as s:
        pid = catalogue.create_product(s, admin, ProductInput("C-1", "Candle", 900, cost=500))
    with database.read() as s:
        with pytest.raises(PermissionDenied, match="manager"):
            check_price(s, role_actor(Role.CASHIER), pid, 400)
        assert check_price(s, role_actor(Role.CASHIER), pid, 600) == 600
        assert check_price(s, role_actor(Role.MANAGER), pid, 400) == 400


@given(
    st.lists(st.tuples(st.integers(1, 20), st.integers(0, 100_000)), min_size=1, max_size=8),
    st.data(),
)
def test_order_discount_is_spread_to_the_cent(lines, data):
    from app.services.sales.cart import CartLine, spread_discount

    cart = Cart([CartLine(n, f"S{n}", "x", price, 0, qty) for n, (qty, price) in enumerate(lines)])
    total = sum(q * p for q, p in lines)
    amount = data.draw(st.integers(0, total))
    spread_discount(cart, amount)
    assert sum(ln.discount for ln in cart.lines) == amount
    assert all(ln.quantity * ln.unit_price - ln.discount >= 0 for ln in cart.lines)
    assert cart.totals()[2] == total - amount


def test_discount_rules():
    cashier, manager = role_actor(Role.CASHIER), role_actor(Role.MANAGER)
    assert check_discount(cashier, 10_000, 1_000) == 1_000  # 10 %: the cashier's call
    assert check_discount(cashier, 4_488, 449) == 449  # 10 % rounded to the cent
    with pytest.raises(PermissionDenied, match="above 10 %"):
        check_discount(cashier, 10_000, 1_001)
    assert check_discount(manager, 10_000, 5_000) == 5_000
    with pytest.raises(ValidationError, match="more than the amount"):
        check_discount(manager, 100, 101)
