"""Receipts read back as the printer would print them: every profile the printer settings
offer, 58 and 80 mm, decoded with the code page tables the printer makers document (not
python-escpos's encoder table), compared with the order, every amount whole."""

from __future__ import annotations

import re
import string

import pytest
from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.money import format_money
from app.printing.documents import Company, ReceiptData, ReceiptLine, receipt
from app.printing.escpos import EscposTarget, render_receipt
from app.printing.escpos_reader import as_text
from app.printing.layout import Receipt, Row, Text
from app.services.printing.printers import RECEIPT_PROFILES
from tests.printing.conftest import RECEIPT

# ESC t n -> Python codec, from Epson's ESC/POS command reference ("Select character code
# table"), written out here so the test does not share the encoder's table.
MAKER_PAGES = {
    0: "cp437",  # PC437 USA, Standard Europe
    2: "cp850",  # PC850 Multilingual
    3: "cp860",  # PC860 Portuguese
    4: "cp863",  # PC863 Canadian-French
    5: "cp865",  # PC865 Nordic
    14: "cp737",  # PC737 Greek
    16: "cp1252",  # WPC1252
    17: "cp866",  # PC866 Cyrillic #2
    18: "cp852",  # PC852 Latin 2
    19: "cp858",  # PC858 Euro
    39: "iso8859_2",  # ISO8859-2 Latin 2
    40: "iso8859_15",  # ISO8859-15 Latin 9
    45: "cp1250",  # WPC1250 Latin 2
    46: "cp1251",  # WPC1251 Cyrillic
}
EURO_PROFILES = {"default", "TM-T88V", "TM-T20II", "TM-P80", "Sunmi-V2"}  # PC858/WPC1252


def reading(payload: bytes) -> str:
    return as_text(payload, MAKER_PAGES)


def pattern(text: str) -> str:
    """A regex for `text` as a printer may print it: each character itself, or spelled in
    ASCII where no page of the printer has it (€ -> EUR, ł -> l). Never anything else."""
    parts = []
    for char in text:
        if char.isascii():
            parts.append(re.escape(char))
        else:
            parts.append(f"(?:{re.escape(char)}|{re.escape(anyascii(char))})")
    return "".join(parts)


SHOP = Company("Café Kestrel", "1 Quay Street\nGalway H91", "Danke schön! Straße ñ € £ – ł")
BIG = ReceiptData(
    number="SO-000777",
    at=RECEIPT.at,
    cashier="Zoë Ødegård",
    lines=(
        ReceiptLine(
            3, "Crème brûlée, façon grand-mère, a name long enough to wrap", 6400, 19200, 2300, 3590
        ),
        ReceiptLine(1, "Smørrebrød", 2, 2, 0, 0),
    ),
    subtotal=15612,
    tax_total=3590,
    total=19202,
    payments=(("card", 19202),),
)


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("profile", RECEIPT_PROFILES)
def test_every_profile_prints_the_order_whole_and_in_the_right_glyphs(profile, paper):
    target = EscposTarget(profile, paper)
    text = reading(render_receipt(receipt(SHOP, BIG, open_drawer=True), target))
    assert "\ufffd" not in text and "?" not in text  # no page the printer lacks, no '?'
    flat = re.sub(r"\s+", "", text)  # wrapped lines joined
    for expected in (
        "Café Kestrel",
        "Danke schön! Straße ñ € £ – ł",
        "Served by Zoë Ødegård",
        "3 x Crème brûlée, façon grand-mère, a name long enough to wrap",
        "Smørrebrød",
    ):
        assert re.search(pattern(re.sub(r"\s+", "", expected)), flat), (expected, text)
    for amount in (19200, 2, 19202, 3590):
        money = format_money(amount, "EUR", "en_IE")  # €192.02: never cut to €192.0
        assert re.search(pattern(money) + "$", text, re.MULTILINE), (money, text)
    assert ("€" in text) == (profile in EURO_PROFILES)
    if profile not in EURO_PROFILES:
        assert "EUR192.02" in text
    lines = [ln for ln in text.splitlines() if not ln.startswith("[")]
    assert max(len(ln) for ln in lines) <= target.columns
    full = min({58: 32, 80: 48}[paper], target.head_dots // 12)  # 12-dot font A
    assert 0.8 * full <= target.columns <= full  # NT-80-V-UL's profile says 12


def test_euro_goes_out_in_a_western_page_never_greek():
    for profile in EURO_PROFILES:
        data = render_receipt(Receipt((Text("€ £ ø ç ö ß"),)), EscposTarget(profile, 80))
        assert b"\x1bt\x0f" not in data  # page 15 is ISO-8859-7 (Greek)
        assert b"\x1bt\x0d" not in data  # page 13 is PC857 (Turkish)
        assert "€ £ ø ç ö ß" in reading(data)


def test_pos5890_never_selects_the_double_byte_page():
    data = render_receipt(Receipt((Text("Grüße aus Köln"),)), EscposTarget("POS-5890", 58))
    assert b"\x1bt\x01" not in data
    assert "Grüße aus Köln" in reading(data)


def test_simple_profile_spells_what_page_437_lacks():
    data = render_receipt(Receipt((Text("€5 Łódź – ß"),)), EscposTarget("simple", 80))
    assert "EUR5 Lódz - ß" in reading(data)  # ó and ß are in PC437; Ł, ź, € and – are not


def test_amounts_are_never_cut_the_name_wraps():
    row = Row("x" * 30, "€1,234,567.89")
    for paper in (58, 80):
        text = reading(render_receipt(Receipt((row,)), EscposTarget("NT-80-V-UL", paper)))
        assert re.search(pattern("€1,234,567.89") + "$", text, re.MULTILINE)


WESTERN = st.text(
    alphabet=st.sampled_from(
        string.ascii_letters
        + string.digits
        + " .,-'&/"
        + "äöüßéèêëàâçñøåæœłŁśźżąęőűčřžšěůÄÖÜÉØÅ€£–"
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(name=WESTERN, amount=st.integers(0, 10**9), profile=st.sampled_from(RECEIPT_PROFILES))
def test_any_name_and_amount_prints_whole_in_the_right_glyphs(name, amount, profile):
    money = format_money(amount, "EUR", "en_IE")
    target = EscposTarget(profile, 58)
    text = reading(render_receipt(Receipt((Row(name, money),)), target))
    assert "\ufffd" not in text
    lines = text.splitlines()
    assert all(len(ln) <= target.columns for ln in lines)
    assert re.search(pattern(money) + "$", text, re.MULTILINE)
    assert re.match(pattern(re.sub(r"\s+", "", name)), re.sub(r"\s+", "", text))
