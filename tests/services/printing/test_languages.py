"""Documents from the database speak the right language (services/printing): a counter
sale's receipt and the Z report in the shop's (the shop setting "locale"), an invoice in
the customer's where it is known (parties.language), else the shop's; read back from the
queued job's ESC/POS bytes and from the PDF's text."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.admin.emulator import read_escpos
from app.core.errors import ValidationError
from app.models import Barcode, Party
from app.services import shop
from app.services.printing import document_data, documents, printers
from app.services.printing import worker as print_worker
from app.services.sales import counter, customers, order_actions, order_entry, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender
from app.services.sales.customers import CustomerInput
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import catalogue
from tests import factories

TILL = "Till 1"


def _set_locale(database, admin, locale: str) -> None:
    with database.write() as s:
        details = shop.get_shop(s, admin).details
        shop.update_shop(s, admin, replace(details, locale=locale))


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_a_counter_receipt_speaks_the_shops_language(database, admin):
    _set_locale(database, admin, "de_DE")
    product = factories.product(database, admin, price=1230, stock=5, name="Kaffeebohnen")
    with database.write() as s:
        till.open_session(s, admin, TILL, 10_000, "till-1")
        code = s.scalar(select(Barcode.code).where(Barcode.product_id == product))
        cart = Cart()
        cart.add(catalogue.find_by_code(s, code))
    with database.write() as s:
        sale = counter.complete_sale(s, admin, cart, [Tender("cash", 2000)], TILL, "till-1")
    with database.read() as s:
        text = read_escpos(print_worker.job_bytes(s, sale.receipt_job_id))
    assert "SUMME" in text and "12,30" in text and "Rückgeld" in text and "Bar" in text
    assert "inkl. MwSt. 23 %" in text and "TOTAL" not in text


def _order(database, admin) -> int:
    customer = factories.customer(database, admin, "Amélie Dupont")
    product = factories.product(database, admin, name="Thé vert", stock=5, price=300)
    with database.write() as s:
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(product, 2),), customer_id=customer)
        )
        order_actions.confirm(s, admin, ref.id, ref.version)
    return ref.id


def _invoice(database, order_id: int) -> str:
    with database.read() as s:
        printer = printers.default_printer(s, "bench-1", "document")
        return _pdf_text(documents.render_for(s, printer, "invoice", order_id).payload)


def test_an_invoice_speaks_the_customers_language_else_the_shops(database, admin):
    _set_locale(database, admin, "es_ES")
    order_id = _order(database, admin)
    assert "Factura" in _invoice(database, order_id)  # the customer's is not known
    with database.write() as s:
        party = s.get_one(Party, document_data.load_order(s, order_id).customer_id)
        data = CustomerInput(party.name, party.email, party.phone, language="fr")
        customers.save_customer(s, admin, party.id, data)
    with database.read() as s:
        assert document_data.document_locale(s, order_id) == "fr"
    text = _invoice(database, order_id)
    assert "Facture" in text and "Taux de TVA" in text and "Thé vert" in text
    assert "6,00" in text and "Factura" not in text
    with database.read() as s:  # the packing slip stays the shop's (the warehouse reads it)
        printer = printers.default_printer(s, "bench-1", "document")
        slip = documents.render_for(s, printer, "packing-slip", order_id).payload
    assert "Lista de embalaje" in _pdf_text(slip)


def test_a_customers_language_is_checked_and_kept_by_other_edits(database, admin):
    with database.write() as s:
        party_id = customers.create_customer(s, admin, CustomerInput("Jürgen", language="de-at"))
        assert s.get_one(Party, party_id).language == "de_AT"
        customers.save_customer(s, admin, party_id, CustomerInput("Jürgen Müller"))
        assert s.get_one(Party, party_id).language == "de_AT"  # the dialog did not say
        with pytest.raises(ValidationError, match="not a language") as refused:
            customers.save_customer(s, admin, party_id, CustomerInput("J", language="zz-top"))
        assert refused.value.field == "language"
