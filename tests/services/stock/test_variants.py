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


def test_dimensions_typed_saved_and_read_back(database, admin, tee):
    from hypothesis import given
    from hypothesis import strategies as st

    from app.services.stock import products

    assert products.parse_dimensions(" 30 x 20 × 10,5 cm ") == (300, 200, 105)
    assert products.parse_dimensions("") == (0, 0, 0)
    for bad in ("30 x 20", "a x b x c", "1e9 x 1 x 1", "-1 x 2 x 3", "30x20x10x5", "1.25 x 1 x 1"):
        with pytest.raises(ValidationError, match="length x width x height"):
            products.parse_dimensions(bad)

    @given(st.tuples(*(st.integers(0, 99_999),) * 3))
    def round_trip(mm):
        assert products.parse_dimensions(products.dimensions_text(mm) or "") == mm

    round_trip()
    with database.write() as s:
        pid = s.scalar(select(Product.id).where(Product.sku == tee))
        detail = products.detail(s, admin, pid)
        form = products.ProductForm(
            sku=detail.sku, name=detail.name, price=detail.price, dimensions_mm=(300, 200, 105)
        )
        products.save(s, admin, form, pid, detail.version)
    with database.read() as s:
        assert products.detail(s, admin, pid).dimensions_mm == (300, 200, 105)
    with pytest.raises(ValidationError, match="more than 100 m"), database.write() as s:
        form = products.ProductForm(sku=tee, name="T", price=1, dimensions_mm=(100_001, 1, 1))
        products.save(s, admin, form, pid)
