"""Receipts tell the whole sale: discounts as lines of their own, a refund slip for a
refund at the counter (through the print queue), a gift card's code once, product labels
without the gift card; read back through the emulator's reading."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.admin.emulator import read_escpos
from app.models import Barcode
from app.printing.documents import Company, ReceiptData, ReceiptLine, receipt
from app.printing.escpos import EscposTarget, render_receipt
from app.services.printing import documents, printers
from app.services.printing import queue as printing
from app.services.printing import worker as print_worker
from app.services.sales import counter, gift_cards, till
from app.services.sales.cart import Cart, spread_discount
from app.services.sales.counter import Tender
from app.services.sales.refunds import refund_sale, refundable_lines
from app.services.stock import catalogue
from tests import factories
from tests.printing.conftest import RECEIPT

TILL = "Till 1"


@pytest.fixture
def shop(database, admin):
    coffee = factories.product(database, admin, price=1230, stock=10, name="Coffee beans")
    salt = factories.product(database, admin, price=350, tax=0, stock=5, name="Sea salt")
    with database.write() as s:
        till.open_session(s, admin, TILL, 10_000, "till-1")
    return coffee, salt


def _cart(database, *product_ids) -> Cart:
    cart = Cart()
    for pid in product_ids:
        with database.read() as s:
            code = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
            cart.add(catalogue.find_by_code(s, code))
    return cart


def _reading(database, job_id) -> str:
    with database.read() as s:
        return read_escpos(print_worker.job_bytes(s, job_id))


def _amount(text: str) -> int:
    return round(float(text.replace("€", "").replace(",", "")) * 100)


def test_line_and_sale_discounts_print_as_their_own_lines_and_add_up(database, admin, shop):
    coffee, salt = shop
    cart = _cart(database, coffee, coffee, salt)
    cart.lines[0].discount = 200  # on the line
    spread_discount(cart, 100)  # on the whole sale
    total = cart.totals()[2]
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("card", total)], TILL, "till-1")
    text = _reading(database, sale.receipt_job_id)
    assert "2 x Coffee beans @ €12.30" in text
    rows = re.findall(r"^(.*?)\s+(-?€[\d,.]+)$", text, re.MULTILINE)
    items = rows[: [r[0] for r in rows].index("Discounts")]
    assert [r[0].strip() for r in items] == [
        "2 x Coffee beans @ €12.30",
        "Discount",
        "1 x Sea salt",
        "Discount",
    ]
    assert [r[1] for r in items][::2] == ["€24.60", "€3.50"]  # before discount
    discounts = [-_amount(r[1].lstrip("-")) for r in items[1::2]]
    assert sum(discounts) == -300  # both discounts, each on its own line
    assert sum(_amount(r[1]) for r in items[::2]) + sum(discounts) == total
    assert re.search(rf"^TOTAL\s+€{total / 100:.2f}$", text, re.MULTILINE)
    assert re.search(r"^Discounts\s+-€3\.00$", text, re.MULTILINE)


@pytest.mark.parametrize(("method", "drawer"), [("card", False), ("cash", True)])
def test_a_refund_at_the_counter_prints_a_refund_slip_through_the_queue(
    database, admin, shop, method, drawer
):
    coffee, salt = shop
    cart = _cart(database, coffee, salt)
    total = cart.totals()[2]
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender(method, total)], TILL, "till-1")
    with database.read() as s:
        lines = refundable_lines(s, sale.order_id)
    coffee_line = next(ln for ln in lines if ln.product_id == coffee)
    with database.write() as s:
        refund_sale(s, admin, sale.order_id, {coffee_line.line_id: 1}, TILL)
    with database.read() as s:
        (slip,) = [
            j for j in printing.list_jobs(s, admin.workstation) if j.document == "refund-slip"
        ]
        assert slip.state == "queued" and slip.order_id == sale.order_id
    text = _reading(database, slip.id)
    assert "REFUND" in text and sale.number in text
    assert re.search(r"^1 x Coffee beans\s+-€12\.30$", text, re.MULTILINE)
    assert re.search(r"^REFUND TOTAL\s+-€12\.30$", text, re.MULTILINE)
    assert f"Paid back: {method.title()}" in text
    assert ("[DRAWER]" in text) is drawer  # cash goes out of the drawer
    assert "Sea salt" not in text


def test_the_gift_card_code_prints_once_and_scans():
    code = "GC123456789015"
    data = ReceiptData(
        **{
            **RECEIPT.__dict__,
            "lines": (ReceiptLine(1, f"Gift card {code}", 5000, 5000, 0, 0),),
            "gift_cards": (code,),
        }
    )
    for profile in ("default", "POS-5890"):
        text = read_escpos(
            render_receipt(receipt(Company("Shop"), data), EscposTarget(profile, 58))
        )
        printed = re.sub(r"\[(BARCODE|QR) [^\]]*\]", "", text)
        assert printed.count(code) == 1, text
        assert "1 x Gift card" in printed


def test_product_labels_for_an_order_leave_out_the_gift_card(database, admin, shop):
    coffee, _salt = shop
    cart = _cart(database, coffee)
    with database.write() as s:
        hit = gift_cards.gift_card_product(s)
        code = gift_cards.new_code(s)
    cart.add_gift_card(hit, code, 2500)
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, cart, [Tender("card", cart.totals()[2])], TILL, "till-1"
        )
        printer = printers.default_printer(s, "till-1", "label")
        rendered = documents.render_for(s, printer, "product-labels", sale.order_id)
    assert "€0.00" not in read_escpos(rendered.payload)
    assert rendered.payload.count(b"\x1dV") == 1  # one label: the coffee's


def test_every_profile_prints_the_sale_as_the_database_has_it(database, admin):
    """Through the emulator over TCP, read with the makers' code page tables."""
    from app.admin.emulator import PrinterEmulator
    from app.core.money import format_money
    from app.models import SalesOrder
    from app.services.printing.printers import RECEIPT_PROFILES, PrinterInput
    from app.services.printing.worker import PrintWorker
    from tests.printing.test_codepages import MAKER_PAGES, pattern

    names = ("Crème brûlée façon grand-mère", "Smørrebrød, Łódź style", "Café – €-sized")
    pids = [factories.product(database, admin, price=1999, stock=5, name=n) for n in names]
    with database.write() as s:
        till.open_session(s, admin, TILL, 10_000, "till-1")
    cart = _cart(database, *pids)
    cart.lines[1].discount = 150
    with database.write() as s:
        sale = counter.complete_sale(
            s, admin, cart, [Tender("card", cart.totals()[2])], TILL, "till-1", print_receipt=False
        )
    with database.read() as s:
        order = s.get(SalesOrder, sale.order_id)
        expected = [ln.name for ln in order.lines]
        amounts = [order.total, *(ln.total + ln.discount for ln in order.lines), 150]
    with PrinterEmulator(port=0) as emulator:
        with database.write() as s:
            for profile in RECEIPT_PROFILES:
                printer = printers.add_printer(
                    s,
                    admin,
                    "till-1",
                    PrinterInput(profile, emulator.uri, "receipt", "escpos", profile),
                )
                documents.print_document(s, admin, "till-1", sale.order_id, "receipt", printer)
        worker = PrintWorker(database, "till-1")
        while worker.run_once():
            pass
        assert len(emulator.jobs) == len(RECEIPT_PROFILES)
        for profile, payload in zip(RECEIPT_PROFILES, emulator.jobs, strict=True):
            text = read_escpos(payload, MAKER_PAGES)
            assert "?" not in text and "\ufffd" not in text, (profile, text)
            flat = re.sub(r"\s+", "", text)
            for name in expected:
                assert re.search(pattern(re.sub(r"\s+", "", name)), flat), (profile, name)
            for amount in amounts:
                money = format_money(amount, "EUR", "en_IE")
                assert re.search(pattern(money) + "$", text, re.MULTILINE), (profile, money)
