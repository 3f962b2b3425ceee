"""An order as another system exported it, read into one shape whatever its format.

The format readers (shopify.py, woocommerce.py, amazon.py) only read: they turn a file or
a webhook body into ExternalOrders and list what they could not read as Problems (row,
column, reason), never raising for one bad order. Deciding what to write (unknown SKUs,
duplicates, the shop's currency) is the importer's job, on these plain values.

Money is integer minor units of the order's own currency; times are UTC.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import parse_file_amount
from app.core.validation import MAX_MONEY

_PLAIN = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?")
# Statuses a foreign system may give an order, reduced to what matters on import.
OPEN, CANCELLED, REFUNDED = "open", "cancelled", "refunded"


@dataclass(frozen=True)
class Problem:
    """What could not be read: the file's row (1 = header; None for JSON), the order it
    belongs to, the column or field, and why."""

    row: int | None
    order: str
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "order"
        label = f" {self.order}" if self.order else ""
        column = f", {self.column}" if self.column else ""
        return f"{where}{label}{column}: {self.reason}"


@dataclass
class ExternalAddress:
    name: str = ""
    company: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""  # ISO 3166 alpha-2 where the source gives one, else as written
    phone: str = ""


@dataclass
class ExternalLine:
    """One ordered item: `net` and `tax` are the line's amounts after its discount (minor
    units); `unit_price` is what one unit cost as the source shows it."""

    sku: str
    name: str
    quantity: int
    unit_price: int
    net: int
    tax: int = 0
    discount: int = 0
    external_id: str = ""
    row: int | None = None


@dataclass
class ExternalOrder:
    source_format: str
    external_id: str  # the source's own id: with the source, the de-duplication key
    number: str  # what the shop's staff and customers call it (#1001, 727, 112-...)
    currency: str
    created_at: datetime | None = None
    customer_name: str = ""
    email: str = ""
    phone: str = ""
    ship_to: ExternalAddress = field(default_factory=ExternalAddress)
    bill_to: ExternalAddress = field(default_factory=ExternalAddress)
    lines: list[ExternalLine] = field(default_factory=list)
    shipping_method: str = ""
    shipping: int = 0
    shipping_tax: int = 0
    fees: int = 0  # fee lines with their tax (WooCommerce), part of the total
    discount: int = 0  # an order-level discount the lines do not already carry
    tax_added: int = 0  # order-level tax on top of the lines (exclusive prices, no line tax)
    prices_include_tax: bool = False
    tax_total: int | None = None
    total: int | None = None
    refunded: int = 0
    state: str = OPEN
    payment_status: str = ""
    payment_method: str = ""
    notes: str = ""
    rows: list[int] = field(default_factory=list)

    @property
    def lines_total(self) -> int:
        return sum(line.net + line.tax for line in self.lines)

    @property
    def computed_total(self) -> int:
        return (
            self.lines_total
            + self.shipping
            + self.shipping_tax
            + self.fees
            + self.tax_added
            - self.discount
        )


@dataclass
class Parsed:
    orders: list[ExternalOrder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def text(value: object) -> str:
    """A cell or JSON value as clean text: None is '', numbers as written, HTML entities
    decoded (WooCommerce sends 'Caf&eacute;'), control characters dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    raw = str(value)
    if "&" in raw:
        raw = html.unescape(raw)
    if raw.isprintable():  # nearly every cell: no character to look at one by one
        return raw.strip()
    if raw.replace("\n", "").replace("\t", "").isprintable():  # lines, nothing else to drop
        return raw.strip()
    return "".join(ch for ch in raw if ch.isprintable() or ch in "\n\t").strip()


def minor(value: object, currency: str, label: str, *, signed: bool = False) -> int:
    """An amount as a source writes it ('12.50', 12.5, 3, '€12,50') -> minor units of
    `currency`, exactly: a float from JSON goes through its shortest decimal text, and
    more decimals than the currency has are rounded half up (Woo sends 8.333333).
    Empty is 0. A negative amount is refused unless `signed`."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValidationError(
            _("{label}: {value!r} is not an amount.").format(label=label, value=value), label
        )
    if isinstance(value, int | float):
        try:
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation as exc:
            raise ValidationError(
                _("{label}: {value!r} is not an amount.").format(label=label, value=value), label
            ) from exc
        return _from_decimal(amount, currency, label, signed=signed)
    cleaned = text(value)
    if exact := _exact(cleaned, currency, label):  # '12.50', nearly every cell
        return exact
    if _PLAIN.fullmatch(cleaned):  # more decimals than the currency has: rounded
        return _from_decimal(Decimal(cleaned), currency, label, signed=signed)
    negative = cleaned.startswith(("-", "\u2212"))
    if negative and not signed:
        raise ValidationError(
            _("{label}: {cleaned} is negative.").format(label=label, cleaned=cleaned), label
        )
    body = cleaned.lstrip("-\u2212").strip()
    try:
        return (-1 if negative else 1) * parse_file_amount(body, currency)
    except ValidationError:
        pass
    try:  # '8.333333': more decimals than the currency has
        return _from_decimal(Decimal(cleaned), currency, label, signed=signed)
    except InvalidOperation as exc:
        raise ValidationError(
            _("{label}: {cleaned!r} is not an amount.").format(label=label, cleaned=cleaned), label
        ) from exc


def from_decimal(amount: Decimal, currency: str, label: str) -> int:
    """An exact non-negative amount in minor units, more decimals rounded half up."""
    return _from_decimal(amount, currency, label, signed=False)


@functools.lru_cache(maxsize=64)
def _precision(currency: str) -> int:
    return int(get_currency_precision(currency))


def _exact(cleaned: str, currency: str, label: str) -> int:
    """'12.50' in minor units without Decimal when it has no more decimals than the
    currency (what _from_decimal gives, exactly); 0 when it is not such a plain amount
    (the caller then takes the general way, which also reads '0.00' as 0)."""
    whole, dot, fraction = cleaned.partition(".")
    digits = _precision(currency)
    plain = whole.isascii() and whole.isdigit() and len(whole) <= 15
    if (
        not plain
        or len(fraction) > digits
        or (dot and not (fraction.isascii() and fraction.isdigit()))
    ):
        return 0
    result = int(whole + fraction.ljust(digits, "0"))
    if result > MAX_MONEY:
        raise ValidationError(
            _("{label}: {value} is larger than Kestrel accepts.").format(
                label=label, value=Decimal(cleaned)
            ),
            label,
        )
    return result


def _from_decimal(amount: Decimal, currency: str, label: str, *, signed: bool) -> int:
    if not amount.is_finite():
        raise ValidationError(
            _("{label}: {amount} is not an amount.").format(label=label, amount=amount), label
        )
    if amount < 0 and not signed:
        raise ValidationError(
            _("{label}: {amount} is negative.").format(label=label, amount=amount), label
        )
    scaled = amount.scaleb(_precision(currency))
    result = int(scaled.to_integral_value(rounding="ROUND_HALF_UP"))
    if abs(result) > MAX_MONEY:
        raise ValidationError(
            _("{label}: {amount} is larger than Kestrel accepts.").format(
                label=label, amount=amount
            ),
            label,
        )
    return result


def quantity(value: object, label: str = "quantity") -> int:
    """A whole, positive number of units ('2', 2, '2.0'); anything else refused."""
    cleaned = text(value)
    if cleaned.isascii() and cleaned.isdigit() and 0 < int(cleaned) <= 1_000_000:
        return int(cleaned)  # '2', nearly every cell: what the checks below give
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(
            _("{label}: {cleaned!r} is not a number of units.").format(
                label=label, cleaned=cleaned
            ),
            label,
        ) from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(
            _("{label}: {cleaned} is not a whole number of units.").format(
                label=label, cleaned=cleaned
            ),
            label,
        )
    if number <= 0:
        raise ValidationError(
            _("{label}: {cleaned} is not more than zero.").format(label=label, cleaned=cleaned),
            label,
        )
    if number > 1_000_000:
        raise ValidationError(
            _("{label}: {cleaned} is more than Kestrel accepts.").format(
                label=label, cleaned=cleaned
            ),
            label,
        )
    return int(number)


_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",  # Shopify CSV: 2025-12-06 10:37:33 -0500
    "%Y-%m-%dT%H:%M:%S%z",  # ISO with offset (Shopify JSON, Amazon)
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S",  # WooCommerce date_created_gmt: UTC without an offset
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


_last_pattern = [_FORMATS[0]]
# _FORMATS[0] written in full, as the Shopify CSV writes every date (2025-12-06 10:37:33 -0500)
_SHOPIFY_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{2}[0-5][0-9]"
)


def when(value: object, label: str = "date") -> datetime | None:
    """A timestamp as sources write it -> aware UTC; one without an offset is taken as
    UTC (callers pass WooCommerce's *_gmt fields for that reason). Empty is None."""
    cleaned = text(value)
    if not cleaned:
        return None
    candidate = cleaned.replace("Z", "+00:00") if cleaned.endswith("Z") else cleaned
    if _SHOPIFY_DATE.fullmatch(candidate):  # what strptime reads of it, 15 times faster
        try:
            parsed = datetime.fromisoformat(candidate[:19] + candidate[20:])
        except ValueError:
            pass  # no such day or hour: the patterns below say so in their own words
        else:
            _last_pattern[0] = _FORMATS[0]
            return parsed.astimezone(UTC)
    # the pattern that read the last date first: a file writes all its dates one way
    for pattern in (_last_pattern[0], *_FORMATS):
        try:
            parsed = datetime.strptime(candidate, pattern)
        except ValueError:
            continue
        _last_pattern[0] = pattern
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError as exc:
        raise ValidationError(
            _("{label}: {cleaned!r} is not a date and time.").format(label=label, cleaned=cleaned),
            label,
        ) from exc
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def currency_code(value: object, label: str = "currency") -> str:
    code = text(value).upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(
            _("{label}: {code} is not a currency code.").format(
                label=label, code=code or "nothing"
            ),
            label,
        )
    try:
        get_currency_precision(code)
    except Exception as exc:  # babel raises various errors for an unknown code
        raise ValidationError(
            _("{label}: {code} is not a currency Kestrel knows.").format(label=label, code=code),
            label,
        ) from exc
    return code


def totals_problem(order: ExternalOrder, tolerance_per_line: int = 1) -> str:
    """Why an order's stated total disagrees with its lines and shipping beyond rounding
    (one minor unit per line and for shipping), or ''."""
    if order.total is None:
        return ""
    difference = order.total - order.computed_total
    allowed = tolerance_per_line * (len(order.lines) + 1)
    if abs(difference) <= allowed:
        return ""
    return (
        f"its total {order.total} does not add up: lines {order.lines_total} + shipping "
        f"{order.shipping + order.shipping_tax} + tax {order.tax_added} - discount "
        f"{order.discount} = {order.computed_total} (minor units)"
    )


def group_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    key_of: Callable[[Sequence[str]], str],
    key_column: str,
    key_words: str,
    start: Callable[[Sequence[str], str], ExternalOrder],
    add: Callable[[ExternalOrder, Sequence[str], int], None],
    finish: Callable[[ExternalOrder], None] | None = None,
) -> Parsed:
    """Orders from export rows that share their order's key, the shape of every table
    export: the first row of a key makes the order (`start`), every row adds its items
    (`add`). A row that cannot be read refuses its whole order (listed with the row and
    the reason; the rest of the file is still read); a non-blank row without a key is a
    problem of its own. The good orders are `finish`ed and kept in file order."""
    parsed = Parsed()
    orders: dict[str, ExternalOrder] = {}
    broken: set[str] = set()
    for number, cells in rows:
        key = key_of(cells)
        if not key:
            if any(text(c) for c in cells):
                reason = f"the row has no {key_words}"
                parsed.problems.append(Problem(number, "", key_column, reason))
            continue
        try:
            order = orders.get(key)
            if order is None:
                order = orders[key] = start(cells, key)
            add(order, cells, number)
            order.rows.append(number)
        except ValidationError as exc:
            broken.add(key)
            parsed.problems.append(Problem(number, key, exc.field, str(exc)))
    for key, order in orders.items():
        if key not in broken:
            if finish is not None:
                finish(order)
            parsed.orders.append(order)
    return parsed
