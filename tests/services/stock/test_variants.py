"""Variants of a template product: every combination made once with its own SKU, name,
price and stock; made again with more values adds only the new ones; refusals in words.
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.auth import Role
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.models import Product
from app.services.stock import catalogue, inventory, variants
from app.services.stock.catalogue import ProductInput
from tests import factories
from tests.conftest import role_actor


@pytest.fixture
def tee(database, admin):
    with database.write() as s:
        catalogue.create_product(
            s, admin, ProductInput("TEE", "T-shirt", 1999, cost=700, tax_rate_bp=2300)
        )
    return "TEE"


def test_every_combination_once_with_its_own_stock(database, admin, tee):
    with database.write() as s:
        made = variants.make_variants(
            s, admin, "tee", {"Size": ["S", "M"], "Colour": ["Navy blue", "Red"]}
        )
    assert len(made) == 4
    with database.write() as s:
        rows = variants.variants_of(s, admin, tee)
        assert [r.sku for r in rows] == [
            "TEE-S-NAVY-BLUE",
            "TEE-S-RED",
            "TEE-M-NAVY-BLUE",
            "TEE-M-RED",
        ]
        assert (
            rows[0].name == "T-shirt (S, Navy blue)"
            and rows[0].attrs == "Size: S, Colour: Navy blue"
        )
        assert {r.price for r in rows} == {1999}
        variant = s.get(Product, rows[1].id)
        assert (variant.cost, variant.tax_rate_bp) == (700, 2300)
        catalogue.add_barcode(s, admin, variant.id, factories.make_ean(9001))
        inventory.receive(s, admin, variant.id, factories.main_bin(s), 5)
    with database.write() as s:  # more sizes: only the new combinations
        again = variants.make_variants(
            s, admin, tee, {"Size": ["S", "M", "L"], "Colour": ["Navy blue", "Red"]}
        )
        assert len(again) == 2
        rows = variants.variants_of(s, admin, tee)
        assert len(rows) == 6 and next(r for r in rows if r.sku == "TEE-S-RED").on_hand == 5


def test_refusals_write_nothing(database, admin, tee):
    cases = [
        ({}, ValidationError, "at least one axis"),
        ({"Size": [" ", ""]}, ValidationError, "has no values"),
        ({"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"]}, ValidationError, "At most 3"),
        (
            {"n": [str(i) for i in range(30)], "m": [str(i) for i in range(10)]},
            ValidationError,
            "300 combinations",
        ),
    ]
    for axes, error, words in cases:
        with pytest.raises(error, match=words), database.write() as s:
            variants.make_variants(s, admin, tee, axes)
    with pytest.raises(NotFound), database.write() as s:
        variants.make_variants(s, admin, "NOPE", {"Size": ["S"]})
    with pytest.raises(PermissionDenied), database.write() as s:
        variants.make_variants(s, role_actor(Role.CASHIER), tee, {"Size": ["S"]})
    with database.write() as s:
        (first,) = variants.make_variants(s, admin, tee, {"Size": ["S"]})
        sku = s.get(Product, first).sku
    with pytest.raises(ValidationError, match="itself a variant"), database.write() as s:
        variants.make_variants(s, admin, sku, {"Size": ["S"]})
    with database.read() as s:
        assert (
            s.scalar(select(Product.id).where(Product.template_id.is_not(None)).limit(2).offset(1))
            is None
        )
