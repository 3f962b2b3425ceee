"""Orders from any CSV or XLSX with one row per ordered item: columns mapped to fields by
a mapping saved with the source (or given on the command line), else by their usual names.

Rows of one order share its order id; the order's own fields (e-mail, address, shipping,
total) are read from its first row that has them. Amounts and quantities are read in the
file's own number format: `decimal` and `grouping` in the mapping (`--decimal , --grouping
.`), else detected from the number columns of its first rows, else the shop locale's; a
cell that does not fit it ('1.234,5' in a dot-decimal file) refuses its order with the row
and the reason. `unit_price` is one unit's price, `line_total` (when there is no unit
price) the whole line's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, islice

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import parse_file_amount, parse_quantity
from app.core.number_format import PLAIN, NumberFormat, detect, from_dict
from app.services.channels.external import (
    ExternalLine,
    ExternalOrder,
    Parsed,
    currency_code,
    from_decimal,
    group_rows,
    quantity,
    text,
    when,
)

MAPPED_FORMAT = "mapped"
# field -> the header names it is found by without a mapping (compared in lower case)
FIELDS: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "order id", "order", "order number", "order no", "id"),
    "date": ("date", "order date", "created", "created at"),
    "currency": ("currency",),
    "email": ("email", "e-mail", "customer email"),
    "phone": ("phone", "telephone"),
    "customer": ("customer", "customer name", "name"),
    "ship_name": ("ship name", "ship to", "recipient"),
    "ship_line1": ("street", "address", "address1", "address 1", "ship street"),
    "ship_line2": ("address2", "address 2"),
    "ship_city": ("city", "town"),
    "ship_postcode": ("postcode", "zip", "postal code", "post code"),
    "ship_region": ("region", "state", "province", "county"),
    "ship_country": ("country", "country code"),
    "sku": ("sku", "item sku", "product sku", "article"),
    "item_name": ("item", "item name", "product", "product name", "description"),
    "quantity": ("quantity", "qty", "units"),
    "unit_price": ("unit price", "price", "item price"),
    "line_total": ("line total", "amount", "item total"),
    "tax": ("tax", "vat", "item tax"),
    "shipping": ("shipping", "shipping price", "delivery"),
    "total": ("total", "order total", "grand total"),
    "notes": ("notes", "note", "comment"),
}
REQUIRED = ("order_id", "sku", "quantity")
NUMBERS = ("quantity", "unit_price", "line_total", "tax", "shipping", "total")
NUMBER_KEYS = ("decimal", "grouping")  # the file's number format, kept with the mapping
DETECT_ROWS = 1000
Read = Callable[[str], str]  # a row's text for a field name
Amount = Callable[[str], int]  # a row's amount for a field name, in minor units


def mapping_from(saved: str, given: dict[str, str] | None) -> dict[str, str]:
    """The source's saved mapping (JSON text) overlaid with the one given now."""
    mapping: dict[str, str] = json.loads(saved) if saved else {}
    mapping.update(given or {})
    unknown = sorted(set(mapping) - set(FIELDS) - set(NUMBER_KEYS))
    if unknown:
        raise ValidationError(
            _("{value}: not an order field ({value2}).").format(
                value=", ".join(unknown), value2=", ".join(FIELDS)
            ),
            "mapping",
        )
    return mapping


def _columns(header: Sequence[str], mapping: dict[str, str]) -> dict[str, int]:
    lowered = {h.strip().lower(): i for i, h in enumerate(header)}
    columns: dict[str, int] = {}
    for name, usual in FIELDS.items():
        if name in mapping:
            wanted = mapping[name].strip().lower()
            if not wanted:
                continue  # mapped to nothing: left out on purpose
            if wanted not in lowered:
                raise ValidationError(
                    _(
                        "The mapping reads {name} from column '{mapping}', which the file does "
                        "not have."
                    ).format(name=name, mapping=mapping[name]),
                    "mapping",
                )
            columns[name] = lowered[wanted]
            continue
        found = next((lowered[u] for u in usual if u in lowered), None)
        if found is not None and found not in columns.values():
            columns[name] = found
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise ValidationError(
            "No column for " + ", ".join(missing) + ": map it with --map FIELD=HEADER.",
            "mapping",
        )
    return columns


def number_of(mapping: Mapping[str, str]) -> NumberFormat | None:
    """The number format a mapping names ('decimal', 'grouping'); None when it names none."""
    if "decimal" not in mapping and "grouping" not in mapping:
        return None
    grouping = mapping.get("grouping")
    decimal = mapping.get("decimal") or ("," if grouping == "." else ".")
    return from_dict(
        {"decimal": decimal, "grouping": grouping} if grouping is not None else {"decimal": decimal}
    )


def from_table(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    mapping: dict[str, str] | None = None,
    default_currency: str = "EUR",
    fallback: NumberFormat | None = None,
    numeric: dict[int, frozenset[int]] | None = None,
) -> Parsed:
    """Orders from the rows; `numeric` holds (by row number) an XLSX row's number cells
    (numbers there are numbers: they need no format) as the rows are read, and is
    emptied as they are used; `fallback` is the format where the mapping names none and
    the cells prove none."""
    columns = _columns(header, mapping or {})
    noted = numeric if numeric is not None else {}
    none: frozenset[int] = frozenset()
    stream = iter(rows)
    head = list(islice(stream, DETECT_ROWS))
    number = number_of(mapping or {}) or detect(
        (
            cells[i]
            for row_number, cells in head
            for name in NUMBERS
            if (i := columns.get(name)) is not None
            and i < len(cells)
            and i not in noted.get(row_number, none)
        ),
        fallback,
    )

    def get(cells: Sequence[str], name: str) -> str:
        i = columns.get(name)
        return text(cells[i]) if i is not None and i < len(cells) else ""

    def start(cells: Sequence[str], key: str) -> ExternalOrder:
        currency = currency_code(get(cells, "currency") or default_currency)
        return ExternalOrder(MAPPED_FORMAT, key, key, currency)

    def add(order: ExternalOrder, cells: Sequence[str], row_number: int) -> None:
        numbers = noted.pop(row_number, none)

        def read(name: str) -> str:
            return get(cells, name)

        def amount(name: str) -> int:
            chosen = PLAIN if columns.get(name) in numbers else number
            return _amount(read(name), order.currency, name, chosen)

        def units(name: str) -> int:
            chosen = PLAIN if columns.get(name) in numbers else number
            return _units(read(name), name, chosen)

        _fill(order, read, amount)
        order.lines.append(_line(read, amount, units, row_number))

    return group_rows(
        chain(head, stream),
        lambda cells: get(cells, "order_id"),
        "order_id",
        "order id",
        start,
        add,
    )


def _amount(value: str, currency: str, label: str, number: NumberFormat) -> int:
    if not value:
        return 0
    try:
        return parse_file_amount(value, currency, number)
    except ValidationError as exc:
        try:  # '8.333333': more decimals than the currency has, rounded half up
            exact = parse_quantity(value, number, max_decimals=9)
        except ValidationError:
            raise ValidationError(f"{label}: {exc.message}", label) from None
        return from_decimal(exact, currency, label)


def _units(value: str, label: str, number: NumberFormat) -> int:
    try:
        found = parse_quantity(value, number, max_decimals=9)
    except ValidationError as exc:
        if value.strip().startswith(("-", "\u2212")) or not value.strip():
            return quantity(value, label)  # its words for a negative or missing quantity
        raise ValidationError(f"{label}: {exc.message}", label) from None
    return quantity(format(found, "f"), label)


def _fill(order: ExternalOrder, read: Read, amount: Amount) -> None:
    """The order's own fields from the first row that has each."""
    ship = order.ship_to
    for attr, name in (
        ("name", "ship_name"),
        ("line1", "ship_line1"),
        ("line2", "ship_line2"),
        ("city", "ship_city"),
        ("postcode", "ship_postcode"),
        ("region", "ship_region"),
    ):
        if not getattr(ship, attr):
            setattr(ship, attr, read(name))
    if not ship.country:
        ship.country = read("ship_country").upper()
    for attr in ("email", "phone", "notes"):
        if not getattr(order, attr):
            setattr(order, attr, read(attr))
    if not order.customer_name:
        order.customer_name = read("customer") or ship.name
    if order.created_at is None:
        order.created_at = when(read("date"), "date")
    if not order.shipping:
        order.shipping = amount("shipping")
    if order.total is None and read("total"):
        order.total = amount("total")


def _line(read: Read, amount: Amount, units: Callable[[str], int], number: int) -> ExternalLine:
    qty = units("quantity")
    if read("unit_price"):
        unit = amount("unit_price")
        net = qty * unit
    else:
        net = amount("line_total")
        unit = (net + qty // 2) // qty
    return ExternalLine(
        sku=read("sku"),
        name=read("item_name"),
        quantity=qty,
        unit_price=unit,
        net=net,
        tax=amount("tax"),
        row=number,
    )
