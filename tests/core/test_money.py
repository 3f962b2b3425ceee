"""Money maths: exact to the cent whatever the inputs."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.money import (
    div_round_half_up,
    format_money,
    line_amounts,
    parse_money,
    parse_tax_rate,
    to_decimal,
)
from app.core.validation import MAX_MONEY

quantities = st.integers(1, 10_000)
prices = st.integers(0, 10_000_000)
rates = st.integers(0, 10_000)


@given(quantities, prices, rates, st.booleans(), st.data())
def test_line_amounts_always_add_up(qty, price, rate, inclusive, data):
    discount = data.draw(st.integers(0, qty * price))
    amounts = line_amounts(qty, price, discount, rate, inclusive)
    assert amounts.net + amounts.tax == amounts.total
    assert amounts.net >= 0 and amounts.tax >= 0
    gross = qty * price - discount
    if inclusive:
        assert amounts.total == gross
        # the tax is the rounded share of the rate in the gross, never off by more than a cent
        assert abs(amounts.tax * (10_000 + rate) - gross * rate) <= (10_000 + rate)
    else:
        assert amounts.net == gross
        assert abs(amounts.tax * 10_000 - gross * rate) <= 5_000


def test_known_tax_values():
    assert line_amounts(1, 1230, 0, 2300, True) == (1000, 230, 1230)
    assert line_amounts(1, 1000, 0, 2300, False) == (1000, 230, 1230)
    assert line_amounts(3, 333, 0, 1350, False).tax == 135  # 134.865 -> 135


def test_discount_larger_than_line_is_refused():
    with pytest.raises(ValidationError):
        line_amounts(1, 100, 101, 0, True)


@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6))
def test_div_round_half_up_is_nearest(n, d):
    q = div_round_half_up(n, d)
    assert abs(n - q * d) * 2 <= d


@given(st.integers(0, MAX_MONEY))
def test_parse_money_round_trips(minor):
    text = f"{minor // 100}.{minor % 100:02d}"
    assert parse_money(text, "EUR") == minor


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.234", "NaN", "inf", "1e400", "99999999999"])
def test_parse_money_refuses_bad_text(text):
    with pytest.raises(ValidationError):
        parse_money(text, "EUR")


def test_parse_money_accepts_a_decimal_comma_and_formats_with_babel():
    assert parse_money("12,5", "EUR") == 1250
    assert format_money(123456, "EUR", "en_IE") == "€1,234.56"
    assert format_money(123456, "EUR", "de_DE") == "1.234,56\xa0€"


def test_parse_tax_rate():
    assert parse_tax_rate("23 %") == 2300
    assert parse_tax_rate("13.5") == 1350
    for bad in ("-1", "101", "x", "1.234"):
        with pytest.raises(ValidationError):
            parse_tax_rate(bad)


@pytest.mark.parametrize(
    "text", ["1e999999999", "1E5", "1_000", "+5", "0x10", "1.2.3", "12,34,5", " ", "١e٩"]
)
def test_parse_money_refuses_what_decimal_would_take_in_words(text):
    with pytest.raises(ValidationError, match="amount|larger"):
        parse_money(text, "EUR")


@given(st.text(max_size=60), st.sampled_from([None, "en_IE", "de_DE", "fr_FR"]))
def test_parse_money_never_crashes_and_stays_in_bounds(text, locale):
    try:
        minor = parse_money(text, "EUR", locale)
    except ValidationError as exc:
        assert exc.message
    else:
        assert 0 <= minor <= MAX_MONEY


@given(st.integers(0, MAX_MONEY), st.sampled_from(["en_IE", "de_DE", "fr_FR", "de_CH"]))
def test_parse_money_reads_what_babel_writes_per_locale(minor, locale):
    shown = format_decimal(to_decimal(minor, "EUR"), "#,##0.00", locale=locale)
    assert parse_money(shown, "EUR", locale) == minor


@pytest.mark.parametrize(
    ("text", "locale", "minor"),
    [
        ("1.234,50", "de_DE", 123450),
        ("12.5", "de_DE", 1250),
        ("12,5", "de_DE", 1250),
        ("1,234.50", "en_IE", 123450),
        ("1,234.50", None, 123450),
        ("1.234,50", None, 123450),
        ("12.", None, 1200),
    ],
)
def test_parse_money_separators(text, locale, minor):
    assert parse_money(text, "EUR", locale) == minor


def test_parse_money_knows_zero_decimal_currencies_and_bad_locales():
    assert parse_money("1,200", "JPY", "en_IE") == 1200
    with pytest.raises(ValidationError, match="0 decimals"):
        parse_money("12.5", "JPY")
    with pytest.raises(ValidationError, match="locale"):
        parse_money("1", "EUR", "xx_NOPE")


@given(st.text(max_size=40))
def test_parse_tax_rate_never_crashes(text):
    try:
        rate = parse_tax_rate(text)
    except ValidationError:
        return
    assert 0 <= rate <= 10_000


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("12.50", 1250),
        ("12,50", 1250),
        ("€12.50", 1250),
        ("12.50 €", 1250),
        ("EUR 12.50", 1250),
        ("1.234,50", 123450),
        ("1,234.50", 123450),
        ("0", 0),
    ],
)
def test_amounts_as_files_write_them(text, minor):
    from app.core.money import parse_file_amount

    assert parse_file_amount(text, "EUR") == minor


@pytest.mark.parametrize("text", ["-12.50", "(12.50)", "€-1", "12.50-", "1e3", "12.345", ""])
def test_negative_or_odd_amounts_in_files_are_refused(text):
    from app.core.money import parse_file_amount

    with pytest.raises(ValidationError):
        parse_file_amount(text, "EUR")
