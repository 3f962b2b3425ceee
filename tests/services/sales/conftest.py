"""The shop the counter's tests sell in: two products with stock and an open till."""

from __future__ import annotations

import pytest

from app.services.sales import till
from tests import factories
from tests.services.sales.shop import TILL


@pytest.fixture
def shop(database, admin):
    coffee = factories.product(database, admin, price=1230, stock=10, name="Coffee beans")
    salt = factories.product(database, admin, price=350, tax=0, stock=5, name="Sea salt")
    with database.write() as s:
        till.open_session(s, admin, TILL, 10_000, "till-1")
    return coffee, salt
