"""A supplier with a code and terms, two products it sells, a second bin: what every
purchase-order test starts from."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.models import Product
from app.services.purchasing import suppliers
from app.services.purchasing.suppliers import SupplierInput, TermsInput
from tests import factories


@dataclass(frozen=True)
class Buying:
    supplier_id: int
    plain: int  # product id: tracks nothing, cost 300, terms cost 250 as ACME-P
    lotted: int  # tracks lots, no terms, cost 400
    plain_sku: str
    lotted_sku: str
    shelf: int  # MAIN-STOCK
    other: int  # MAIN-B2


@pytest.fixture
def buying(database, admin) -> Buying:
    plain = factories.product(database, admin)
    lotted = factories.product(database, admin)
    with database.write() as s:
        s.get(Product, plain).cost = 300
        s.get(Product, lotted).cost = 400
        s.get(Product, lotted).tracking = "lot"
        plain_sku, lotted_sku = (
            s.scalar(select(Product.sku).where(Product.id == pid)) for pid in (plain, lotted)
        )
        supplier = suppliers.create_supplier(
            s, admin, SupplierInput("Acme Supplies", "orders@acme.example", code="acme")
        )
        suppliers.set_terms(s, admin, supplier, TermsInput(plain_sku, "ACME-P", 250, 1, 1))
        shelf = factories.main_bin(s)
        other = factories.bin_beside_main(s, "MAIN-B2", 2)
    return Buying(supplier, plain, lotted, plain_sku, lotted_sku, shelf, other)
