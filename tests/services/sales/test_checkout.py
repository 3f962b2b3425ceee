"""The counter's session-level use cases (services/sales/checkout.py), on SQLite and
PostgreSQL: the keyed sale answers its earlier self, the refund lookup tells a counter
sale from anything else, a gift card line gets its code, and a short shelf is named."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core import idempotency
from app.core.auth import Role
from app.core.errors import PermissionDenied, ValidationError
from app.models import Barcode, SalesOrder
from app.services.sales import checkout, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.stock import catalogue
from tests import factories
from tests.conftest import role_actor

TILL = "Till 1"


def _cart(database, product_id, quantity=1):
    with database.read() as s:
        code = s.scalar(select(Barcode.code).where(Barcode.product_id == product_id))
        hit = catalogue.find_by_code(s, code)
    cart = Cart()
    cart.add(hit, quantity)
    return cart


@pytest.fixture
def coffee(database, admin):
    pid = factories.product(database, admin, price=1230, stock=10, name="Coffee beans")
    with database.write() as s:
        till.open_session(s, admin, TILL, 10_000, "till-1")
    return pid


def _sales(database):
    with database.read() as s:
        return s.scalar(select(func.count()).select_from(SalesOrder))


def test_a_sale_run_again_under_its_key_answers_the_first(database, admin, coffee):
    cart, key = _cart(database, coffee, 2), idempotency.new_key()
    tenders = [Tender("cash", 3000)]
    before = _sales(database)
    with database.write() as s:
        first = checkout.sell(s, admin, cart, tenders, TILL, "till-1", key)
    with database.write() as s:  # the retry after a lost COMMIT answer
        again = checkout.sell(s, admin, cart, tenders, TILL, "till-1", key)
    assert (again.order_id, again.number, again.change) == (first.order_id, first.number, 540)
    assert again.replayed and not first.replayed
    assert _sales(database) == before + 1


def test_a_sale_needs_the_permission_before_anything_is_written(database, coffee):
    picker = role_actor(Role.PICKER)
    with pytest.raises(PermissionDenied), database.write() as s:
        checkout.sell(s, picker, _cart(database, coffee), [Tender("cash", 1230)], TILL, "w", "k1")


def test_the_refund_lookup_tells_a_counter_sale_from_anything_else(database, admin, coffee):
    with database.write() as s:
        sale = checkout.sell(
            s, admin, _cart(database, coffee), [Tender("cash", 1230)], TILL, "till-1", "k-refund"
        )
    with database.read() as s:
        found = checkout.refund_lookup(s, sale.number.lower())
        missing = checkout.refund_lookup(s, "SO-999999")
    assert found.order_id == sale.order_id
    assert [(ln.refundable, ln.sold) for ln in found.lines] == [(1, 1)]
    assert missing == checkout.RefundLookup(None, [])


def test_a_gift_card_line_gets_a_new_code_or_keeps_the_scanned_one(database, admin):
    with database.write() as s:
        new_code, hit = checkout.gift_card_line(s, "  ", 2500)
        scanned, _hit = checkout.gift_card_line(s, "CARD-777001", 2500)
    assert new_code.startswith("GC") and scanned == "CARD-777001"
    assert hit.product_id
    with pytest.raises(ValidationError), database.write() as s:
        checkout.gift_card_line(s, "CARD-1", 0)


def test_a_short_shelf_is_named_at_the_scan(database, admin):
    tracked = factories.product(database, admin, stock=2)
    loose = factories.product(database, admin, track=False)
    with database.read() as s:
        assert checkout.shelf_shortfall(s, tracked, 2) is None
        assert checkout.shelf_shortfall(s, tracked, 3) == 2
        assert checkout.shelf_shortfall(s, loose, 50) is None
