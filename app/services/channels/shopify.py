"""Shopify's order exports: the admin's orders CSV and the order JSON (Admin REST
`orders.json`, or one order as a webhook body).

The CSV has one row per line item. Order-level fields (totals, statuses, addresses, Id,
payment) are only on an order's first row; continuation rows repeat Name, Email,
Created at and the `Lineitem *` columns. Columns are found by header name (they move and
grow between Shopify versions). Postcodes may carry Excel's leading apostrophe ('02134).
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

CSV_FORMAT, JSON_FORMAT = "shopify-csv", "shopify-json"
REQUIRED_COLUMNS = ("name", "lineitem quantity", "lineitem price")


def _state(financial: str, cancelled_at: str) -> str:
    if cancelled_at:
        return CANCELLED
    if financial.lower() in ("refunded", "voided"):
        return REFUNDED
    return OPEN


def _postcode(value: object) -> str:
    return text(value).lstrip("'")


# --- CSV -------------------------------------------------------------------------------


class _Columns:
    def __init__(self, header: Sequence[str]) -> None:
        self.index = {" ".join(h.lower().split()): i for i, h in enumerate(header)}
        self._picks: dict[tuple[str, ...], list[tuple[str, int]]] = {}

    def has(self, name: str) -> bool:
        return name in self.index

    def get(self, cells: Sequence[str], name: str) -> str:
        i = self.index.get(name)
        if i is None or i >= len(cells) or not cells[i]:  # most cells of a row are empty
            return ""
        return text(cells[i])

    def read(self, cells: Sequence[str], names: tuple[str, ...]) -> dict[str, str]:
        """The cells of `names` read at once, as `get` reads each ('' when the file has
        no such column): one call a row instead of a lookup and a call a field."""
        picks = self._picks.get(names)
        if picks is None:
            picks = self._picks[names] = [(n, self.index.get(n, -1)) for n in names]
        count = len(cells)
        row = dict.fromkeys(names, "")
        for name, i in picks:
            if 0 <= i < count and (cell := cells[i]):
                # text()'s own fast path for a printable cell without an entity, inline
                row[name] = cell.strip() if "&" not in cell and cell.isprintable() else text(cell)
        return row


_ADDRESS = (
    *("name", "company", "address1", "street", "address2", "city", "zip"),
    *("province", "province name", "country", "phone"),
)
_ORDER_COLUMNS = (
    *(f"shipping {n}" for n in _ADDRESS),
    *(f"billing {n}" for n in _ADDRESS),
    *("currency", "financial status", "id", "created at", "email", "phone"),
    *("shipping method", "shipping", "discount amount", "taxes", "total", "refunded amount"),
    *("cancelled at", "payment method", "notes", "note attributes"),
)
_LINE_COLUMNS = (
    *("lineitem quantity", "lineitem price", "lineitem discount"),
    *("lineitem sku", "lineitem name"),
)


def _address(row: dict[str, str], prefix: str) -> ExternalAddress:
    def get(name: str) -> str:
        return row[f"{prefix} {name}"]

    line1 = get("address1") or get("street")
    country = get("country")
    return ExternalAddress(
        name=get("name"),
        company=get("company"),
        line1=line1,
        line2=get("address2"),
        city=get("city"),
        postcode=_postcode(get("zip")),
        region=get("province") or get("province name"),
        country=country.upper() if len(country) == 2 else country,
        phone=get("phone"),
    )


def from_csv(header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]) -> Parsed:
    """Orders from the orders CSV, given its header and (row number, cells) pairs."""
    cols = _Columns(header)
    missing = [c for c in REQUIRED_COLUMNS if not cols.has(c)]
    if missing:
        raise ValidationError(
            "This is not a Shopify orders export: it has no "
            + ", ".join(f"'{c.title()}'" for c in missing)
            + " column.",
            "file",
        )
    return group_rows(
        rows,
        lambda cells: cols.get(cells, "name"),
        "Name",
        "order name",
        lambda cells, name: _first_row(cols, cells, name),
        lambda order, cells, number: order.lines.append(
            _csv_line(cols, cells, order.currency, number)
        ),
        _settle_csv_totals,
    )


def _first_row(cols: _Columns, cells: Sequence[str], name: str) -> ExternalOrder:
    row = cols.read(cells, _ORDER_COLUMNS)
    currency = currency_code(row["currency"], "Currency")
    financial = row["financial status"]
    ship_to = _address(row, "shipping")
    return ExternalOrder(
        source_format=CSV_FORMAT,
        external_id=row["id"] or name,
        number=name,
        currency=currency,
        created_at=when(row["created at"], "Created at"),
        customer_name=ship_to.name or row["billing name"],
        email=row["email"],
        phone=row["phone"] or ship_to.phone,
        ship_to=ship_to,
        bill_to=_address(row, "billing"),
        shipping_method=row["shipping method"],
        shipping=minor(row["shipping"], currency, "Shipping"),
        discount=minor(row["discount amount"], currency, "Discount Amount"),
        tax_total=minor(row["taxes"], currency, "Taxes"),
        total=minor(row["total"], currency, "Total"),
        refunded=minor(row["refunded amount"], currency, "Refunded Amount"),
        state=_state(financial, row["cancelled at"]),
        payment_status=financial,
        payment_method=row["payment method"],
        notes="\n".join(part for part in (row["notes"], row["note attributes"]) if part),
    )


def _csv_line(cols: _Columns, cells: Sequence[str], currency: str, number: int) -> ExternalLine:
    row = cols.read(cells, _LINE_COLUMNS)
    qty = quantity(row["lineitem quantity"], "Lineitem quantity")
    price = minor(row["lineitem price"], currency, "Lineitem price")
    discount = minor(row["lineitem discount"], currency, "Lineitem discount")
    if discount > qty * price:
        raise ValidationError(
            _("Lineitem discount {discount} is more than the line's {value}.").format(
                discount=discount, value=qty * price
            ),
            "Lineitem discount",
        )
    return ExternalLine(
        sku=row["lineitem sku"],
        name=row["lineitem name"],
        quantity=qty,
        unit_price=price,
        net=qty * price - discount,
        discount=discount,
        row=number,
    )


def _settle_csv_totals(order: ExternalOrder) -> None:
    """The CSV has no tax per line: Taxes is order-level, added on top for a shop with
    exclusive prices, already inside the prices for one with inclusive prices (the
    stated Total tells which). Discount Amount counts once: lines that carry their own
    share of it (Lineitem discount) leave no order-level rest."""
    line_discounts = sum(line.discount for line in order.lines)
    order.discount = max(order.discount - line_discounts, 0)
    taxes = order.tax_total or 0
    exclusive = order.lines_total + order.shipping - order.discount + taxes
    if order.total is not None and taxes and abs(order.total - exclusive) > len(order.lines) + 1:
        order.prices_include_tax = True
        order.tax_added = 0
    else:
        order.tax_added = taxes


# --- JSON ------------------------------------------------------------------------------


def from_json(data: Any, *, single: bool = False) -> Parsed:
    """Orders from `{"orders": [...]}`, `{"order": {...}}` or one order object (a
    webhook body; with `single` only that is accepted). An array where an object was
    expected, or an order that is not an object, is refused in words."""
    if not isinstance(data, dict):
        raise ValidationError(
            _("A Shopify order is a JSON object; this is {value}.").format(value=_kind(data)),
            "body",
        )
    if single:
        bodies: list[Any] = [data.get("order", data)]
    elif isinstance(data.get("orders"), list):
        bodies = data["orders"]
    else:
        bodies = [data.get("order", data)]
    parsed = Parsed()
    for position, body in enumerate(bodies, start=1):
        label = text(body.get("name") or body.get("id")) if isinstance(body, dict) else ""
        try:
            if not isinstance(body, dict):
                raise ValidationError(
                    _("order {position} is {value}, not an object").format(
                        position=position, value=_kind(body)
                    ),
                    "",
                )
            parsed.orders.append(_json_order(body))
        except ValidationError as exc:
            parsed.problems.append(Problem(None, label or f"#{position}", exc.field, str(exc)))
    return parsed


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def _json_address(data: Any) -> ExternalAddress:
    if not isinstance(data, dict):
        return ExternalAddress()
    name = text(data.get("name")) or " ".join(
        p for p in (text(data.get("first_name")), text(data.get("last_name"))) if p
    )
    return ExternalAddress(
        name=name,
        company=text(data.get("company")),
        line1=text(data.get("address1")),
        line2=text(data.get("address2")),
        city=text(data.get("city")),
        postcode=_postcode(data.get("zip")),
        region=text(data.get("province_code") or data.get("province")),
        country=text(data.get("country_code")).upper() or text(data.get("country")),
        phone=text(data.get("phone")),
    )


def _tax(items: Any, currency: str) -> int:
    if not isinstance(items, list):
        return 0
    return sum(minor(t.get("price"), currency, "tax_lines") for t in items if isinstance(t, dict))


def _json_line(item: Any, currency: str, included: bool) -> ExternalLine:
    if not isinstance(item, dict):
        raise ValidationError(_("a line item is not an object"), "line_items")
    qty = quantity(item.get("quantity"), "line_items.quantity")
    price = minor(item.get("price"), currency, "line_items.price")
    allocations = item.get("discount_allocations")
    if isinstance(allocations, list) and allocations:
        discount = sum(minor(a.get("amount"), currency, "discount") for a in allocations)
    else:
        discount = minor(item.get("total_discount"), currency, "line_items.total_discount")
    tax = _tax(item.get("tax_lines"), currency)
    gross = qty * price - discount
    return ExternalLine(
        sku=text(item.get("sku")),
        name=text(item.get("name") or item.get("title")),
        quantity=qty,
        unit_price=price,
        net=gross - tax if included else gross,
        tax=tax,
        discount=discount,
        external_id=text(item.get("id")),
    )


def _json_order(body: dict[str, Any]) -> ExternalOrder:
    currency = currency_code(body.get("currency"), "currency")
    included = bool(body.get("taxes_included"))
    lines = [_json_line(item, currency, included) for item in body.get("line_items") or []]
    shipping_lines = [s for s in body.get("shipping_lines") or [] if isinstance(s, dict)]
    shipping_gross = sum(minor(s.get("price"), currency, "shipping_lines") for s in shipping_lines)
    shipping_tax = sum(_tax(s.get("tax_lines"), currency) for s in shipping_lines)
    raw_customer = body.get("customer")
    customer: dict[str, Any] = raw_customer if isinstance(raw_customer, dict) else {}
    ship_to = _json_address(body.get("shipping_address"))
    total_discounts = minor(body.get("total_discounts"), currency, "total_discounts")
    raw_refunds = body.get("refunds")
    refunds: list[Any] = raw_refunds if isinstance(raw_refunds, list) else []
    refunded = sum(
        minor(t.get("amount"), currency, "refunds")
        for r in refunds
        if isinstance(r, dict)
        for t in (r.get("transactions") or [])
        if isinstance(t, dict) and text(t.get("kind")) == "refund"
    )
    customer_name = " ".join(
        p for p in (text(customer.get("first_name")), text(customer.get("last_name"))) if p
    )
    return ExternalOrder(
        source_format=JSON_FORMAT,
        external_id=text(body.get("id")) or text(body.get("name")),
        number=text(body.get("name")) or text(body.get("order_number")),
        currency=currency,
        created_at=when(body.get("created_at"), "created_at"),
        customer_name=ship_to.name or customer_name,
        email=text(body.get("email") or body.get("contact_email") or customer.get("email")),
        phone=text(body.get("phone") or customer.get("phone")) or ship_to.phone,
        ship_to=ship_to,
        bill_to=_json_address(body.get("billing_address")),
        lines=lines,
        shipping_method=", ".join(text(s.get("title")) for s in shipping_lines),
        shipping=shipping_gross - shipping_tax if included else shipping_gross,
        shipping_tax=shipping_tax,
        discount=max(total_discounts - sum(line.discount for line in lines), 0),
        prices_include_tax=included,
        tax_total=minor(body.get("total_tax"), currency, "total_tax"),
        total=minor(body.get("total_price"), currency, "total_price"),
        refunded=refunded,
        state=_state(text(body.get("financial_status")), text(body.get("cancelled_at"))),
        payment_status=text(body.get("financial_status")),
        payment_method=", ".join(text(g) for g in body.get("payment_gateway_names") or []),
        notes=text(body.get("note")),
    )
