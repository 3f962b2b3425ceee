"""Exact money maths in integer minor units, and the edges where text becomes money.

Rounding is half-up on whole cents, done in integers: no float ever touches an amount.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from babel import UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.number_format import NumberFormat, misfit, split
from app.core.validation import MAX_MONEY

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
        raise ValidationError(_("A discount cannot be larger than the line's amount."), "discount")
    if prices_include_tax:
        net = div_round_half_up(amount * BP, BP + tax_rate_bp)
        return LineAmounts(net=net, tax=amount - net, total=amount)
    tax = div_round_half_up(amount * tax_rate_bp, BP)
    return LineAmounts(net=amount, tax=tax, total=amount + tax)


def parse_money(text: object, currency: str, locale: str | None = None) -> int:
    """Typed text -> minor units ('12.50' -> 1250), or a ValidationError in words.

    Only digits, spaces and separators are accepted: no signs, exponents ('1e999999999'),
    'NaN' or underscores, and nothing above MAX_MONEY, so no input can overflow.
    With a `locale` (Babel) its own decimal and group symbols apply: de_DE reads '1.234,50'
    and en_IE '1,234.50'; a single separator that cannot be a group ('12.5' in de_DE) is
    taken as the decimal one. Without a locale either '.' or ',' is the decimal separator,
    and when both appear the last one is.
    """
    if not isinstance(text, str):
        raise ValidationError(_("An amount must be typed as text."))
    shown = text if len(text) <= 40 else text[:40] + "…"
    cleaned = "".join(_without_currency(text, currency, locale).split())
    if not cleaned:
        raise ValidationError(_("Type an amount, like 12.50."))
    if cleaned.startswith("-"):
        raise ValidationError(_("An amount cannot be negative."))
    decimal_mark, group_mark = _marks(cleaned, locale)
    whole, fraction = _split(cleaned, decimal_mark, group_mark)
    if whole is None:
        raise ValidationError(
            _("'{shown}' is not an amount: type digits, like 12.50.").format(shown=shown)
        )
    return _minor(whole, fraction, shown, currency)


def _minor(whole: str, fraction: str, shown: str, currency: str) -> int:
    digits = get_currency_precision(currency)
    if len(fraction.rstrip("0")) > digits:
        raise ValidationError(
            _("'{shown}' has more than {digits} decimals.").format(shown=shown, digits=digits)
        )
    whole = whole.lstrip("0") or "0"
    if len(whole) > len(str(MAX_MONEY)):
        raise ValidationError(_("'{shown}' is larger than Kestrel accepts.").format(shown=shown))
    minor: int = int(whole) * 10**digits + int((fraction + "0" * digits)[:digits] or "0")
    if minor > MAX_MONEY:
        raise ValidationError(_("'{shown}' is larger than Kestrel accepts.").format(shown=shown))
    return minor


def _without_currency(text: str, currency: str, locale: str | None) -> str:
    """What format_money wrote, less its currency: '1.234,50 €' and '€1,234.50' read back
    (the locale's own symbol, like 'US$', the code, and any currency sign)."""
    if locale is not None:
        try:
            symbol = get_currency_symbol(currency, locale)
        except (ValueError, UnknownLocaleError):
            symbol = ""  # _marks refuses the locale in words
        if symbol and not symbol.isdigit():
            text = text.replace(symbol, "")
    code = currency.upper()
    stripped = text.strip()
    if stripped.upper().startswith(code):
        stripped = stripped[len(code) :]
    elif stripped.upper().endswith(code):
        stripped = stripped[: -len(code)]
    return "".join(ch for ch in stripped if unicodedata.category(ch) != "Sc")


def _marks(cleaned: str, locale: str | None) -> tuple[str, str]:
    if locale is not None:
        try:
            return get_decimal_symbol(locale), get_group_symbol(locale)
        except (ValueError, UnknownLocaleError) as exc:
            raise ValidationError(
                _("'{locale}' is not a locale Kestrel knows.").format(locale=locale)
            ) from exc
    last = max(cleaned.rfind("."), cleaned.rfind(","))
    decimal_mark = cleaned[last] if last >= 0 else "."
    return decimal_mark, "," if decimal_mark == "." else "."


def _split(cleaned: str, decimal_mark: str, group_mark: str) -> tuple[str | None, str]:
    """(whole digits, fraction digits), or (None, '') when the text is not an amount."""
    group = "" if group_mark.isspace() else re.escape(group_mark)
    decimal = re.escape(decimal_mark)
    grouped = rf"(\d{{1,3}}(?:{group}\d{{3}})+|\d+)" if group else r"(\d+)"
    match = re.fullmatch(rf"{grouped}(?:{decimal}(\d*))?", cleaned)
    if match is None and group and cleaned.count(group_mark) == 1:
        # '12.5' in de_DE: a lone separator that is no group is the decimal one
        match = re.fullmatch(rf"(\d+){group}(\d*)", cleaned)
    if match is None:
        return None, ""
    return match.group(1).replace(group_mark, ""), match.group(2) or ""


def parse_file_amount(text: str, currency: str, number: NumberFormat | None = None) -> int:
    """An amount as shops' files write it -> minor units: '12.50', '12,50', '€12.50',
    '12.50 EUR', '1.234,50', '1,234.50'. Currency symbols and this currency's code are
    dropped; a minus sign (or accounting brackets) is refused, never read as a price.
    With the file's `number` format (app/core/number_format.py) only that format is read:
    '1.234,5' in a dot-decimal file is refused in words, never guessed."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch) != "Sc").strip()
    code = currency.upper()
    if cleaned.upper().startswith(code):
        cleaned = cleaned[len(code) :]
    elif cleaned.upper().endswith(code):
        cleaned = cleaned[: -len(code)]
    cleaned = cleaned.strip()
    if cleaned.startswith(("-", "(", "\u2212")) or cleaned.endswith("-"):
        raise ValidationError(_("An amount cannot be negative."))
    if number is None:
        return parse_money(cleaned, currency)
    shown = text if len(text) <= 40 else text[:40] + "…"
    parts = split(cleaned, number)
    if parts is None:
        raise misfit(shown, number)
    return _minor(*parts, shown, currency)


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-get_currency_precision(currency))


@functools.lru_cache(maxsize=4096)
def format_money(minor: int, currency: str, locale: str = "en_IE") -> str:
    """Minor units as the locale writes money: '€1,234.50' (en_IE), '1.234,50 €' (de_DE),
    '1 234,50 €' (fr_FR); parse_money(..., locale) reads it back. Cached: Babel takes
    ~0.2 ms and an e-mail or a receipt asks for the same few amounts again and again."""
    return format_currency(to_decimal(minor, currency), currency, locale=locale)


def format_number(value: int | float | Decimal, locale: str, pattern: str | None = None) -> str:
    """A quantity, count or weight as the locale writes numbers ('1,5' in de_DE); `pattern`
    is a CLDR pattern such as '0.00' (two decimals, no grouping)."""
    return format_decimal(value, format=pattern, locale=locale)


def format_amount(minor: int, currency: str, locale: str) -> str:
    """Minor units as the locale writes the number, without the currency: a receipt's tax
    table ('1.234,50' in de_DE, '1,234.50' in en_IE), with the currency's decimals."""
    digits = get_currency_precision(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(to_decimal(minor, currency), format=pattern, locale=locale)


def format_rate(rate_bp: int, locale: str) -> str:
    """A tax rate in basis points as the locale writes it, without the sign: 2300 -> '23',
    750 -> '7.5' (en) or '7,5' (de)."""
    return format_decimal(Decimal(rate_bp).scaleb(-2), locale=locale)


def parse_quantity(text: object, locale: str | NumberFormat, max_decimals: int = 3) -> Decimal:
    """A typed quantity or weight in the locale's own notation: '1,5' in de_DE is 1.5,
    '1.234,5' is 1234.5. A separator in a place the locale never puts it ('1.5' in de_DE,
    '1,2,3') is refused with what was probably meant, never guessed; so are signs,
    exponents and more than `max_decimals` decimals. A file's cells are read by the
    file's own NumberFormat instead of a locale."""
    if not isinstance(text, str):
        raise ValidationError(_("A quantity must be typed as text."))
    shown = text if len(text) <= 40 else text[:40] + "…"
    if isinstance(locale, NumberFormat):
        return _file_quantity(text, shown, locale, max_decimals)
    try:
        decimal_mark, group_mark = get_decimal_symbol(locale), get_group_symbol(locale)
    except (ValueError, UnknownLocaleError) as exc:
        raise ValidationError(
            _("'{locale}' is not a locale Kestrel knows.").format(locale=locale)
        ) from exc
    cleaned = text.strip()
    if group_mark.isspace():  # fr_FR groups with a (narrow) no-break space; any space will do
        cleaned = "".join(cleaned.split())
    if not cleaned:
        raise ValidationError(
            _("Type a quantity, like {example}.").format(example=f"1{decimal_mark}5")
        )
    if cleaned.startswith(("-", "\u2212")):
        raise ValidationError(_("A quantity cannot be negative."))
    if any(not (ch.isdigit() or ch in (decimal_mark, group_mark, ".", ",")) for ch in cleaned):
        raise ValidationError(
            _("'{shown}' is not a quantity: type digits, like {example}.").format(
                shown=shown, example=f"1{decimal_mark}5"
            )
        )
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError as exc:
        message = _("'{shown}' is not a number as {locale} writes it (decimals after '{mark}').")
        message = message.format(shown=shown, locale=locale, mark=decimal_mark)
        if exc.suggestions:
            hint = _("Did you mean {suggestions}?").format(suggestions=", ".join(exc.suggestions))
            message += " " + hint
        raise ValidationError(message) from None
    return _bounded(value, shown, max_decimals)


def _bounded(value: Decimal, shown: str, max_decimals: int) -> Decimal:
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > max_decimals:
        raise ValidationError(
            _("'{shown}' has more than {digits} decimals.").format(shown=shown, digits=max_decimals)
        )
    if value > MAX_MONEY:
        raise ValidationError(_("'{shown}' is larger than Kestrel accepts.").format(shown=shown))
    return value


def _file_quantity(text: str, shown: str, number: NumberFormat, max_decimals: int) -> Decimal:
    cleaned = text.strip()
    if cleaned.startswith(("-", "\u2212")):
        raise ValidationError(_("A quantity cannot be negative."))
    parts = split(cleaned, number)
    if parts is None:
        raise misfit(shown, number)
    whole, fraction = parts
    if len(whole.lstrip("0")) > len(str(MAX_MONEY)):
        raise ValidationError(_("'{shown}' is larger than Kestrel accepts.").format(shown=shown))
    return _bounded(Decimal(f"{whole}.{fraction or '0'}"), shown, max_decimals)


def parse_tax_rate(text: str) -> int:
    """'20' or '20 %' or '7.5' -> basis points."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_("'{text}' is not a tax rate.").format(text=text)) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(_("A tax rate is between 0 and 100 %."))
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValidationError(_("A tax rate has at most two decimals."))
    return int(scaled)
