"""Order documents from the database: PDFs hold the right text in the right order and their
barcodes scan; every document prints through the queue and the CLI."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from app.core.errors import ValidationError
from app.printing.doc_data import PickLine
from app.printing.pdf import pick_list
from app.services.printing import document_data, documents, printers
from app.services.printing.printers import PrinterInput
from app.services.printing.worker import PrintWorker
from app.services.sales import order_actions, order_detail, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import inventory
from tests import factories

WS = "bench-1"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_codes(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    found = []
    for page in document:
        found += [b.text for b in zxingcpp.read_barcodes(page.render(scale=4).to_pil())]
    return found


def test_pick_list_follows_the_walking_order_of_500_orders():
    lines = [
        PickLine(
            f"B-{(n * 7919) % 997:04d}",
            (n * 7919) % 997,
            f"SKU-{n}",
            f"Item {n}",
            1,
            f"SO-{n // 5:06d}",
        )
        for n in range(2500)
    ]
    data = pick_list(lines, "Wave 1", "Letter")
    text = pdf_text(data)
    positions = [text.index(f"B-{seq:04d}") for seq in sorted({ln.pick_sequence for ln in lines})]
    assert positions == sorted(positions)
    assert "500 orders, 2,500 units" in text


@pytest.fixture
def confirmed_order(database, admin):
    customer = factories.customer(database, admin)
    a = factories.product(database, admin, name="Crème brûlée", stock=10, price=450)
    b = factories.product(database, admin, name="Green tea", stock=10, price=300, tax=0)
    with database.write() as s:
        stock = factories.main_bin(s)
        early = factories.bin_beside_main(s, "MAIN-A01", 0)
        inventory.transfer(s, admin, b, stock, early, 10)
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(a, 2), LineInput(b, 1)), customer_id=customer)
        )
        order_actions.confirm(s, admin, ref.id, ref.version)
    return ref


def test_order_documents_text_and_barcodes(database, admin, confirmed_order):
    with database.read() as s:
        shop = document_data.company(s)
        invoice = documents.render_for(
            s, printers.default_printer(s, WS, "document"), "invoice", confirmed_order.id
        )
        picks = documents.render_for(
            s, printers.default_printer(s, WS, "document"), "pick-list", confirmed_order.id
        )
        slip = documents.render_for(
            s, printers.default_printer(s, WS, "document"), "packing-slip", confirmed_order.id
        )
    text = pdf_text(invoice.payload)
    assert shop.name in text and f"Invoice {confirmed_order.number}" in text
    assert "Crème brûlée" in text and "€9.00" in text and "23 %" in text
    assert confirmed_order.number in pdf_codes(invoice.payload)
    pick_text = pdf_text(picks.payload)
    assert pick_text.index("MAIN-A01") < pick_text.index("MAIN-STOCK")  # walking order
    assert pick_text.index("Green tea") < pick_text.index("Crème brûlée")
    assert "€" not in pdf_text(slip.payload)  # a packing slip shows no prices


def test_every_order_document_prints_through_the_queue(database, admin, confirmed_order, emulator):
    with database.write() as s:
        for role, language in (("receipt", "escpos"), ("label", "zpl"), ("document", "pdf")):
            printers.add_printer(s, admin, WS, PrinterInput(role, emulator.uri, role, language))
        for doc in documents.ORDER_DOCUMENTS:
            documents.print_document(s, admin, WS, confirmed_order.id, doc)
    worker = PrintWorker(database, WS)
    while worker.run_once():
        pass
    readings = [emulator.reading(job) for job in emulator.jobs]
    assert len(readings) == len(documents.ORDER_DOCUMENTS)
    assert "TOTAL" in readings[0] and f"[QR {confirmed_order.number}]" in readings[0]
    assert all(r.startswith("%PDF") for r in readings[1:5])
    assert "Orla Walsh" in readings[5]  # the shipping label's recipient
    assert "Crème brûlée" in readings[6]
    assert emulator.jobs[6].count(b"^XA") == 2 and b"^PQ2" in emulator.jobs[6]
    with database.read() as s:
        printed = [
            e for e in order_detail.get_order(s, confirmed_order.id).events if e.kind == "printed"
        ]
    assert len(printed) == len(documents.ORDER_DOCUMENTS)


def test_pick_list_of_an_unconfirmed_order_is_refused(database, admin):
    pid = factories.product(database, admin, stock=1)
    with database.write() as s:
        ref = order_entry.create_order(s, admin, OrderInput("phone", (LineInput(pid, 1),)))
    with database.write() as s, pytest.raises(ValidationError, match="confirm them first"):
        documents.print_document(s, admin, WS, ref.id, "pick-list")
    with database.write() as s, pytest.raises(ValidationError, match="no ship-to address"):
        documents.print_document(s, admin, WS, ref.id, "shipping-label")
    with database.write() as s, pytest.raises(ValidationError, match="not a document"):
        documents.print_document(s, admin, WS, ref.id, "poster")


def test_document_paper_follows_the_shop_setting(database, admin, confirmed_order):
    from app.core.settings import set_setting

    with database.write() as s:
        set_setting(s, admin, "document_paper", "Letter")
    with database.read() as s:
        invoice = documents.render_for(
            s, printers.default_printer(s, WS, "document"), "invoice", confirmed_order.id
        )
    width, height = (float(v) for v in PdfReader(io.BytesIO(invoice.payload)).pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)  # Letter in points


def test_the_preview_printer_shows_a_label_as_a_picture(database, admin, confirmed_order, tmp_path):
    from PIL import ImageOps

    from app.printing.preview import receipt_image

    with database.write() as s:
        printers.ensure_preview_printers(s, WS)
        label_printer = printers.default_printer(s, WS, "label")
        rendered = documents.render_for(s, label_printer, "shipping-label", confirmed_order.id)
    assert label_printer.language == "escpos"
    picture = receipt_image(rendered.payload, {}, 80)
    found = zxingcpp.read_barcodes(ImageOps.expand(picture, border=20, fill=255))
    assert confirmed_order.number in [b.text for b in found]


def test_a_us_order_keeps_its_state_on_invoice_packing_slip_and_label(database, admin):
    """The region was dropped: the label read '20500 Washington', no state."""
    from app.admin.emulator import read_zpl
    from app.services.sales.customers import AddressInput

    pid = factories.product(database, admin, stock=3, name="Flag")
    ship = AddressInput(
        "1600 Pennsylvania Ave NW", "Washington", "20500", "US", "The President", "", "DC"
    )
    with database.write() as s:
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(pid, 1),), ship_to=ship, email="p@wh.gov")
        )
        doc = printers.default_printer(s, WS, "document")
        texts = [
            pdf_text(documents.render_for(s, doc, kind, ref.id).payload)
            for kind in ("invoice", "packing-slip")
        ]
        label_printer = printers.get_printer(
            s, printers.add_printer(s, admin, WS, PrinterInput("Zebra", "preview:", "label", "zpl"))
        )
        label = documents.render_for(s, label_printer, "shipping-label", ref.id).payload
    for text in texts:
        assert "WASHINGTON, DC 20500" in text and "UNITED STATES" in text
    fields = read_zpl(label).splitlines()
    assert "WASHINGTON, DC 20500" in fields and "The President" in fields
