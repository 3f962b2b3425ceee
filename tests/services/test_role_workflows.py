"""Each role's day, through the services, as that role: the permission matrix proves who is
refused; these prove that the people who should can still do their work (a refund slip
that needed settings.manage once refused every cashier's refund)."""

from __future__ import annotations

from sqlalchemy import select

from app.core import auth
from app.core.auth import Role
from app.models import PrintJob, SalesOrder
from app.services.printing import documents, printers
from app.services.sales import (
    counter,
    customers,
    gift_cards,
    order_actions,
    order_entry,
    refunds,
    till,
)
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock.integrity import check
from tests import factories

WS = "till-7"


def _person(database, admin, role: Role, name: str) -> auth.Actor:
    with database.write() as s:
        created = auth.create_user(s, admin, name, f"{name}-pass-2026", role, name.title())
    return auth.Actor(created.user_id, name, name.title(), role, WS)


def _cart(database, *product_ids) -> Cart:
    cart = Cart()
    with database.read() as s:
        for pid in product_ids:
            from app.services.stock.catalogue import find_by_code, product_rows

            cart.add(find_by_code(s, product_rows(s, [pid])[0].sku), 1)
    return cart


def test_a_cashiers_day(database, admin):
    coffee = factories.product(database, admin, price=1230, stock=10, name="Coffee beans")
    tea = factories.product(database, admin, price=640, stock=10, name="Green tea")
    cashier = _person(database, admin, Role.CASHIER, "cara")
    with database.write() as s:
        printers.ensure_preview_printers(s, WS)
        till.open_session(s, cashier, WS, 10_000, WS)
        till.cash_in(s, cashier, WS, 500, "change from the bank")
        customer = customers.create_customer(s, cashier, customers.CustomerInput(name="Ines"))
    cart = _cart(database, coffee, tea)
    cart.customer_id = customer
    with database.write() as s:
        cash_sale = counter.complete_sale(
            s, cashier, cart, [Tender("cash", 2000)], WS, WS, key="k-cash-1"
        )
    with database.write() as s:  # a gift card sold, then spent at the same till
        card = _cart(database)
        code = gift_cards.new_code(s)
        card.add_gift_card(gift_cards.gift_card_product(s), code, 1500)
        counter.complete_sale(s, cashier, card, [Tender("card", 1500, "T-1")], WS, WS)
    with database.write() as s:
        spent = counter.complete_sale(
            s, cashier, _cart(database, tea), [Tender("gift_card", 640, code)], WS, WS
        )
    with database.read() as s:
        coffee_line = next(
            ln
            for ln in refunds.refundable_lines(s, cash_sale.order_id)
            if ln.name == "Coffee beans"
        )
        tea_line = next(ln for ln in refunds.refundable_lines(s, spent.order_id))
    with database.write() as s:
        refunds.refund_sale(s, cashier, cash_sale.order_id, {coffee_line.line_id: 1}, WS, "cash")
        refunds.refund_sale(s, cashier, spent.order_id, {tea_line.line_id: 1}, WS)  # to the card
        assert gift_cards.card_info(s, code).balance == 1500
    with database.write() as s:
        report = till.close_session(s, cashier, WS, {5000: 2})
        documents.print_z_report(s, cashier, WS, report)
    with database.read() as s:
        printed = set(s.scalars(select(PrintJob.document).where(PrintJob.workstation == WS)))
        assert {"receipt", "refund-slip", "z-report"} <= printed
        assert s.get(SalesOrder, cash_sale.order_id).status == "partly_refunded"
        assert check(s) == []


def test_a_clerks_day(database, admin):
    mug = factories.product(database, admin, price=900, stock=20, name="Blue mug")
    clerk = _person(database, admin, Role.CLERK, "cleo")
    customer = factories.customer(database, admin, "Pia Lindqvist")
    with database.write() as s:
        printers.ensure_preview_printers(s, WS)
        first = order_entry.create_order(
            s, clerk, OrderInput("phone", (LineInput(mug, 2),), customer_id=customer)
        )
        second = order_entry.create_order(
            s, clerk, OrderInput("email", (LineInput(mug, 1),), customer_id=customer)
        )
    with database.write() as s:
        order_actions.accept(s, clerk, first.id)
        order_actions.hold(s, clerk, first.id, "customer asked to wait")
        order_actions.release(s, clerk, first.id)
        order_actions.confirm(s, clerk, first.id)
        order_actions.cancel(s, clerk, second.id, "ordered twice")
        documents.print_document(s, clerk, WS, first.id, "invoice")
    with database.read() as s:
        assert s.get(SalesOrder, first.id).status == "confirmed"
        assert s.get(SalesOrder, second.id).status == "cancelled"
        assert check(s) == []
