"""Orders from any CSV or XLSX with one row per ordered item: columns mapped to fields by
a mapping saved with the source (or given on the command line), else by their usual names.

Rows of one order share its order id; the order's own fields (e-mail, address, shipping,
total) are read from its first row that has them. Amounts are as the file writes them
('12.50', '12,50', '€12.50'); `unit_price` is one unit's price, `line_total` (when there
is no unit price) the whole line's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.channels.external import (
    ExternalLine,
    ExternalOrder,
    Parsed,
    currency_code,
    group_rows,
    minor,
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
Read = Callable[[str], str]  # a row's text for a field name


def mapping_from(saved: str, given: dict[str, str] | None) -> dict[str, str]:
    """The source's saved mapping (JSON text) overlaid with the one given now."""
    mapping: dict[str, str] = json.loads(saved) if saved else {}
    mapping.update(given or {})
    unknown = sorted(set(mapping) - set(FIELDS))
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


def from_table(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    mapping: dict[str, str] | None = None,
    default_currency: str = "EUR",
) -> Parsed:
    columns = _columns(header, mapping or {})

    def get(cells: Sequence[str], name: str) -> str:
        i = columns.get(name)
        return text(cells[i]) if i is not None and i < len(cells) else ""

    def start(cells: Sequence[str], key: str) -> ExternalOrder:
        currency = currency_code(get(cells, "currency") or default_currency)
        return ExternalOrder(MAPPED_FORMAT, key, key, currency)

    def add(order: ExternalOrder, cells: Sequence[str], number: int) -> None:
        def read(name: str) -> str:
            return get(cells, name)

        _fill(order, read)
        order.lines.append(_line(read, order.currency, number))

    return group_rows(
        rows, lambda cells: get(cells, "order_id"), "order_id", "order id", start, add
    )


def _fill(order: ExternalOrder, read: Read) -> None:
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
        order.shipping = minor(read("shipping"), order.currency, "shipping")
    if order.total is None and read("total"):
        order.total = minor(read("total"), order.currency, "total")


def _line(read: Read, currency: str, number: int) -> ExternalLine:
    qty = quantity(read("quantity"))
    if read("unit_price"):
        unit = minor(read("unit_price"), currency, "unit_price")
        net = qty * unit
    else:
        net = minor(read("line_total"), currency, "line_total")
        unit = (net + qty // 2) // qty
    return ExternalLine(
        sku=read("sku"),
        name=read("item_name"),
        quantity=qty,
        unit_price=unit,
        net=net,
        tax=minor(read("tax"), currency, "tax"),
        row=number,
    )
