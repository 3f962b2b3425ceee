"""Tax on documents drawn from the database (issue 21, point 4): a German shop that shows
net prices sells at the counter, refunds a line and invoices an order; the receipt and the
refund slip are read back from the queued ESC/POS bytes, the invoice from its PDF text;
each table per rate adds up to what the database charged, the words are the country's
and the time is the shop's (Berlin), whatever zone the workstation runs in."""

from __future__ import annotations

import io
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.admin.emulator import read_escpos
from app.models import Barcode, SalesOrder
from app.services import shop
from app.services.printing import documents, printers
from app.services.printing import queue as printing
from app.services.printing import worker as print_worker
from app.services.sales import counter, order_actions, order_entry, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.refunds import refund_sale, refundable_lines
from app.services.stock import catalogue
from tests import factories
from tests.printing.tax_reading import amounts, row, spaced, tax_table

TILL = "Till 1"


@pytest.fixture
def berlin(database, admin):
    """A German shop that shows net prices, and a 19 % and a 7 % product."""
    with database.write() as s:
        details = shop.get_shop(s, admin).details
        shop.update_shop(
            s,
            admin,
            replace(
                details,
                locale="de_DE",
                timezone="Europe/Berlin",
                tax_id="DE123456788",
                prices="exclusive",
            ),
        )
        till.open_session(s, admin, TILL, 10_000, "till-1")
    wine = factories.product(database, admin, price=99, tax=1900, stock=20, name="Glühwein")
    bread = factories.product(database, admin, price=350, tax=700, stock=20, name="Brötchen")
    return wine, bread


def _sell(database, admin, *product_ids):
    cart = Cart()
    with database.read() as s:
        for pid in product_ids:
            code = s.scalar(select(Barcode.code).where(Barcode.product_id == pid))
            cart.add(catalogue.find_by_code(s, code))
    with database.write() as s:
        total = cart.totals()[2]
        return counter.complete_sale(s, admin, cart, [Tender("cash", total)], TILL, "till-1")


def _job_text(database, job_id: int) -> str:
    with database.read() as s:
        return read_escpos(print_worker.job_bytes(s, job_id))


def test_a_net_priced_receipt_adds_tax_per_rate_up_to_the_charged_total(database, admin, berlin):
    wine, bread = berlin
    sale = _sell(database, admin, wine, wine, wine, bread)
    with database.read() as s:
        order = s.get_one(SalesOrder, sale.order_id)
    text = _job_text(database, sale.receipt_job_id)
    table = tax_table(text, "MwSt. %", "de_DE")
    assert [r[0] for r in table] == ["7 %", "19 %"]
    assert sum(gross for *_rest, gross in table) == order.total == 647
    assert table[1][1:] == (250, 47, 297)  # 3 x 0,99: net rounded once on 2,97
    assert row(text, "Summe netto", "de_DE") == sum(r[1] for r in table)
    assert row(text, "  zzgl. MwSt. 19 %", "de_DE") == 47
    assert row(text, "SUMME", "de_DE") == order.total
    assert "USt-IdNr. DE123456788" in text and "Glühwein" in text and "Brötchen" in text
    local = order.created_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{order.number}   {local:%d.%m.%Y, %H:%M}" in spaced(text)


def test_a_refund_slip_shows_what_went_back_per_rate(database, admin, berlin):
    wine, bread = berlin
    sale = _sell(database, admin, wine, bread)
    with database.read() as s:
        lines = refundable_lines(s, sale.order_id)
    with database.write() as s:
        back = refund_sale(s, admin, sale.order_id, {ln.line_id: 1 for ln in lines}, TILL)
    with database.read() as s:
        (slip,) = [
            j for j in printing.list_jobs(s, admin.workstation) if j.document == "refund-slip"
        ]
    text = _job_text(database, slip.id)
    table = tax_table(text, "MwSt. %", "de_DE")
    assert [(r[0], r[3]) for r in table] == [("7 %", 350), ("19 %", 99)]
    assert sum(gross for *_rest, gross in table) == back == 449
    assert "RÜCKGABE" in text


def test_an_invoice_prints_net_lines_and_the_tax_per_rate(database, admin, berlin):
    wine, bread = berlin
    customer = factories.customer(database, admin, "Jürgen Müller")
    with database.write() as s:
        ref = order_entry.create_order(
            s,
            admin,
            OrderInput("phone", (LineInput(wine, 3), LineInput(bread, 2)), customer_id=customer),
        )
        order_actions.confirm(s, admin, ref.id, ref.version)
        total = s.get_one(SalesOrder, ref.id).total
        printer = printers.default_printer(s, "bench-1", "document")
        payload = documents.render_for(s, printer, "invoice", ref.id).payload
    cells = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(payload)).pages)
    cells_list = spaced(cells).splitlines()
    first = cells_list.index("MwSt.-Satz") + 4
    rates = [
        tuple(amounts(cells_list[first + n * 4 + k], "de_DE")[0] for k in (1, 2, 3))
        for n in range(2)
    ]
    assert sum(gross for *_rest, gross in rates) == total
    assert "Preise zzgl. MwSt." in cells and "USt-IdNr. DE123456788" in cells
    assert "Netto" in cells_list[: first - 4]  # the lines' amount column is net
