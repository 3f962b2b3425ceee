"""app/services/stock/tax_classes.py on SQLite and PostgreSQL: a product in a class takes
its rate, a new rate in Settings re-rates every product of the class (audited, noticed, and
the next scan at the counter sells at it), a class in use cannot vanish."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.core import changes
from app.core.errors import ValidationError
from app.models import AuditEntry, Product
from app.services import shop
from app.services.stock import catalogue, products, tax_classes
from app.services.stock.lookup import CodeLookup
from app.services.stock.products import BulkEdit, ProductForm


def _save(database, admin, product_id=None, **kw) -> int:
    form = ProductForm(**{"sku": "TEA-1", "name": "Green tea", "price": 450, **kw})
    with database.write() as s:
        return products.save(s, admin, form, product_id)


def _rates(database, *skus) -> list[tuple[str, int]]:
    with database.read() as s:
        rows = {
            sku: (cls, rate)
            for sku, cls, rate in s.execute(
                select(Product.sku, Product.tax_class, Product.tax_rate_bp)
            )
        }
    return [rows[sku] for sku in skus]


def _set_classes(database, admin, classes: dict[str, int]) -> None:
    with database.write() as s:
        details = shop.shop_details(s)
        shop.update_shop(s, admin, replace(details, tax_classes=classes))


def test_a_class_brings_its_rate_and_a_typed_rate_leaves_it(database, admin):
    pid = _save(database, admin, tax_class="reduced", tax_rate_bp=5)
    assert _rates(database, "TEA-1") == [("Reduced", 1350)]  # the shop's spelling and rate
    with database.read() as s:
        got = products.detail(s, admin, pid)
    assert (got.tax_class, got.tax_rate_bp) == ("Reduced", 1350)
    with database.write() as s:
        catalogue.update_product(s, admin, pid, tax_rate_bp=1350)  # the class's own rate
    assert _rates(database, "TEA-1") == [("Reduced", 1350)]
    with database.write() as s:
        catalogue.update_product(s, admin, pid, tax_rate_bp=900)
    assert _rates(database, "TEA-1") == [("", 900)]
    _save(database, admin, pid, tax_class="", tax_rate_bp=700)
    assert _rates(database, "TEA-1") == [("", 700)]


def test_an_unknown_class_is_refused_naming_the_shops(database, admin):
    with pytest.raises(ValidationError, match="no tax class 'Luxury'.*Standard, Reduced, Zero"):
        _save(database, admin, tax_class="Luxury")
    with database.read() as s:
        assert s.scalar(select(Product.id).where(Product.sku == "TEA-1")) is None


def test_a_new_rate_re_rates_the_class_audited_and_the_counter_follows(database, admin):
    tea = _save(database, admin, tax_class="Reduced")
    _save(database, admin, sku="MUG-1", name="Mug", tax_class="Standard")
    _save(database, admin, sku="OWN-1", name="Own", tax_rate_bp=1350)  # same rate, no class
    seen: list[changes.ChangeSet] = []
    lookup = CodeLookup(database.engine)  # the counter's scanner connection, opened first
    changes.subscribe(seen.append)
    try:
        assert lookup.find("TEA-1").tax_rate_bp == 1350
        _set_classes(database, admin, {"Standard": 2300, "Reduced": 900, "Zero": 0})
        scanned = lookup.find("TEA-1")  # the next scan at the counter
    finally:
        changes.unsubscribe(seen.append)
        lookup.close()
    assert scanned is not None and scanned.tax_rate_bp == 900
    assert _rates(database, "TEA-1", "MUG-1", "OWN-1") == [
        ("Reduced", 900),
        ("Standard", 2300),
        ("", 1350),
    ]
    assert any(tea in c.products for c in seen)
    with database.read() as s:
        said = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "product.tax_class")
        ).all()
        hit = catalogue.find_by_code(s, "TEA-1")
    assert said == ["13.5 % -> 9 % on 1 product(s)"]
    assert hit is not None and hit.tax_rate_bp == 900


def test_a_class_in_use_cannot_go_but_may_be_respelled(database, admin):
    _save(database, admin, tax_class="Reduced")
    with pytest.raises(ValidationError, match="1 product\\(s\\) are in the tax class 'Reduced'"):
        _set_classes(database, admin, {"Standard": 2300, "Zero": 0})
    with database.read() as s:
        assert "Reduced" in shop.shop_details(s).tax_classes  # nothing stored
    _set_classes(database, admin, {"Standard": 2300, "REDUCED": 1350, "Zero": 0})
    assert _rates(database, "TEA-1") == [("REDUCED", 1350)]
    _set_classes(database, admin, {"Standard": 2300, "REDUCED": 1350})  # Zero was unused


def test_bulk_set_a_class_and_a_class_name_fits_the_column(database, admin):
    a = _save(database, admin)
    b = _save(database, admin, sku="MUG-1", name="Mug", tax_rate_bp=500)
    with database.write() as s:
        assert products.bulk_edit(s, admin, [a, b], BulkEdit(tax_class="Zero")) == 2
    assert _rates(database, "TEA-1", "MUG-1") == [("Zero", 0), ("Zero", 0)]
    with database.write() as s, pytest.raises(ValidationError, match="not both"):
        products.bulk_edit(s, admin, [a], BulkEdit(tax_class="Zero", tax_rate_bp=1))
    with pytest.raises(ValidationError, match="at most 20"):
        _set_classes(database, admin, {"x" * (tax_classes.NAME_MAX + 1): 100})
