"""Counter sales and the till, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.admin.emulator import read_escpos
from app.core.auth import Role
from app.core.errors import (
    InvalidTransition,
    NotFound,
    OutOfStock,
    PermissionDenied,
    ValidationError,
)
from app.models import Payment, SalesOrder
from app.services.printing import worker as print_worker
from app.services.sales import counter, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender, settle
from app.services.sales.refunds import refund_sale, refundable_lines
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import role_actor
from tests.services.sales.shop import TILL, cart_of


def test_split_payment_sale_moves_stock_records_payments_and_queues_receipt(database, admin, shop):
    coffee, salt = shop
    cart = cart_of(database, coffee, coffee, salt)
    assert [ln.quantity for ln in cart.lines] == [2, 1]
    assert cart.totals() == (2000 + 350, 460, 2810)
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, cart, [Tender("card", 1000, "AUTH 123"), Tender("cash", 2000)], TILL, "till-1"
        )
    assert (sale.total, sale.change) == (2810, 190)
    with database.read() as s:
        order = s.get(SalesOrder, sale.order_id)
        assert (order.status, order.channel) == ("completed", "counter")
        payments = s.execute(
            select(
                Payment.method, Payment.amount, Payment.tendered, Payment.change, Payment.reference
            )
            .where(Payment.order_id == sale.order_id)
            .order_by(Payment.id)
        ).all()
        assert payments == [("card", 1000, None, None, "AUTH 123"), ("cash", 1810, 2000, 190, "")]
        assert sum(r.on_hand for r in catalogue.product_stock(s, coffee)) == 8
        assert sum(r.on_hand for r in catalogue.product_stock(s, salt)) == 4
        text = read_escpos(print_worker.job_bytes(s, sale.receipt_job_id), {})
        assert "TOTAL" in text and f"[QR {sale.number}]" in text and "[DRAWER]" in text
        assert check(s) == []


@pytest.mark.parametrize(
    ("tenders", "message"),
    [
        ([Tender("cash", 1000)], "still to pay"),
        ([Tender("card", 5000)], "more than the total"),
        ([Tender("store_credit", 100), Tender("cash", 5000)], "named customer"),
        ([], "how the customer pays"),
        ([Tender("cheque", 5000)], "not a way to pay"),
        ([Tender("cash", -5)], "cannot be negative"),
    ],
)
def test_bad_payments_write_nothing(database, admin, shop, tenders, message):
    coffee, _ = shop
    with database.write() as s, pytest.raises(ValidationError, match=message):
        counter.complete_sale(s, admin, cart_of(database, coffee), tenders, TILL, "till-1")
    with database.read() as s:
        assert s.scalar(select(SalesOrder.id).where(SalesOrder.channel == "counter")) is None
        assert sum(r.on_hand for r in catalogue.product_stock(s, coffee)) == 10


def test_a_sale_needs_an_open_till_and_stock(database, admin, shop):
    coffee, salt = shop
    with database.write() as s, pytest.raises(InvalidTransition, match="not open"):
        counter.complete_sale(
            s, admin, cart_of(database, coffee), [Tender("cash", 5000)], "Till 9", "x"
        )
    cart = cart_of(database, salt)
    cart.lines[0].quantity = 6
    with database.write() as s, pytest.raises(OutOfStock, match="Only 5 of"):
        counter.complete_sale(s, admin, cart, [Tender("cash", 5000)], TILL, "till-1")
    with database.write() as s, pytest.raises(ValidationError, match="empty"):
        counter.complete_sale(s, admin, Cart(), [Tender("cash", 5000)], TILL, "till-1")


def test_till_from_open_to_z_report(database, admin, shop):
    coffee, salt = shop
    with database.write() as s, pytest.raises(InvalidTransition, match="already open"):
        till.open_session(s, admin, TILL, 5000)
    with database.write() as s:
        counter.complete_sale(
            s, admin, cart_of(database, coffee), [Tender("cash", 2000)], TILL, "t"
        )
        counter.complete_sale(s, admin, cart_of(database, salt), [Tender("card", 350)], TILL, "t")
        till.cash_in(s, admin, TILL, 2000, "change from the bank")
        till.cash_out(s, admin, TILL, 500, "window cleaner")
    with database.read() as s:
        assert till.state(s, TILL).expected_cash == 10_000 + 1230 + 2000 - 500
    with database.write() as s, pytest.raises(ValidationError, match="not that much cash"):
        till.cash_out(s, admin, TILL, 100_000, "too much")
    counted = {5000: 2, 1000: 2, 100: 7, 20: 1}  # 127.20 counted against 127.30 expected
    with database.write() as s:
        report = till.close_session(s, admin, TILL, counted)
    assert report.sales_by_method == {"cash": 1230, "card": 350}
    assert (report.cash_in, report.cash_out, report.sales_count) == (2000, 500, 2)
    assert (report.expected_cash, report.counted_cash, report.difference) == (12730, 12720, -10)
    with database.read() as s:
        assert till.state(s, TILL) is None
    with database.write() as s, pytest.raises(InvalidTransition, match="not open"):
        till.cash_in(s, admin, TILL, 100, "late")
    with database.write() as s:
        till.open_session(s, admin, TILL, 10_000)  # a new day


def test_denominations_are_checked(database, admin, shop):
    with database.write() as s, pytest.raises(ValidationError, match="not a coin or note"):
        till.close_session(s, admin, TILL, {300: 1})
    with database.write() as s, pytest.raises(PermissionDenied):
        till.open_session(s, role_actor(Role.PICKER), "Till 2", 0)


@given(
    total=st.integers(0, 10**7),
    card=st.integers(0, 10**7),
    cash=st.integers(0, 2 * 10**7),
)
def test_settle_never_off_by_a_cent(total, card, cash):
    tenders = [t for t in (Tender("card", card), Tender("cash", cash)) if t.amount] or [
        Tender("cash", 0)
    ]
    try:
        result = settle(total, tenders, "EUR")
    except ValidationError:
        assert card > total or card + cash < total
        return
    applied = sum(p[1] for p in result.payments)
    assert applied == total
    assert result.change == card + cash - total
    assert result.change == 0 or result.cash_taken


def test_gift_card_sold_then_spent_across_sales_and_tills(database, admin, shop):
    from app.services.sales import gift_cards

    coffee, salt = shop
    cart = cart_of(database, salt)
    with database.write() as s:
        code = gift_cards.new_code(s)
        cart.add_gift_card(gift_cards.gift_card_product(s), code, 2000)
    assert cart.totals() == (2350, 0, 2350)  # the card itself carries no tax
    with pytest.raises(ValidationError, match="already in this sale"):
        cart.add_gift_card(cart.lines[1], code, 500)  # type: ignore[arg-type]
    customer = factories.customer(database, admin, "Ines Moreau")
    cart.customer_id = customer
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("cash", 2350)], TILL, "t")
        text = read_escpos(print_worker.job_bytes(s, sale.receipt_job_id), {})
    assert f"[BARCODE {code}]" in text and "Customer: Ines Moreau" in text
    assert "1 x Gift card" in text and text.count(code) == 2  # issue 12: code once, + bars

    with database.write() as s, pytest.raises(ValidationError, match="sold before"):
        gift_cards.check_new_card(s, code, 1000)
    with database.write() as s, pytest.raises(ValidationError, match="a digit is wrong"):
        gift_cards.card_info(s, code[:-1] + str((int(code[-1]) + 1) % 10))

    big = cart_of(database, coffee, coffee)  # 24.60: more than the card holds
    with database.write() as s, pytest.raises(ValidationError, match="has €20.00 left"):
        counter.complete_sale(s, admin, big, [Tender("gift_card", 2460, code)], TILL, "t")
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, big, [Tender("gift_card", 2000, code), Tender("cash", 460)], TILL, "t"
        )
        receipt = read_escpos(print_worker.job_bytes(s, sale.receipt_job_id), {})
    assert "Gift card" in receipt and "Customer:" not in receipt  # a walk-in has no name
    with database.read() as s:
        assert gift_cards.card_info(s, code).balance == 0
        report = till.z_report(s, till.current(s, TILL).id)
        assert report.sales_by_method["gift_card"] == 2000
    # a refund of what the card paid for goes back onto the card
    with database.write() as s:
        coffee_line = refundable_lines(s, sale.order_id)[0]
        refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 1}, TILL)
    with database.read() as s:
        assert gift_cards.card_info(s, code).balance == 1230
        assert check(s) == []


@pytest.mark.parametrize(
    ("code", "amount", "message"),
    [
        ("GC12", 1000, "not a gift card code"),
        ("card with spaces!", 1000, "not a gift card code"),
        ("CARD-000777", 0, "needs an amount"),
        ("CARD-000777", -100, "negative"),
        ("CARD-000777", 10**9, "cannot carry more"),
    ],
)
def test_bad_gift_cards_are_refused(database, code, amount, message):
    from app.services.sales import gift_cards

    with database.write() as s, pytest.raises(ValidationError, match=message):
        gift_cards.check_new_card(s, code, amount)


def test_parked_sales_survive_and_are_resumed_once(database, admin, shop):
    from app.services.sales import parking

    coffee, salt = shop
    cart = cart_of(database, coffee, salt)
    cart.lines[0].discount = 100
    with database.write() as s:
        parked_id = parking.park(s, admin, cart, TILL, "forgot milk")
    with database.read() as s:  # another session: as after a restart, or at another till
        (row,) = parking.parked(s)
    assert (row.label, row.till, row.lines, row.total) == ("forgot milk", TILL, 2, 1480)
    with database.write() as s:
        back = parking.resume(s, admin, parked_id)
    assert back == cart
    with database.write() as s, pytest.raises(NotFound, match="resumed already"):
        parking.resume(s, admin, parked_id)
    with database.write() as s, pytest.raises(ValidationError, match="empty"):
        parking.park(s, admin, Cart(), TILL)


def test_close_and_print_z_closes_the_till_and_queues_its_z_report(database, admin, shop):
    from pathlib import Path

    from app.models import PrintJob
    from app.services.sales.closing import close_and_print_z

    coffee, _salt = shop
    with database.write() as s:
        counter.complete_sale(
            s, admin, cart_of(database, coffee), [Tender("cash", 2000)], TILL, "t"
        )
    with database.write() as s, pytest.raises(ValidationError, match="not a coin or note"):
        close_and_print_z(s, admin, TILL, "till-1", {300: 1})
    with database.read() as s:  # nothing closed, nothing queued
        assert till.state(s, TILL) is not None
        assert s.scalars(select(PrintJob).where(PrintJob.document == "z-report")).all() == []
    with database.write() as s:
        report, path = close_and_print_z(
            s, admin, TILL, "till-1", {5000: 2, 1000: 1, 100: 2, 10: 3}
        )
    assert (report.expected_cash, report.counted_cash, report.difference) == (11230, 11230, 0)
    assert report.sales_by_method == {"cash": 1230}
    assert Path(path).read_bytes().startswith(b"%PDF")
    with database.read() as s:
        assert till.state(s, TILL) is None
        (job,) = s.scalars(select(PrintJob).where(PrintJob.document == "z-report")).all()
        assert job.workstation == "till-1"
    with database.write() as s, pytest.raises(InvalidTransition, match="not open"):
        close_and_print_z(s, admin, TILL, "till-1", {})
