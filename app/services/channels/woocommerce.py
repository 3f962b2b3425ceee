"""WooCommerce orders: the REST API v3 order JSON (one order, a list, or a webhook body)
and the order CSV of the common export plugin.

JSON: `number` is a string; line items carry sku (may be empty), quantity, price (a
number or a string), subtotal/total and their tax as decimal strings, totals before tax
(WooCommerce keeps line totals exclusive even when the shop enters inclusive prices);
`date_created_gmt` is UTC without an offset; names may carry HTML entities.
CSV: one row per order with the items packed in one `line_items` cell (`;` between
items, `key:value|key:value` inside), or one row per item (item_* columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.channels.external import (
    CANCELLED,
    OPEN,
    REFUNDED,
    ExternalAddress,
    ExternalLine,
    ExternalOrder,
    Parsed,
    Problem,
    currency_code,
    group_rows,
    minor,
    quantity,
    text,
    when,
)

JSON_FORMAT, CSV_FORMAT = "woocommerce-json", "woocommerce-csv"
_STATES = {"cancelled": CANCELLED, "refunded": REFUNDED, "failed": CANCELLED, "trash": CANCELLED}


def _name(data: dict[str, Any]) -> str:
    return " ".join(p for p in (text(data.get("first_name")), text(data.get("last_name"))) if p)


def _address(data: Any) -> ExternalAddress:
    if not isinstance(data, dict):
        return ExternalAddress()
    return ExternalAddress(
        name=_name(data),
        company=text(data.get("company")),
        line1=text(data.get("address_1")),
        line2=text(data.get("address_2")),
        city=text(data.get("city")),
        postcode=text(data.get("postcode")),
        region=text(data.get("state")),
        country=text(data.get("country")).upper(),
        phone=text(data.get("phone")),
    )


def _line(item: dict[str, Any], currency: str, row: int | None = None) -> ExternalLine:
    qty = quantity(item.get("quantity"), "line_items.quantity")
    subtotal = minor(item.get("subtotal"), currency, "line_items.subtotal")
    total = minor(item.get("total"), currency, "line_items.total")
    if not item.get("subtotal") and item.get("total") in (None, ""):
        total = subtotal = qty * minor(item.get("price"), currency, "line_items.price")
    elif not item.get("subtotal"):
        subtotal = total
    unit = minor(item.get("price"), currency, "line_items.price") if item.get("price") else 0
    return ExternalLine(
        sku=text(item.get("sku")),
        name=text(item.get("name")),
        quantity=qty,
        unit_price=unit or (subtotal + qty // 2) // qty,
        net=total,
        tax=minor(item.get("total_tax"), currency, "line_items.total_tax"),
        discount=max(subtotal - total, 0),
        external_id=text(item.get("id")),
        row=row,
    )


def from_json(data: Any, *, single: bool = False) -> Parsed:
    """Orders from one order object (a webhook body, or GET /orders/<id>) or, unless
    `single`, from a list of them (GET /orders). Anything else is refused in words."""
    if isinstance(data, list) and not single:
        bodies: list[Any] = data
    elif isinstance(data, dict):
        bodies = [data]
    else:
        kind = "an array" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ValidationError(
            _("A WooCommerce order is a JSON object; this is {kind}.").format(kind=kind), "body"
        )
    parsed = Parsed()
    for position, body in enumerate(bodies, start=1):
        label = text(body.get("number") or body.get("id")) if isinstance(body, dict) else ""
        try:
            if not isinstance(body, dict):
                raise ValidationError(
                    _("order {position} is not an object").format(position=position), ""
                )
            parsed.orders.append(_json_order(body))
        except ValidationError as exc:
            parsed.problems.append(Problem(None, label or f"#{position}", exc.field, str(exc)))
    return parsed


def _json_order(body: dict[str, Any]) -> ExternalOrder:
    currency = currency_code(body.get("currency"), "currency")
    items = body.get("line_items") or []
    if not isinstance(items, list):
        raise ValidationError(_("line_items is not a list"), "line_items")
    lines = [_line(i, currency) for i in items if isinstance(i, dict)]
    raw_billing = body.get("billing")
    billing: dict[str, Any] = raw_billing if isinstance(raw_billing, dict) else {}
    ship_to = _address(body.get("shipping"))
    bill_to = _address(billing)
    if not ship_to.line1:  # a shop without shipping addresses: the billing one
        ship_to = bill_to
    fees = [f for f in body.get("fee_lines") or [] if isinstance(f, dict)]
    shipping_lines = [s for s in body.get("shipping_lines") or [] if isinstance(s, dict)]
    refunds = [r for r in body.get("refunds") or [] if isinstance(r, dict)]
    status = text(body.get("status")).lower()
    return ExternalOrder(
        source_format=JSON_FORMAT,
        external_id=text(body.get("id")) or text(body.get("number")),
        number=text(body.get("number")) or text(body.get("id")),
        currency=currency,
        created_at=when(body.get("date_created_gmt") or body.get("date_created"), "date"),
        customer_name=ship_to.name or bill_to.name,
        email=text(billing.get("email")),
        phone=text(billing.get("phone")) or ship_to.phone,
        ship_to=ship_to,
        bill_to=bill_to,
        lines=lines,
        shipping_method=", ".join(text(s.get("method_title")) for s in shipping_lines),
        shipping=minor(body.get("shipping_total"), currency, "shipping_total"),
        shipping_tax=minor(body.get("shipping_tax"), currency, "shipping_tax"),
        fees=sum(
            minor(f.get("total"), currency, "fee_lines", signed=True)
            + minor(f.get("total_tax"), currency, "fee_lines", signed=True)
            for f in fees
        ),
        prices_include_tax=bool(body.get("prices_include_tax")),
        tax_total=minor(body.get("total_tax"), currency, "total_tax"),
        total=minor(body.get("total"), currency, "total"),
        refunded=sum(abs(minor(r.get("total"), currency, "refunds", signed=True)) for r in refunds),
        state=_STATES.get(status, OPEN),
        payment_status=status,
        payment_method=text(body.get("payment_method_title") or body.get("payment_method")),
        notes=text(body.get("customer_note")),
    )


# --- CSV -------------------------------------------------------------------------------

_ALIASES = {
    "order_id": ("order_id", "id"),
    "order_number": ("order_number_formatted", "order_number", "number"),
    "date": ("order_date", "date_created_gmt", "date_created", "date"),
    "status": ("status", "order_status"),
    "currency": ("order_currency", "currency"),
    "total": ("order_total", "total"),
    "tax": ("tax_total", "order_tax", "total_tax"),
    "shipping": ("shipping_total", "order_shipping"),
    "shipping_tax": ("shipping_tax_total", "order_shipping_tax"),
    "fees": ("fee_total",),
    "fee_tax": ("fee_tax_total",),
    "refunded": ("refunded_total", "order_refund"),
    "sku": ("item_sku", "sku"),
    "item_name": ("item_name", "product_name"),
    "item_quantity": ("item_quantity", "quantity"),
    "item_total": ("item_total", "line_total"),
    "item_subtotal": ("item_subtotal", "line_subtotal"),
    "item_tax": ("item_tax", "item_total_tax", "line_tax"),
    "item_price": ("item_price", "item_cost"),
}


class _Columns:
    def __init__(self, header: Sequence[str]) -> None:
        self.index = {
            "_".join(h.lower().replace("-", " ").split()): i for i, h in enumerate(header)
        }

    def find(self, key: str) -> int | None:
        for name in _ALIASES.get(key, (key,)):
            if name in self.index:
                return self.index[name]
        return None

    def get(self, cells: Sequence[str], key: str) -> str:
        i = self.find(key)
        return text(cells[i]) if i is not None and i < len(cells) else ""


def _packed_items(cell: str) -> list[dict[str, str]]:
    """'id:1|name:Hoodie|sku:H-1|quantity:2|total:90.00;id:2|...' -> one dict per item.
    A value may itself hold ':' (only the first one splits)."""
    items = []
    for chunk in cell.split(";"):
        if not chunk.strip():
            continue
        fields: dict[str, str] = {}
        for pair in chunk.split("|"):
            key, _sep, value = pair.partition(":")
            fields[key.strip().lower()] = value.strip()
        items.append(fields)
    return items


def from_csv(header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]) -> Parsed:
    """Orders from the export plugin's CSV, packed (a line_items column) or one row per
    item (item_* columns, rows of one order share its order_id)."""
    cols = _Columns(header)
    packed = "line_items" in cols.index
    if cols.find("order_id") is None and cols.find("order_number") is None:
        raise ValidationError(
            _("This is not a WooCommerce orders export: no order_id column."), "file"
        )
    if not packed and cols.find("item_quantity") is None:
        raise ValidationError(
            _("This WooCommerce export has neither a line_items column nor item_quantity."), "file"
        )

    def add(order: ExternalOrder, cells: Sequence[str], number: int) -> None:
        if packed:
            at = cols.index["line_items"]
            cell = cells[at] if at < len(cells) else ""
            order.lines += [_line(i, order.currency, number) for i in _packed_items(cell)]
        else:
            order.lines.append(_item_row(cols, cells, order.currency, number))

    return group_rows(
        rows,
        lambda cells: cols.get(cells, "order_id") or cols.get(cells, "order_number"),
        "order_id",
        "order id",
        lambda cells, key: _csv_order(cols, cells, key),
        add,
        _order_level_tax,
    )


def _order_level_tax(order: ExternalOrder) -> None:
    """An export whose items carry no tax still states the order's: the rest of it after
    shipping's is added on top (WooCommerce's totals are exclusive)."""
    if order.tax_total and not any(line.tax for line in order.lines):
        order.tax_added = max(order.tax_total - order.shipping_tax, 0)


def _item_row(cols: _Columns, cells: Sequence[str], currency: str, number: int) -> ExternalLine:
    return _line(
        {
            "sku": cols.get(cells, "sku"),
            "name": cols.get(cells, "item_name"),
            "quantity": cols.get(cells, "item_quantity"),
            "subtotal": cols.get(cells, "item_subtotal"),
            "total": cols.get(cells, "item_total"),
            "total_tax": cols.get(cells, "item_tax"),
            "price": cols.get(cells, "item_price"),
        },
        currency,
        number,
    )


def _csv_order(cols: _Columns, cells: Sequence[str], key: str) -> ExternalOrder:
    def get(name: str) -> str:
        return cols.get(cells, name)

    def address(prefix: str) -> ExternalAddress:
        first, last = get(f"{prefix}_first_name"), get(f"{prefix}_last_name")
        return ExternalAddress(
            name=get(f"{prefix}_full_name") or " ".join(p for p in (first, last) if p),
            company=get(f"{prefix}_company"),
            line1=get(f"{prefix}_address_1"),
            line2=get(f"{prefix}_address_2"),
            city=get(f"{prefix}_city"),
            postcode=get(f"{prefix}_postcode"),
            region=get(f"{prefix}_state_code") or get(f"{prefix}_state"),
            country=get(f"{prefix}_country").upper(),
            phone=get(f"{prefix}_phone"),
        )

    currency = currency_code(get("currency"), "order_currency")
    ship_to, bill_to = address("shipping"), address("billing")
    status = get("status").lower().removeprefix("wc-")
    return ExternalOrder(
        source_format=CSV_FORMAT,
        external_id=key,
        number=get("order_number") or key,
        currency=currency,
        created_at=when(get("date"), "order_date"),
        customer_name=ship_to.name or bill_to.name,
        email=get("billing_email"),
        phone=get("billing_phone") or ship_to.phone,
        ship_to=ship_to if ship_to.line1 else bill_to,
        bill_to=bill_to,
        shipping_method=get("shipping_method"),
        shipping=minor(get("shipping"), currency, "shipping_total"),
        shipping_tax=minor(get("shipping_tax"), currency, "shipping_tax_total"),
        fees=minor(get("fees"), currency, "fee_total", signed=True)
        + minor(get("fee_tax"), currency, "fee_tax_total", signed=True),
        tax_total=minor(get("tax"), currency, "tax_total") if get("tax") else None,
        total=minor(get("total"), currency, "order_total") if get("total") else None,
        refunded=abs(minor(get("refunded"), currency, "refunded_total", signed=True)),
        state=_STATES.get(status, OPEN),
        payment_status=status,
        payment_method=get("payment_method"),
        notes=get("customer_note"),
    )
