"""Exact money maths in integer minor units, and the edges where text becomes money.

Rounding is half-up on whole cents, done in integers: no float ever touches an amount.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from babel.numbers import format_currency, get_currency_precision

from app.services.errors import ValidationError
from app.services.validation import MAX_MONEY

BP = 10_000  # tax rates are basis points: 2000 = 20 %


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (what tax tables and tills expect)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


class LineAmounts(NamedTuple):
    net: int
    tax: int
    total: int


def line_amounts(
    quantity: int, unit_price: int, discount: int, tax_rate_bp: int, prices_include_tax: bool
) -> LineAmounts:
    """Net, tax and total of one line. `net + tax == total` always holds exactly."""
    amount = quantity * unit_price - discount
    if amount < 0:
        raise ValidationError("A discount cannot be larger than the line's amount.", "discount")
    if prices_include_tax:
        net = div_round_half_up(amount * BP, BP + tax_rate_bp)
        return LineAmounts(net=net, tax=amount - net, total=amount)
    tax = div_round_half_up(amount * tax_rate_bp, BP)
    return LineAmounts(net=amount, tax=tax, total=amount + tax)


def parse_money(text: str, currency: str = "EUR") -> int:
    """'12.50' -> 1250. Refuses negatives, letters, and more decimals than the currency has."""
    digits = get_currency_precision(currency)
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(f"'{text}' is not an amount.") from None
    if not value.is_finite():
        raise ValidationError(f"'{text}' is not an amount.")
    if value < 0:
        raise ValidationError("An amount cannot be negative.")
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValidationError(f"'{text}' has more than {digits} decimals.")
    minor = int(scaled)
    if minor > MAX_MONEY:
        raise ValidationError(f"'{text}' is larger than Kestrel accepts.")
    return minor


def to_decimal(minor: int, currency: str = "EUR") -> Decimal:
    return Decimal(minor).scaleb(-get_currency_precision(currency))


def format_money(minor: int, currency: str = "EUR", locale: str = "en_IE") -> str:
    return format_currency(to_decimal(minor, currency), currency, locale=locale)


def parse_tax_rate(text: str) -> int:
    """'20' or '20 %' or '7.5' -> basis points."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(f"'{text}' is not a tax rate.") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError("A tax rate is between 0 and 100 %.")
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValidationError("A tax rate has at most two decimals.")
    return int(scaled)
