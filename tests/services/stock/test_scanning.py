"""The scan parser: every code gets a meaning or words, never an exception."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from app.services.stock.scanning import parse_scan


@given(st.text(max_size=300))
def test_never_raises(text):
    scan = parse_scan(text)
    assert scan.ok or scan.error


@given(st.integers(0, 10**12 - 1))
def test_valid_ean13_is_a_gtin_and_a_wrong_digit_is_named(body):
    digits = f"{body:012d}"
    code = digits + ean.calc_check_digit(digits)
    scan = parse_scan(code + "\r\n")
    assert scan.kind == "gtin" and code in scan.codes
    wrong = digits + str((int(code[-1]) + 1) % 10)
    bad = parse_scan(wrong)
    assert bad.kind == "invalid" and f"should end in {code[-1]}" in bad.error


@given(
    st.integers(0, 10**12 - 1),
    st.text(alphabet="ABCDEFGHJK0123456789", min_size=1, max_size=20),
    st.dates(date(2000, 1, 1), date(2049, 12, 28)),
    st.integers(1, 99_999),
)
def test_gs1_element_strings_round_trip(body, batch, expiry, count):
    digits = f"{body:012d}"
    gtin13 = digits + ean.calc_check_digit(digits)
    text = f"]C101{'0' + gtin13}17{expiry:%y%m%d}10{batch}\x1d30{count}"
    scan = parse_scan(text)
    assert scan.kind == "gs1"
    assert scan.codes[:2] == ("0" + gtin13, gtin13)
    assert (scan.batch, scan.expiry, scan.quantity) == (batch, expiry, count)


@pytest.mark.parametrize(
    ("text", "kind", "first"),
    [
        ("SO-000123", "order", "SO-000123"),
        ("so-42", "order", "SO-000042"),
        ("036000291452", "gtin", "036000291452"),
        ("0425261", "gtin", "042100005264"),  # UPC-E expanded
        ("96385074", "gtin", "96385074"),  # EAN-8
        ("CASE-12", "code", "CASE-12"),
    ],
)
def test_known_codes(text, kind, first):
    scan = parse_scan(text)
    assert (scan.kind, scan.codes[0]) == (kind, first)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Nothing was scanned"),
        ("x" * 201, "too long"),
        ("40063813\x0733931", "control characters"),
        ("4006381333932", "wrong check digit"),
        ("Ã©Â", "keyboard layout"),  # an AZERTY/QWERTY mix-up turns digits into these
        ("]C11010ABC", "no product number"),
    ],
)
def test_bad_scans_get_words(text, message):
    scan = parse_scan(text)
    assert not scan.ok and message in scan.error


@pytest.mark.parametrize(
    ("received", "enter", "ok", "advice"),
    [
        ("Kz7ya@#5-m", True, True, "works"),
        ("Kz7ya@#5-m", False, False, "Enter"),
        ("]Kz7ya@#5-m\t", True, False, "adds ']' before and adds '\t' after"),
        ("kZ7YA@#5-M", True, False, "Caps Lock"),
        ("Kwèyq23()m", True, False, "French AZERTY"),
        ('Ky7za"§5ßm', True, False, "German QWERTZ"),
        ('Kz7ya"£5-m', True, False, "UK English"),
        ("Kz7ya", True, False, "first difference at character 6"),
        ("", True, False, "Nothing arrived"),
    ],
)
def test_scanner_check_explains_layout_problems(received, enter, ok, advice):
    from app.services.stock.scanning import check_scanner

    result = check_scanner(received, enter)
    assert result.ok is ok and advice in result.advice


# Examples in the shape of the GS1 General Specifications (GTIN 09876543210982 is biip's own
# test number): FNC1 sent as the group separator, the symbology prefix a scanner adds.
@pytest.mark.parametrize(
    ("text", "batch", "expiry", "serial", "quantity", "grams"),
    [
        ("]C101098765432109821724020010LOT7", "LOT7", date(2024, 2, 29), "", 1, None),
        (
            "]d2010987654321098217251231\x1d10ABC-1\x1d21SER99",
            "ABC-1",
            date(2025, 12, 31),
            "SER99",
            1,
            None,
        ),
        ("]Q30109876543210982\x1d3712", "", None, "", 12, None),
        ("]C10109876543210982\x1d3103001250", "", None, "", 1, 1250),
        ("0109876543210982\x1d3102012345\x1d3005", "", None, "", 5, 123450),
    ],
)
def test_published_gs1_strings(text, batch, expiry, serial, quantity, grams):
    scan = parse_scan(text)
    assert scan.kind == "gs1", scan.error
    assert scan.codes[0] == "09876543210982"
    assert (scan.batch, scan.expiry, scan.serial) == (batch, expiry, serial)
    assert (scan.quantity, scan.net_weight_g) == (quantity, grams)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("]C1010987654321098217240231", "not a real date"),  # 31 February
        ("010987654321098217241331", "not a real date"),  # month 13, no prefix
        ("]C10109876543210982\x1d2312", "does not exist"),  # AI 23 is not assigned
        ("]C10109876543210982\x1d300", "count of zero"),
    ],
)
def test_bad_gs1_codes_are_refused_in_words(text, words):
    scan = parse_scan(text)
    assert not scan.ok
    assert words in scan.error
