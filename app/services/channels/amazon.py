"""Amazon's order report (the flat file of Seller Central: tab-separated, one row per
order item, `order-id`, `order-item-id`, `sku`, `quantity-purchased`, `item-price`,
`ship-*` columns).

`item-price` is the price of the whole line (unit price times quantity), as are
`item-tax` and the promotion discounts. The report states no order total. Marketplaces
in the US and Canada show tax on top of the price; every other marketplace (EU, UK, JP,
AU ...) shows prices with the tax in them, so there `item-tax` is the part of the price
that is tax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.channels.external import (
    CANCELLED,
    ExternalAddress,
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

TSV_FORMAT = "amazon-tsv"
REQUIRED_COLUMNS = ("order-id", "sku", "quantity-purchased", "item-price")
TAX_ON_TOP = frozenset({"USD", "CAD"})


class _Columns:
    def __init__(self, header: Sequence[str]) -> None:
        self.index = {h.strip().lower().replace("_", "-"): i for i, h in enumerate(header)}

    def get(self, cells: Sequence[str], name: str) -> str:
        i = self.index.get(name)
        return text(cells[i]) if i is not None and i < len(cells) else ""


def from_tsv(header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]) -> Parsed:
    """Orders from the report, given its header and (row number, cells) pairs; a
    cancelled item (quantity 0, or item-status Cancelled) adds no line."""
    cols = _Columns(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in cols.index]
    if missing:
        raise ValidationError(
            "This is not an Amazon order report: it has no " + ", ".join(missing) + " column.",
            "file",
        )
    return group_rows(
        rows,
        lambda cells: cols.get(cells, "order-id"),
        "order-id",
        "order-id",
        lambda cells, order_id: _order(cols, cells, order_id),
        lambda order, cells, number: _add_item(order, cols, cells, number),
        _cancelled_if_empty,
    )


def _cancelled_if_empty(order: ExternalOrder) -> None:
    """Every item of it cancelled (quantity 0): the order was cancelled."""
    if not order.lines:
        order.state = CANCELLED


def _order(cols: _Columns, cells: Sequence[str], order_id: str) -> ExternalOrder:
    def get(name: str) -> str:
        return cols.get(cells, name)

    currency = currency_code(get("currency"), "currency")
    ship_to = ExternalAddress(
        name=get("recipient-name"),
        line1=get("ship-address-1"),
        line2=", ".join(p for p in (get("ship-address-2"), get("ship-address-3")) if p),
        city=get("ship-city"),
        postcode=get("ship-postal-code"),
        region=get("ship-state"),
        country=get("ship-country").upper(),
        phone=get("ship-phone-number"),
    )
    status = get("order-status").lower()
    return ExternalOrder(
        source_format=TSV_FORMAT,
        external_id=order_id,
        number=order_id,
        currency=currency,
        created_at=when(get("purchase-date"), "purchase-date"),
        customer_name=get("buyer-name") or ship_to.name,
        email=get("buyer-email"),
        phone=get("buyer-phone-number") or ship_to.phone,
        ship_to=ship_to,
        shipping_method=get("ship-service-level"),
        prices_include_tax=currency not in TAX_ON_TOP,
        state=CANCELLED if status == "cancelled" else "open",
        payment_status=status,
    )


def _add_item(order: ExternalOrder, cols: _Columns, cells: Sequence[str], number: int) -> None:
    def get(name: str) -> str:
        return cols.get(cells, name)

    currency = order.currency
    if get("quantity-purchased") in ("0", "") or get("item-status").lower() == "cancelled":
        return
    qty = quantity(get("quantity-purchased"), "quantity-purchased")
    price = minor(get("item-price"), currency, "item-price")
    tax = minor(get("item-tax"), currency, "item-tax")
    discount = abs(
        minor(get("item-promotion-discount"), currency, "item-promotion-discount", signed=True)
    )
    ship = minor(get("shipping-price"), currency, "shipping-price")
    ship_tax = minor(get("shipping-tax"), currency, "shipping-tax")
    ship_discount = abs(
        minor(get("ship-promotion-discount"), currency, "ship-promotion-discount", signed=True)
    )
    if discount > price:
        raise ValidationError(
            _("item-promotion-discount {discount} is more than the line's {price}.").format(
                discount=discount, price=price
            ),
            "item-promotion-discount",
        )
    gross = price - discount
    included = order.prices_include_tax
    order.lines.append(
        ExternalLine(
            sku=get("sku"),
            name=get("product-name"),
            quantity=qty,
            unit_price=(price + qty // 2) // qty,
            net=gross - tax if included else gross,
            tax=tax,
            discount=discount,
            external_id=get("order-item-id"),
            row=number,
        )
    )
    ship_gross = max(ship - ship_discount, 0)
    order.shipping += ship_gross - ship_tax if included else ship_gross
    order.shipping_tax += ship_tax
