"""Suppliers: create, update, list and search; contacts; per-product terms (one row per
supplier and product) and a product's suppliers; managers only change them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.auth import Role
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.models import Product
from app.services.purchasing import suppliers
from app.services.purchasing.suppliers import SupplierInput, TermsInput
from app.services.sales.customer_detail import get_customer
from app.services.sales.customer_search import find_customers
from app.services.sales.customers import CustomerInput
from tests import factories
from tests.conftest import role_actor

MANAGER = role_actor(Role.MANAGER)
CLERK = role_actor(Role.CLERK)


def _sku(database, product_id):
    with database.read() as s:
        return s.scalar(select(Product.sku).where(Product.id == product_id))


def test_suppliers_their_contacts_and_terms(database, admin):
    product = factories.product(database, admin)
    sku = _sku(database, product)
    with database.write() as s:
        beans = suppliers.create_supplier(
            s, MANAGER, SupplierInput("Bean Co", "sales@bean.example", "", "usd", 14, "30 days")
        )
        other = suppliers.create_supplier(s, MANAGER, SupplierInput("Other Roasters"))
        suppliers.add_supplier_contact(
            s, MANAGER, beans, CustomerInput("Ada Sales", "ada@bean.example")
        )
        suppliers.set_terms(s, MANAGER, beans, TermsInput(sku, "BC-1", 450, 12, 6))
        suppliers.set_terms(s, MANAGER, beans, TermsInput(sku, "BC-1b", 430, 24, 12))  # update
        suppliers.set_terms(s, MANAGER, other, TermsInput(sku, "", 500))
        suppliers.update_supplier(
            s, MANAGER, other, SupplierInput("Other Roasters Ltd", currency="EUR", lead_time_days=3)
        )
    with database.read() as s:
        listed = suppliers.list_suppliers(s, CLERK)
        assert [r.name for r in listed] == ["Bean Co", "Other Roasters Ltd"]
        assert listed[0].currency == "USD" and listed[0].lead_time_days == 14
        assert [r.name for r in suppliers.list_suppliers(s, CLERK, "bean")] == ["Bean Co"]
        terms = suppliers.product_suppliers(s, CLERK, product)
        assert [(t.supplier_name, t.cost, t.min_order_qty, t.pack_size) for t in terms] == [
            ("Bean Co", 430, 24, 12),
            ("Other Roasters Ltd", 500, 1, 1),
        ]
        assert [t.supplier_sku for t in suppliers.supplier_terms(s, CLERK, beans)] == ["BC-1b"]
        assert [c.name for c in get_customer(s, CLERK, beans).contacts] == ["Ada Sales"]
        assert find_customers(s, CLERK, "bean co") == []  # a supplier is not a customer
    with database.write() as s:
        suppliers.remove_terms(s, MANAGER, other, product)
    with database.read() as s:
        assert len(suppliers.product_suppliers(s, CLERK, product)) == 1


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (TermsInput("NOPE"), "SKU"),
        (TermsInput("", cost=1), "SKU"),
        ("cost", "Cost"),
        ("moq", "Minimum order"),
        ("pack", "Pack size"),
    ],
)
def test_bad_terms_name_the_field(database, admin, terms, field):
    product = factories.product(database, admin)
    sku = _sku(database, product)
    bad = {
        "cost": TermsInput(sku, cost=-1),
        "moq": TermsInput(sku, min_order_qty=0),
        "pack": TermsInput(sku, pack_size=-3),
    }.get(terms, terms)
    with database.write() as s:
        supplier = suppliers.create_supplier(s, MANAGER, SupplierInput("Bean Co"))
    with database.write() as s, pytest.raises(ValidationError, match=field):
        suppliers.set_terms(s, MANAGER, supplier, bad)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (SupplierInput(""), "Name"),
        (SupplierInput("X", currency="EURO"), "Currency"),
        (SupplierInput("X", lead_time_days=-1), "Lead time"),
        (SupplierInput("X", email="not-mail"), "e-mail"),
    ],
)
def test_bad_supplier_names_the_field(database, data, field):
    with database.write() as s, pytest.raises(ValidationError, match=field):
        suppliers.create_supplier(s, MANAGER, data)


def test_a_clerk_may_read_but_not_change(database):
    with database.write() as s, pytest.raises(PermissionDenied):
        suppliers.create_supplier(s, CLERK, SupplierInput("Bean Co"))
    with database.read() as s:
        assert suppliers.list_suppliers(s, CLERK) == []


def test_merging_duplicate_suppliers_moves_terms_the_survivor_lacks(database, admin):
    from app.services.sales.customer_merge import merge_customers
    from app.services.stock.integrity import check

    shared, only_dup = factories.product(database, admin), factories.product(database, admin)
    with database.write() as s:
        keep = suppliers.create_supplier(s, MANAGER, SupplierInput("Bean Co"))
        dup = suppliers.create_supplier(s, MANAGER, SupplierInput("Bean Company"))
        suppliers.set_terms(s, MANAGER, keep, TermsInput(_sku(database, shared), "", 400))
        suppliers.set_terms(s, MANAGER, dup, TermsInput(_sku(database, shared), "", 999))
        suppliers.set_terms(s, MANAGER, dup, TermsInput(_sku(database, only_dup), "", 300))
    with database.write() as s:
        result = merge_customers(s, MANAGER, keep, dup)
    assert result.supplier_terms == 1
    with database.read() as s:
        terms = {t.product_id: t.cost for t in suppliers.supplier_terms(s, CLERK, keep)}
        assert terms == {shared: 400, only_dup: 300}
        assert [r.name for r in suppliers.list_suppliers(s, CLERK)] == ["Bean Co"]
        assert check(s) == []


def test_supplier_codes_are_unique_without_regard_to_case(database):
    with database.write() as s:
        acme = suppliers.create_supplier(s, MANAGER, SupplierInput("Acme", code=" acme-1 "))
        other = suppliers.create_supplier(s, MANAGER, SupplierInput("Other"))
        assert suppliers.supplier_by_code(s, "ACME-1").id == acme
        assert suppliers.supplier_by_code(s, acme).name == "Acme"
        assert suppliers.supplier_by_code(s, str(other)).name == "Other"
        suppliers.update_supplier(s, MANAGER, acme, SupplierInput("Acme Ltd"))  # code kept
        assert suppliers.supplier_by_code(s, "acme-1").name == "Acme Ltd"
        assert [r.code for r in suppliers.list_suppliers(s, CLERK)] == ["ACME-1", ""]
    for data, words in (
        (SupplierInput("Copy", code="Acme-1"), "belongs to Acme Ltd"),
        (SupplierInput("Bad", code="no spaces"), "letters, digits"),
        (SupplierInput("Long", code="X" * 21), "at most 20"),
    ):
        with pytest.raises(ValidationError, match=words), database.write() as s:
            suppliers.create_supplier(s, MANAGER, data)
    with pytest.raises(ValidationError, match="belongs to"), database.write() as s:
        suppliers.update_supplier(s, MANAGER, other, SupplierInput("Other", code="ACME-1"))
    with database.write() as s:
        suppliers.update_supplier(s, MANAGER, acme, SupplierInput("Acme Ltd", code=""))
        with pytest.raises(NotFound, match="no supplier"):
            suppliers.supplier_by_code(s, "ACME-1")
