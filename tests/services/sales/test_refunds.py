"""Refunds at the counter, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.auth import Role
from app.core.errors import (
    ValidationError,
)
from app.models import OrderEvent, Payment, SalesOrder
from app.services.printing import printers
from app.services.sales import counter, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.sales.refunds import refund_sale, refundable_lines
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests.services.sales.shop import TILL, cart_of


def test_refund_at_the_counter_restocks_and_pays_back(database, admin, shop):
    coffee, salt = shop
    cart = cart_of(database, coffee, coffee, coffee, salt)
    cart.lines[0].discount = 100  # 3 coffees for 35.90 -1.00
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("card", cart.totals()[2])], TILL, "t")
    with database.read() as s:
        lines = refundable_lines(s, sale.order_id)
    coffee_line = next(ln for ln in lines if ln.product_id == coffee)
    with database.write() as s:
        first = refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 1}, TILL)
    with database.read() as s:  # the list and the order say so
        assert s.get(SalesOrder, sale.order_id).status == "partly_refunded"
    with database.write() as s:
        second = refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 2}, TILL)
    assert first + second == 3 * 1230 - 100  # partial refunds add up to the line exactly
    with database.read() as s:
        assert s.get(SalesOrder, sale.order_id).status == "partly_refunded"  # the salt stays
        salt_line = next(ln for ln in refundable_lines(s, sale.order_id) if ln.refundable)
    with database.write() as s, pytest.raises(ValidationError, match="Only 0 of"):
        refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 1}, TILL)
    with database.write() as s:
        refund_sale(s, admin, sale.order_id, {salt_line.line_id: 1}, TILL)
    with database.read() as s:
        order = s.get(SalesOrder, sale.order_id)
        assert order.status == "refunded"
        events = s.scalars(
            select(OrderEvent.to_status)
            .where(OrderEvent.order_id == order.id, OrderEvent.kind == "refunded")
            .order_by(OrderEvent.id)
        ).all()
        assert events == [
            "partly_refunded",
            "partly_refunded",
            "refunded",
        ]
    with database.write() as s, pytest.raises(ValidationError, match="refunded in full"):
        refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 1}, TILL)
    with database.read() as s:
        assert sum(r.on_hand for r in catalogue.product_stock(s, coffee)) == 10  # all back
        refunds = s.execute(
            select(Payment.method, Payment.amount).where(Payment.kind == "refund")
        ).all()
        assert [m for m, _ in refunds] == ["card", "card", "card"]  # the sale's own method
        assert check(s) == []
        report = till.z_report(s, till.current(s, TILL).id)
        assert report.refunds_by_method == {"card": 3590 + 350}


def test_refund_rules(database, admin, shop):
    coffee, _ = shop
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, cart_of(database, coffee), [Tender("cash", 1230)], TILL, "t"
        )
    with database.read() as s:
        (line,) = refundable_lines(s, sale.order_id)
    with database.write() as s, pytest.raises(ValidationError, match="Choose what comes back"):
        refund_sale(s, admin, sale.order_id, {line.line_id: 0}, TILL)
    with database.write() as s, pytest.raises(ValidationError, match="not part of"):
        refund_sale(s, admin, sale.order_id, {999_999: 1}, TILL)
    with database.write() as s:
        assert refund_sale(s, admin, sale.order_id, {line.line_id: 1}, TILL) == 1230


def test_a_sold_gift_card_is_not_refunded_at_the_counter(database, admin, shop):
    from app.services.sales import gift_cards

    cart = Cart()
    with database.write() as s:
        cart.add_gift_card(gift_cards.gift_card_product(s), "CARD-000123", 1500)
        sale = counter.complete_sale(s, admin, cart, [Tender("card", 1500)], TILL, "t")
        (line,) = refundable_lines(s, sale.order_id)
    with database.write() as s, pytest.raises(ValidationError, match="not refunded"):
        refund_sale(s, admin, sale.order_id, {line.line_id: 1}, TILL)


def test_a_cashier_refunds_at_the_counter_and_the_slip_is_queued(database, admin, shop):
    """The refund slip is the cashier's to print (it may open the drawer): a cashier's
    refund goes through, with its slip in the queue."""
    from app.core import auth
    from app.models import PrintJob

    coffee, _salt = shop
    with database.write() as s:
        printers.ensure_preview_printers(s, "t")
        created = auth.create_user(s, admin, "cara", "cara-pass-77", Role.CASHIER, "Cara")
    cashier = auth.Actor(created.user_id, "cara", "Cara", Role.CASHIER, "t")
    cart = cart_of(database, coffee)
    with database.write() as s:
        sale = counter.complete_sale(
            s, cashier, cart, [Tender("cash", cart.totals()[2])], TILL, "t"
        )
    with database.read() as s:
        line = refundable_lines(s, sale.order_id)[0]
    with database.write() as s:
        refund_sale(s, cashier, sale.order_id, {line.line_id: 1}, TILL)
    with database.read() as s:
        slips = s.scalars(select(PrintJob.document).where(PrintJob.order_id == sale.order_id))
        assert "refund-slip" in set(slips)


def test_an_untracked_item_is_refunded_once(database, admin, shop):
    """A service or a loose item moves no stock; its refund still counts."""
    from app.services.stock import catalogue
    from app.services.stock.catalogue import ProductInput

    coffee, _salt = shop
    with database.write() as s:
        catalogue.create_product(
            s, admin, ProductInput("GIFTWRAP", "Gift wrapping", 350, track_stock=False)
        )
    cart = cart_of(database, coffee)
    with database.read() as s:
        from app.services.stock.catalogue import find_by_code

        cart.add(find_by_code(s, "GIFTWRAP"), 1)
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("card", cart.totals()[2])], TILL, "t")
    with database.read() as s:
        wrap = next(ln for ln in refundable_lines(s, sale.order_id) if ln.name == "Gift wrapping")
    with database.write() as s:
        refund_sale(s, admin, sale.order_id, {wrap.line_id: 1}, TILL)
    with database.write() as s, pytest.raises(ValidationError, match="Only 0 of Gift wrapping"):
        refund_sale(s, admin, sale.order_id, {wrap.line_id: 1}, TILL)
    with database.read() as s:
        assert s.get(SalesOrder, sale.order_id).status == "partly_refunded"
