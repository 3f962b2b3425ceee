"""Printed documents in the shop's language (app/printing/documents.py, pdf.py): a receipt,
a refund slip and a Z report rendered to ESC/POS in German, French and Spanish and read
back in the code page the bytes select; an invoice and a pick list as PDF read back with
pypdf; the money and numbers as each locale writes them."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from app.printing import doc_data, documents, pdf
from app.printing.codepages import EPSON_PAGES
from app.printing.escpos import EscposTarget, render_receipt
from app.printing.escpos_reader import as_text
from tests.printing.conftest import COMPANY, RECEIPT, SHIPMENT

AT = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
SHOPS = {
    "de": replace(COMPANY, locale="de_DE", tax_id="DE123456789"),
    "fr": replace(COMPANY, locale="fr_FR", tax_id="FR40303265045"),
    "es": replace(COMPANY, locale="es_ES", tax_id="ESB12345678"),
    "en": replace(COMPANY, locale="en_IE", tax_id="IE6388047V"),
}
# words each receipt must carry, accents and all, and the money as the locale writes it
RECEIPT_WORDS = {
    "de": ["Es bediente Sie Cathy", "SUMME", "28,10\xa0€", "inkl. MwSt. 23 %", "Bar", "Rückgeld"],
    "fr": ["Servi par Cathy", "TOTAL", "28,10\u202f€", "dont TVA 23 %", "Espèces", "Rendu"],
    "es": ["Le atendió Cathy", "TOTAL", "28,10\xa0€", "IVA incluido 23 %", "Efectivo", "Cambio"],
    "en": ["Served by Cathy", "TOTAL", "€28.10", "incl. tax 23 %", "Cash", "Change"],
}
REFUND_WORDS = {
    "de": ["RÜCKGABE", "Verkauf SO-000123", "ERSTATTUNG GESAMT", "Ausgezahlt: Bar"],
    "fr": ["REMBOURSEMENT", "Vente SO-000123", "TOTAL REMBOURSÉ", "Remboursé en : Espèces"],
    "es": ["DEVOLUCIÓN", "Venta SO-000123", "TOTAL DEVUELTO", "Devuelto en: Efectivo"],
}


def _printed(layout: documents.Receipt) -> tuple[bytes, str]:
    payload = render_receipt(layout, EscposTarget("default", 80))
    return payload, as_text(payload)


def _spaced(text: str) -> str:
    """Printers get no no-break spaces where the page lacks them: compare with spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("lang", ["de", "fr", "es", "en"])
def test_a_receipt_prints_in_the_shops_language(lang):
    payload, text = _printed(documents.receipt(SHOPS[lang], RECEIPT))
    for word in RECEIPT_WORDS[lang]:
        assert _spaced(word) in _spaced(text), (word, text)
    assert "�" not in text and "?" not in text.replace("[QR", "")


def test_the_accents_go_out_in_the_code_page_the_receipt_selects():
    """'Rückgeld' is sent as bytes of page 0 (CP437: ü = 0x81), 'Espèces' likewise (è =
    0x8A): read with that page they are the words, not mojibake."""
    de, _ = _printed(documents.receipt(SHOPS["de"], RECEIPT))
    assert "Rückgeld".encode(EPSON_PAGES[0]) in de
    fr, _ = _printed(documents.receipt(SHOPS["fr"], RECEIPT))
    assert "Espèces".encode(EPSON_PAGES[0]) in fr
    es, text = _printed(
        documents.refund_slip(
            SHOPS["es"],
            documents.RefundSlipData("SO-000123", AT, "Ana", ((1, "Té", 350),), 350, "cash"),
        )
    )
    assert "DEVOLUCIÓN" in text and "Devuelto por Ana" in text


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_a_refund_slip_prints_in_the_shops_language(lang):
    data = documents.RefundSlipData("SO-000123", AT, "Cathy", ((1, "Sea salt", 350),), 350, "cash")
    _, text = _printed(documents.refund_slip(SHOPS[lang], data))
    for word in REFUND_WORDS[lang]:
        assert word in text, (word, text)


Z = documents.ZReportData(
    "Till 1", 7, AT, AT, 10000, (("cash", 250000), ("card", 5000)), (("cash", 1000),),
    500, 0, 12, 259500, 259000,
)  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ["Z-Bericht", "Kassensitzung 7", "Verkäufe bar", "Differenz", "-5,00"]),
        ("fr", ["Rapport Z", "Fond de caisse", "Ventes espèces", "Écart", "2 595,00"]),
        ("es", ["Informe Z", "Fondo de caja", "Ventas efectivo", "Diferencia", "2.595,00"]),
        ("en", ["Z report", "Opening float", "Sales cash", "Difference", "€2,595.00"]),
    ],
)
def test_a_z_report_prints_in_the_shops_language(lang, words):
    _, text = _printed(documents.z_report(SHOPS[lang], Z))
    for word in words:
        assert _spaced(word) in _spaced(text), (word, text)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


ORDER = doc_data.DocOrder(
    number="SO-000123",
    date=AT,
    customer="Jürgen Müller",
    ship_to=("Jürgen Müller", "Hauptstraße 5", "10115 Berlin", "DE"),
    email="jm@example.com",
    lines=(
        doc_data.DocLine("TEA-1", "Grüner Tee", 1500, 1230, 1845000, 1900, 294577),
        doc_data.DocLine("SALT-1", "Meersalz", 2, 350, 700, 700, 46),
    ),
    subtotal=1551169,
    tax_total=294623,
    total=1845700,
)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("de_DE", ["Rechnung SO-000123", "MwSt.-Satz", "Netto", "18.457,00 €", "Seite 1 von 1"]),
        (
            "fr_FR",
            ["Facture SO-000123", "Taux de TVA", "Montant HT", "18 457,00 €", "page 1 sur 1"],
        ),
        (
            "es_ES",
            ["Factura SO-000123", "Tipo de IVA", "Base imponible", "18.457,00 €", "página 1"],
        ),
        ("en_IE", ["Invoice SO-000123", "Tax rate", "Net", "€18,457.00", "page 1 of 1"]),
    ],
)
def test_an_invoice_reads_back_in_its_language(locale, words):
    shop = replace(COMPANY, locale="en_IE", tax_id="IE6388047V")
    text = _spaced(_pdf_text(pdf.order_document("invoice", shop, ORDER, "A4", locale)))
    for word in words:
        assert _spaced(word) in text, (word, text)
    assert "Jürgen Müller" in text and "Grüner Tee" in text


def test_a_pick_list_counts_in_the_plural_of_its_language():
    line = doc_data.PickLine("A-01", 1, "TEA-1", "Grüner Tee", 1, "SO-1")
    de = _pdf_text(pdf.pick_list([line], "Pickliste W-1", "A4", "de_DE"))
    assert "1 Bestellung, 1 Stück" in de and "Lagerplatz" in de
    two = [line, replace(line, order_number="SO-2", quantity=1233)]
    fr = _spaced(_pdf_text(pdf.pick_list(two, "Liste W-1", "A4", "fr_FR")))
    assert "2 commandes, 1 234 unités" in fr and "Emplacement" in fr


def test_a_shipping_label_speaks_the_shops_language():
    label = documents.shipping_label(SHIPMENT, "de_DE")
    texts = [item.text for item in label.items if hasattr(item, "text")]
    assert "ABSENDER" in texts and "EMPFÄNGER" in texts
    assert "Gewicht 1,25 kg" in texts and "Bestellung SO-000123" in texts
    assert any("Paket 1 von 2" in t for t in texts)
