"""A file's number format: amounts and quantities read by its decimal and grouping mark
only (hypothesis, per setting), what does not fit refused, and detection from cells."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.money import parse_file_amount, parse_quantity
from app.core.number_format import (
    GROUPINGS,
    NBSP,
    NNBSP,
    NumberFormat,
    detect,
    locale_format,
    number_format,
)
from app.core.validation import MAX_MONEY

FORMATS = [NumberFormat(d, g) for d in (".", ",") for g in GROUPINGS if g != d]
DE, EN, CH = NumberFormat(",", "."), NumberFormat(".", ","), NumberFormat(".", "'")


def written(minor: int, number: NumberFormat, grouped: bool) -> str:
    """An amount of two decimals as a file in `number`'s format writes it."""
    whole, cents = divmod(minor, 100)
    digits = f"{whole:,}".replace(",", number.grouping) if grouped else str(whole)
    return f"{digits}{number.decimal}{cents:02d}"


@given(
    st.integers(min_value=0, max_value=MAX_MONEY),
    st.sampled_from(FORMATS),
    st.booleans(),
)
def test_an_amount_written_in_a_format_reads_back_in_it(minor, number, grouped):
    assert parse_file_amount(written(minor, number, grouped), "EUR", number) == minor


@given(
    st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False),
    st.sampled_from(FORMATS),
)
def test_a_quantity_written_in_a_format_reads_back_in_it(value, number):
    whole, _dot, fraction = f"{value:f}".partition(".")
    text = f"{int(whole):,}".replace(",", number.grouping) + (
        number.decimal + fraction if fraction else ""
    )
    assert parse_quantity(text, number) == value


@given(st.integers(min_value=1000, max_value=10**9), st.integers(min_value=1, max_value=99))
def test_the_other_files_notation_never_reads_as_a_number(whole, cents):
    """'1.234,56' in a dot-decimal file and '1,234.56' in a comma-decimal one: refused."""
    german, english = written(whole * 100 + cents, DE, True), written(whole * 100 + cents, EN, True)
    for text, number in ((german, EN), (english, DE), (german, CH)):
        with pytest.raises(ValidationError, match="does not fit the file's numbers"):
            parse_file_amount(text, "EUR", number)
        with pytest.raises(ValidationError, match="does not fit"):
            parse_quantity(text, number)


@given(st.text(max_size=30), st.sampled_from(FORMATS))
def test_reading_by_a_format_never_crashes(text, number):
    for parse in (
        lambda: parse_file_amount(text, "EUR", number),
        lambda: parse_quantity(text, number),
    ):
        try:
            value = parse()
        except ValidationError:
            continue
        assert value >= 0


@pytest.mark.parametrize(
    ("text", "number", "value"),
    [
        ("1.234", EN, Decimal("1.234")),  # the ambiguous one, read as the file says
        ("1.234", DE, Decimal("1234")),
        ("1'234.50", CH, Decimal("1234.5")),
        ("1 234,5", NumberFormat(",", " "), Decimal("1234.5")),
        (f"1{NNBSP}234,5", NumberFormat(",", NBSP), Decimal("1234.5")),  # any space groups
        ("12,5", NumberFormat(",", ""), Decimal("12.5")),
    ],
)
def test_each_setting_reads_its_own_notation(text, number, value):
    assert parse_quantity(text, number) == value


@pytest.mark.parametrize(
    ("text", "number"),
    [("12.5", DE), ("1,5", EN), ("1.234,5", EN), ("1,234", NumberFormat(".", "")), ("12,34,5", EN)],
)
def test_what_does_not_fit_is_refused_not_guessed(text, number):
    with pytest.raises(ValidationError, match="does not fit"):
        parse_quantity(text, number)


def test_money_keeps_its_currency_and_negative_words():
    assert parse_file_amount("1.234,56 €", "EUR", DE) == 123456
    assert parse_file_amount("EUR 12,50", "EUR", DE) == 1250
    with pytest.raises(ValidationError, match="negative"):
        parse_file_amount("-1,00", "EUR", DE)
    with pytest.raises(ValidationError, match="more than 2 decimals"):
        parse_file_amount("1,234", "EUR", NumberFormat(",", ""))


@pytest.mark.parametrize(
    ("cells", "found"),
    [
        (["12,50", "1.234,56", "3"], DE),
        (["12,50", "1.234"], DE),  # '12,50' proves the comma; '1.234' then groups
        (["9.99", "1,234.50"], EN),
        (["1'234.50", "12"], CH),
        (["1 234,50"], NumberFormat(",", " ")),
        (["12.50 EUR", "3"], EN),  # the space before a code groups nothing
        (["7,5"], DE),
    ],
)
def test_the_cells_show_the_format(cells, found):
    assert detect(cells) == found


def test_cells_that_prove_nothing_take_the_shop_locale():
    assert detect(["1.234", "12"], locale_format("de_DE")) == DE
    assert detect(["1.234", "12"], locale_format("en_IE")) == EN
    assert detect([], locale_format("de_CH")) == CH


def test_a_format_from_what_a_user_typed():
    assert number_format(",", ".") == DE
    assert number_format(",") == DE  # the usual partner
    assert number_format(".", "none") == NumberFormat(".", "")
    assert number_format(",", "space") == NumberFormat(",", " ")
    assert number_format(".", "apostrophe") == CH
    with pytest.raises(ValidationError):
        number_format(",", ",")
    with pytest.raises(ValidationError):
        number_format(";")
    with pytest.raises(ValidationError):
        number_format(".", "x")
