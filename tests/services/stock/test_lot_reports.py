"""The lot books' answers: the expiring-soon list (expired first, paged, by warehouse) and
a lot's trace from its purchase order and supplier to the orders and customers it went to.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import NotFound, ValidationError
from app.models import Lot, Product, PurchaseOrder, PurchaseOrderLine, SalesOrder, Warehouse
from app.services.purchasing import suppliers
from app.services.purchasing.suppliers import SupplierInput
from app.services.sales import counter, till
from app.services.sales.counter import Tender
from app.services.stock import lot_reports, lots
from app.services.stock.inventory import MoveRef
from tests import factories
from tests.services.sales.shop import TILL, cart_of


def _lot_product(database, admin, name="Greek yoghurt") -> int:
    pid = factories.product(database, admin, name=name, price=250)
    with database.write() as s:
        s.get(Product, pid).tracking = "lot"
    return pid


def test_expiring_lists_lots_within_the_days_expired_first(database, admin):
    pid = _lot_product(database, admin)
    today = lots.today()
    with database.write() as s:
        main = factories.main_bin(s)
        product = s.get(Product, pid)
        for code, days in (("Y-40", 40), ("Y-10", 10), ("Y-OLD", 2), ("Y-NONE", None)):
            expiry = today + timedelta(days=days) if days is not None else None
            lots.receive_lot(s, admin, product, main, 2, code, expiry, MoveRef())
        s.query(Lot).filter(Lot.code == "Y-OLD").one().expires_on = today - timedelta(days=1)
        warehouse = s.query(Warehouse).first().code
    with database.read() as s:
        rows = lot_reports.expiring(s, admin, 30)
        assert [r.lot for r in rows] == ["Y-OLD", "Y-10"]
        assert rows[1].expires_on == today + timedelta(days=10) and rows[1].on_hand == 2
        assert [r.lot for r in lot_reports.expiring(s, admin, 60, warehouse)] == [
            "Y-OLD",
            "Y-10",
            "Y-40",
        ]
        assert [r.lot for r in lot_reports.expiring(s, admin, 60, offset=1, limit=1)] == ["Y-10"]
        with pytest.raises(NotFound, match="no warehouse NOPE"):
            lot_reports.expiring(s, admin, 30, "nope")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.integers(-(10**6), -1), st.integers(3651, 10**9), st.booleans(), st.text()))
def test_expiring_refuses_a_bad_number_of_days(database, admin, days):
    with database.read() as s, pytest.raises(ValidationError, match="days"):
        lot_reports.expiring(s, admin, days)


def test_trace_shows_the_supplier_side_and_the_order_side(database, admin):
    pid = _lot_product(database, admin, "Olive oil")
    with database.write() as s:
        supplier = suppliers.create_supplier(s, admin, SupplierInput("Oliveira Lda"))
        main = factories.main_bin(s)
        order = PurchaseOrder(
            number="PO-000077", supplier_id=supplier, warehouse_id=s.query(Warehouse).first().id
        )
        s.add(order)
        s.flush()
        line = PurchaseOrderLine(order_id=order.id, product_id=pid, ordered=5, unit_cost=400)
        s.add(line)
        s.flush()
        expiry = lots.today() + timedelta(days=200)
        ref = MoveRef(lot_reports.PURCHASE_LINE_REF, line.id)
        lots.receive_lot(s, admin, s.get(Product, pid), main, 5, "OIL-7", expiry, ref)
        till.open_session(s, admin, TILL, 10_000, "till-1")
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, cart_of(database, pid, pid), [Tender("cash", 500)], TILL, "till-1"
        )
    with database.read() as s:
        found = lot_reports.trace(s, admin, s.get(Product, pid).sku.lower(), "OIL-7")
        sku = s.get(Product, pid).sku
        number = s.get(SalesOrder, sale.order_id).number
        with pytest.raises(NotFound, match=f"{sku} has no lot or serial OIL-8"):
            lot_reports.trace(s, admin, sku, "OIL-8")
    assert found.lot == "OIL-7" and found.expires_on == expiry
    (receipt,) = found.received
    assert (receipt.quantity, receipt.purchase_order, receipt.supplier) == (
        5,
        "PO-000077",
        "Oliveira Lda",
    )
    (delivery,) = found.delivered
    assert (delivery.quantity, delivery.order) == (2, number) and delivery.customer
    assert found.on_hand == ((receipt.bin, 3),)
