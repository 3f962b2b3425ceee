"""app/admin/demo/data.py: shelf prices that fit the product, SKUs without stray spaces."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.admin.demo.data import ITEMS, shelf_price, sku_prefix


@given(st.sampled_from(ITEMS), st.integers(0, 3), st.sampled_from(["Premium", "Mini", "Wild"]))
@settings(max_examples=200, deadline=None)
def test_shelf_prices_fit_and_skus_are_clean(item, size, adjective):
    name, sizes, _tax, base = item
    size = min(size, len(sizes) - 1)
    price = shelf_price(base, size, adjective, random.Random(size))
    assert 0.6 * base <= price <= 4 * base and price % 10 == 9
    assert sku_prefix(name).isalnum() and sku_prefix(name) == sku_prefix(name).strip()
