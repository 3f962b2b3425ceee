"""Tax as each country's shops print it (issue 21, point 4): receipts, refund slips and
invoices in English, German, French and Spanish, for a shop that shows prices with tax
(inclusive) and one that shows them net (exclusive). Rendered to ESC/POS and read back in
the code page the bytes select, or to PDF and read back with pypdf; the table per rate is
parsed from what was printed, and its gross add up to the charged total."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.core.money import line_amounts
from app.core.tax import EXCLUSIVE, INCLUSIVE
from app.printing import doc_data, documents, pdf
from app.printing.codepages import EPSON_PAGES
from app.printing.escpos import EscposTarget, render_receipt
from app.printing.escpos_reader import as_text
from tests.printing.tax_reading import amounts as _amounts
from tests.printing.tax_reading import row as _row
from tests.printing.tax_reading import spaced as _spaced
from tests.printing.tax_reading import tax_table

AT = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)  # 11:30 in Berlin, Paris and Madrid
SHOPS = {
    "de": documents.Company(
        "Bäckerei Müller", "Hauptstraße 5\n10115 Berlin", "Danke schön!", "EUR", "de_DE",
        tax_id="DE123456788", timezone="Europe/Berlin",
    ),
    "fr": documents.Company(
        "Épicerie Bérénice", "3 rue de la Paix\n75002 Paris", "Merci !", "EUR", "fr_FR",
        tax_id="FR40303265045", timezone="Europe/Paris",
    ),
    "es": documents.Company(
        "Panadería Núñez", "Calle Mayor 1\n28013 Madrid", "¡Gracias!", "EUR", "es_ES",
        tax_id="ESB12345674", timezone="Europe/Madrid",
    ),
    "en": documents.Company(
        "Café Kestrel", "1 Quay Street\nGalway H91", "Thank you!", "EUR", "en_IE",
        tax_id="IE6388047V", timezone="Europe/Dublin",
    ),
}  # fmt: skip
RATES = {"de": (1900, 700), "fr": (2000, 550), "es": (2100, 1000), "en": (2300, 1350)}
WORDS = {  # tax id, the tax under an inclusive total, added to a net one, the table's head
    "de": ("USt-IdNr. DE123456788", "inkl. MwSt. 19 %", "zzgl. MwSt. 19 %", "MwSt. %"),
    "fr": ("N° TVA intracom. FR40303265045", "dont TVA 20 %", "TVA 20 %", "TVA %"),
    "es": ("NIF ESB12345674", "IVA incluido 21 %", "IVA 21 %", "IVA %"),
    "en": ("Tax id IE6388047V", "incl. tax 23 %", "plus tax 23 %", "Tax %"),
}
WHEN = {  # the sale's time in the shop's zone, as the locale writes it
    "de": "22.11.2026, 11:30",
    "fr": "22 nov. 2026, 11:30",
    "es": "22 nov 2026, 11:30",
    "en": "22 Nov 2026, 10:30",
}
TOTAL_WORD = {"de": "SUMME", "fr": "TOTAL", "es": "TOTAL", "en": "TOTAL"}
NET_WORD = {"de": "Summe netto", "fr": "Total HT", "es": "Total sin IVA", "en": "Net total"}


def _table(text: str, lang: str) -> list[tuple[str, int, int, int]]:
    return tax_table(text, WORDS[lang][3], SHOPS[lang].locale)


def _sale(lang: str, mix, gross_stored: bool = True) -> documents.ReceiptData:
    """A receipt's data priced as a sale prices it (core/money.line_amounts)."""
    lines = []
    for quantity, price, percent, standard in mix:
        rate = RATES[lang][0 if standard else 1]
        discount = quantity * price * percent // 100
        amounts = line_amounts(quantity, price, discount, rate, gross_stored)
        whole = line_amounts(quantity, price, 0, rate, gross_stored).total
        lines.append(
            documents.ReceiptLine(
                quantity, "Crème brûlée", price, amounts.total, rate, amounts.tax,
                whole - amounts.total,
            )
        )  # fmt: skip
    total = sum(line.total for line in lines)
    return documents.ReceiptData(
        "SO-000123", AT, "Zoë", tuple(lines), sum(ln.total - ln.tax for ln in lines),
        sum(ln.tax for ln in lines), total, (("cash", total),), 0, gross_stored=gross_stored,
    )  # fmt: skip


def _printed(layout: documents.Receipt, paper: int = 80) -> tuple[bytes, str]:
    payload = render_receipt(layout, EscposTarget("default", paper))
    return payload, as_text(payload)


FIXED = [(2, 1230, 0, True), (1, 350, 0, False), (3, 99, 0, True)]


@pytest.mark.parametrize("prices", [INCLUSIVE, EXCLUSIVE])
@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_a_receipt_prints_the_tax_per_rate_as_the_country_expects(lang, prices):
    shop = replace(SHOPS[lang], prices=prices)
    data = _sale(lang, FIXED)
    _, text = _printed(documents.receipt(shop, data))
    tax_id, included, added, _head = WORDS[lang]
    assert _spaced(tax_id) in _spaced(text)
    assert f"SO-000123   {WHEN[lang]}" in _spaced(text)
    table = _table(text, lang)
    assert len(table) == 2 and all(net + tax == gross for _r, net, tax, gross in table)
    assert sum(gross for *_rest, gross in table) == data.total == 3107
    assert _row(text, TOTAL_WORD[lang], shop.locale) == data.total
    standard = next(row for row in table if row[0].startswith(added.split()[-2]))
    if prices == INCLUSIVE:
        assert _row(text, "  " + included, shop.locale) == standard[2]
        assert NET_WORD[lang] not in text
    else:
        assert _row(text, NET_WORD[lang], shop.locale) == sum(row[1] for row in table)
        assert _row(text, "  " + added, shop.locale) == standard[2]
        items = [
            _row(text, label, shop.locale)
            for label in ("2 x Crème brûlée @", "1 x Crème brûlée", "3 x Crème brûlée @")
        ]
        assert sum(items) == _row(text, NET_WORD[lang], shop.locale)


def test_the_accents_of_the_tax_words_go_out_in_the_selected_code_page():
    """'N° TVA intracom.', 'Crème brûlée', 'Panadería Núñez': bytes of the page the
    receipt selects (CP437 here), read back as the words."""
    fr, text = _printed(documents.receipt(SHOPS["fr"], _sale("fr", FIXED)))
    assert "N° TVA intracom.".encode(EPSON_PAGES[0]) in fr and "Crème brûlée" in text
    es, text = _printed(documents.receipt(SHOPS["es"], _sale("es", FIXED)))
    assert "Panadería Núñez".encode(EPSON_PAGES[0]) in es and "Panadería Núñez" in text


line_mixes = st.lists(
    st.tuples(st.integers(1, 30), st.integers(0, 99_999), st.integers(0, 60), st.booleans()),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    line_mixes,
    st.sampled_from(["en", "de", "fr", "es"]),
    st.sampled_from([INCLUSIVE, EXCLUSIVE]),
    st.booleans(),
    st.sampled_from([58, 80]),
)
def test_any_sale_prints_rates_whose_gross_add_up_to_what_was_charged(
    mix, lang, prices, gross_stored, paper
):
    shop = replace(SHOPS[lang], prices=prices)
    data = _sale(lang, mix, gross_stored)
    _, text = _printed(documents.receipt(shop, data), paper)
    table = _table(text, lang)
    assert sum(gross for *_rest, gross in table) == data.total
    assert all(net + tax == gross for _r, net, tax, gross in table)
    assert _row(text, TOTAL_WORD[lang], shop.locale) == data.total
    if prices == EXCLUSIVE:
        assert _row(text, NET_WORD[lang], shop.locale) == sum(row[1] for row in table)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_a_refund_slip_prints_what_went_back_per_rate(lang):
    standard, reduced = RATES[lang]
    data = documents.RefundSlipData(
        "SO-000123", AT, "Zoë", ((2, "Crème brûlée", 2460), (1, "Thé", 350)), 2810, "cash",
        (standard, reduced),
    )  # fmt: skip
    _, text = _printed(documents.refund_slip(SHOPS[lang], data), 58)
    table = _table(text, lang)
    assert [gross for *_rest, gross in table] == [350, 2460]  # lowest rate first
    assert sum(gross for *_rest, gross in table) == data.amount
    assert all(net + tax == gross for _r, net, tax, gross in table)
    assert WHEN[lang] in _spaced(text)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


INVOICE_WORDS = {
    "de": ("Rechnung SO-000123", "22.11.2026", "Alle Preise inkl. MwSt.", "Preise zzgl. MwSt."),
    "fr": ("Facture SO-000123", "22 nov. 2026", "Prix TTC.", "Prix HT"),
    "es": ("Factura SO-000123", "22 nov 2026", "Precios con IVA incluido.", "Precios sin IVA"),
    "en": ("Invoice SO-000123", "22 Nov 2026", "Prices include tax.", "Prices exclude tax"),
}


RATE_HEAD = {"de": "MwSt.-Satz", "fr": "Taux de TVA", "es": "Tipo de IVA", "en": "Tax rate"}


def _invoice(lang: str, prices: str) -> tuple[str, int]:
    sale = _sale(lang, FIXED)
    order = doc_data.DocOrder(
        "SO-000123", AT, "Jürgen Müller", ("Jürgen Müller", "Hauptstraße 5", "10115 Berlin"),
        "jm@example.com",
        tuple(
            doc_data.DocLine("SKU-1", ln.name, ln.quantity, ln.unit_price, ln.total, ln.tax_rate_bp,
                        ln.tax)
            for ln in sale.lines
        ),
        sale.subtotal, sale.tax_total, sale.total,
    )  # fmt: skip
    shop = replace(SHOPS[lang], prices=prices)
    return _spaced(
        _pdf_text(pdf.order_document("invoice", shop, order, "A4", shop.locale))
    ), sale.total


@pytest.mark.parametrize("prices", [INCLUSIVE, EXCLUSIVE])
@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_an_invoice_pdf_reads_back_with_its_tax_per_rate(lang, prices):
    text, charged = _invoice(lang, prices)
    title, day, included, excluded = INVOICE_WORDS[lang]
    assert title in text and day in text and _spaced(WORDS[lang][0]) in text
    assert (included if prices == INCLUSIVE else excluded) in text
    locale = SHOPS[lang].locale
    cells = text.splitlines()  # pypdf reads a table cell by cell, a line each
    first = cells.index(RATE_HEAD[lang]) + 4  # past the heads: rate, net, tax, gross
    rates = []
    while re.match(r"^\d+(?:[.,]\d+)? %$", cells[first]):
        rates.append(tuple(_amounts(cells[first + k], locale)[0] for k in (1, 2, 3)))
        first += 4
    assert len(rates) == 2 and all(net + tax == gross for net, tax, gross in rates)
    assert sum(gross for *_rest, gross in rates) == charged
    lines = [_amounts(cells[n + 5], locale)[0] for n, c in enumerate(cells) if c == "SKU-1"]
    wanted = sum(net for net, *_rest in rates) if prices == EXCLUSIVE else charged
    assert sum(lines) == wanted


def test_quantities_are_written_as_the_locale_writes_numbers():
    order = doc_data.DocOrder(
        "SO-000124", AT, "Jürgen Müller", (), "",
        (doc_data.DocLine("SKU-9", "Schrauben", 1234, 5, 6170, 1900, 985),), 5185, 985, 6170,
    )  # fmt: skip
    de = _spaced(_pdf_text(pdf.order_document("invoice", SHOPS["de"], order, "A4", "de_DE")))
    assert "1.234" in de.splitlines()
    fr = _spaced(_pdf_text(pdf.order_document("packing-slip", SHOPS["fr"], order, "A4", "fr_FR")))
    assert "1 234" in fr.splitlines()
    receipt = _sale("es", [(1234, 5, 0, True)])
    _, text = _printed(documents.receipt(SHOPS["es"], receipt))
    assert "1.234 x Crème brûlée @" in text
