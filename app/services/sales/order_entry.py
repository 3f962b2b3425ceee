"""Creating a sales order: its lines priced, taxed and totalled here, exactly, and its
ship-to address taken from the input or the customer's default.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import changes, session_cache
from app.core.auth import Actor, Permission, require
from app.core.bootstrap import walk_in_customer_id
from app.core.errors import (
    NotFound,
    ValidationError,
)
from app.core.i18n import _
from app.core.money import line_amounts
from app.core.numbering import next_number
from app.core.sentence import said
from app.core.settings import get_setting
from app.core.validation import check_money, check_quantity, clean_text
from app.models import (
    Channel,
    OrderLine,
    OrderStatus,
    Party,
    Product,
    SalesOrder,
)
from app.services.sales.customers import AddressInput, check_email, clean_address, default_address
from app.services.sales.orders import record_event

S = OrderStatus

MAX_LINES = 500


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: int
    unit_price: int | None = None  # None: the product's price
    discount: int = 0
    name: str = ""  # instead of the product's name (a gift card line names its code)


@dataclass(frozen=True)
class OrderInput:
    channel: str
    lines: tuple[LineInput, ...]
    customer_id: int | None = None
    email: str = ""
    phone: str = ""
    ship_to: AddressInput | None = None
    note: str = ""
    external_ref: str = ""
    warehouse_id: int | None = None
    carrier_id: int | None = None  # the customer's choice of carrier, if any
    priority: int = 0  # above 0: urgent, picked first
    due_at: datetime | None = None  # when it must leave


@dataclass(frozen=True)
class OrderRef:
    id: int
    number: str
    version: int


def _check_channel(channel: str) -> Channel:
    try:
        return Channel(channel)
    except ValueError:
        raise ValidationError(
            _("'{channel}' is not a sales channel.").format(channel=channel), "channel"
        ) from None


def check_line_count(lines: Sequence[LineInput]) -> None:
    if not lines:
        raise ValidationError(_("An order needs at least one line."), "lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("An order holds at most {max_lines} lines.").format(max_lines=MAX_LINES), "lines"
        )


def create_order(session: Session, actor: Actor, data: OrderInput) -> OrderRef:
    """A new order with its lines; prices, tax and totals are computed here, exactly."""
    require(actor, Permission.ORDERS_CREATE)
    channel = _check_channel(data.channel)
    check_line_count(data.lines)
    customer_id = data.customer_id or walk_in_customer_id(session)
    customer = session.get(Party, customer_id)
    if customer is None:
        raise NotFound(_("Customer {customer_id} does not exist.").format(customer_id=customer_id))
    inclusive = bool(get_setting(session, "prices_include_tax"))
    order = SalesOrder(
        **header_values(actor, channel, data, customer, str(get_setting(session, "currency"))),
        tracking_token=secrets.token_urlsafe(32),  # the customer's /track/TOKEN, unguessable
    )
    if channel is not Channel.COUNTER or data.ship_to is not None:
        _set_ship_to(session, order, data.ship_to, customer.id)
    products = {
        p.id: session_cache.keep(session, p)  # the stock moves that follow reuse them
        for p in session.scalars(
            select(Product).where(Product.id.in_({ln.product_id for ln in data.lines}))
        )
    }
    for values in priced_lines(products, data.lines, inclusive):
        order.lines.append(OrderLine(**values))
    order.subtotal = sum(ln.net for ln in order.lines)
    order.tax_total = sum(ln.tax for ln in order.lines)
    order.total = sum(ln.total for ln in order.lines)
    check_money(order.total, "The order's total")  # bounds every line's amounts too
    order.number = next_number(session)
    session.add(order)
    session.flush()
    created = said("Order created ({channel})", channel=channel.value)
    record_event(session, order, actor, "created", created, "", S.NEW.value)
    changes.note(session, orders=[order.id], kind="orders")
    changes.note(session, kind=changes.ORDER_CREATED)
    return OrderRef(order.id, order.number, order.version)


class Customer(Protocol):
    """What an order copies of its customer (a Party, or the counter's plain row)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def phone(self) -> str: ...


class Priced(Protocol):
    """What a line copies of its product (a Product, or the counter's plain row)."""

    @property
    def id(self) -> int: ...
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def price(self) -> int: ...
    @property
    def tax_rate_bp(self) -> int: ...
    @property
    def active(self) -> bool: ...


def header_values(
    actor: Actor, channel: Channel, data: OrderInput, customer: Customer, currency: str
) -> dict[str, Any]:
    """A new order's columns but its number, totals and tracking token, checked: the one
    place they are worked out, for create_order and for the counter's Core insert."""
    return {
        "number": "",
        "channel": channel.value,
        "status": S.NEW.value,
        "customer_id": customer.id,
        "customer_name": customer.name,
        "email": check_email(data.email or customer.email),
        "phone": clean_text(data.phone or customer.phone, "Phone", max_length=40),
        "note": clean_text(data.note, "Note", max_length=5000),
        "external_ref": clean_text(data.external_ref, "External reference", max_length=100),
        "warehouse_id": data.warehouse_id,  # None: assigned when accepted (assignment.py)
        "carrier_id": data.carrier_id,
        "priority": max(0, min(int(data.priority), 9)),
        "due_at": data.due_at,
        "currency": currency,
        "created_by_id": actor.user_id,
    }


def priced_lines(
    products: Mapping[int, Priced], lines: Sequence[LineInput], inclusive: bool
) -> list[dict[str, Any]]:
    """Every line's columns (line_values), refusing a product that is missing or no longer
    sold, in the words of its line number."""
    rows = []
    for number, line in enumerate(lines, start=1):
        product = products.get(line.product_id)
        if product is None:
            raise NotFound(
                _("Line {number}: product {product_id} does not exist.").format(
                    number=number, product_id=line.product_id
                )
            )
        if not product.active:
            raise ValidationError(
                _("Line {number}: {sku} is no longer sold.").format(number=number, sku=product.sku),
                "lines",
            )
        rows.append(line_values(number, product, line, inclusive))
    return rows


def line_values(number: int, product: Priced, line: LineInput, inclusive: bool) -> dict[str, Any]:
    """An order line's columns, priced and taxed exactly: the one place a line is worked
    out, for create_order and for a bulk import that inserts thousands at once."""
    quantity = check_quantity(line.quantity, f"Line {number} quantity")
    price = product.price if line.unit_price is None else check_money(line.unit_price, "Price")
    discount = check_money(line.discount, "Discount")
    amounts = line_amounts(quantity, price, discount, product.tax_rate_bp, inclusive)
    return {
        "line_no": number,
        "product_id": product.id,
        "sku": product.sku,
        "name": clean_text(line.name, "Line name", max_length=200) or product.name,
        "quantity": quantity,
        "unit_price": price,
        "discount": discount,
        "tax_rate_bp": product.tax_rate_bp,
        "net": amounts.net,
        "tax": amounts.tax,
        "total": amounts.total,
    }


def _set_ship_to(
    session: Session, order: SalesOrder, ship_to: AddressInput | None, customer_id: int
) -> None:
    if ship_to is not None:
        fields = clean_address(ship_to)
    else:
        address = default_address(session, customer_id)
        if address is None:
            return
        fields = {
            k: getattr(address, k)
            for k in ("name", "line1", "line2", "city", "postcode", "region", "country")
        }
    order.ship_name = fields["name"] or order.customer_name
    order.ship_line1 = fields["line1"]
    order.ship_line2 = fields["line2"]
    order.ship_city = fields["city"]
    order.ship_postcode = fields["postcode"]
    order.ship_region = fields["region"]
    order.ship_country = fields["country"]
