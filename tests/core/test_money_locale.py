"""Money, numbers and typed quantities as each locale writes them (app/core/money.py):
what format_money prints, parse_money reads back, in en_IE, de_DE, fr_FR and es_ES; a
quantity typed with the locale's decimal comma is read, junk is refused in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.money import (
    format_money,
    format_number,
    format_rate,
    parse_money,
    parse_quantity,
)
from app.core.validation import MAX_MONEY

LOCALES = ["en_IE", "de_DE", "fr_FR", "es_ES"]


@given(st.integers(0, MAX_MONEY), st.sampled_from(LOCALES), st.sampled_from(["EUR", "GBP", "JPY"]))
def test_what_format_money_prints_parse_money_reads_back(minor, locale, currency):
    assert parse_money(format_money(minor, currency, locale), currency, locale) == minor


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("en_IE", "€1,234.56"),
        ("de_DE", "1.234,56\xa0€"),
        ("fr_FR", "1\u202f234,56\xa0€"),
        ("es_ES", "1.234,56\xa0€"),
    ],
)
def test_symbol_position_and_separators_per_locale(locale, shown):
    assert format_money(123456, "EUR", locale) == shown
    assert format_rate(750, locale) == ("7.5" if locale == "en_IE" else "7,5")


@given(
    st.decimals(0, 10**9, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from(LOCALES),
)
def test_what_format_number_prints_parse_quantity_reads_back(value, locale):
    assert parse_quantity(format_number(value, locale, "#,##0.###"), locale) == value


@pytest.mark.parametrize(
    ("text", "locale", "value"),
    [
        ("1,5", "de_DE", Decimal("1.5")),
        ("1.234,56", "de_DE", Decimal("1234.56")),
        ("1234,5", "de_DE", Decimal("1234.5")),
        ("1,5", "fr_FR", Decimal("1.5")),
        ("1 234,5", "fr_FR", Decimal("1234.5")),  # an ordinary space groups as well
        ("1,5", "es_ES", Decimal("1.5")),
        ("1.5", "en_IE", Decimal("1.5")),
        ("1,234.5", "en_IE", Decimal("1234.5")),
        ("12", "de_DE", Decimal(12)),
    ],
)
def test_typed_quantities_in_the_locales_notation(text, locale, value):
    assert parse_quantity(text, locale) == value


@pytest.mark.parametrize(
    ("text", "locale", "words"),
    [
        ("1.5", "de_DE", "not a number as de_DE writes it"),  # a group sign where none fits
        ("1,2,3", "de_DE", "not a number"),
        ("1,5", "en_IE", "not a number"),
        ("-1", "de_DE", "negative"),
        ("1e5", "de_DE", "not a quantity"),
        ("NaN", "fr_FR", "not a quantity"),
        ("", "es_ES", "Type a quantity"),
        ("1,2345", "de_DE", "more than 3 decimals"),
        ("1,5", "xx_YY", "not a locale"),
    ],
)
def test_ambiguous_or_junk_quantities_are_refused_in_words(text, locale, words):
    with pytest.raises(ValidationError, match=words):
        parse_quantity(text, locale)


@given(st.text(max_size=40), st.sampled_from(LOCALES))
def test_parse_quantity_never_crashes(text, locale):
    try:
        value = parse_quantity(text, locale)
    except ValidationError as exc:
        assert exc.message
    else:
        assert 0 <= value <= MAX_MONEY


def test_the_refusals_speak_the_users_language():
    from app.core import i18n

    i18n.use_language("de")
    try:
        with pytest.raises(ValidationError, match="ist keine Menge"):
            parse_quantity("1kg", "de_DE")
        with pytest.raises(ValidationError, match=r"Meinten Sie .*1,5"):
            parse_quantity("1.5", "de_DE")
        with pytest.raises(ValidationError, match="Betrag kann nicht negativ"):
            parse_money("-1", "EUR", "de_DE")
    finally:
        i18n.use_language("en")
