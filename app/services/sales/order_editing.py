"""What the Edit order form opens on (issue 15): an entered order's lines (the shipping line
apart, as its cost), carrier and ship-to address the way the New order form holds them,
with the version the save hands back to entry.edit_entry_order, and why an order may not be
edited any more, in words, so the order screen can grey its Edit button with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound
from app.core.i18n import _
from app.models import Carrier, OrderLine, Product, SalesOrder
from app.services.sales import entry, orders
from app.services.sales.customers import AddressInput

MAX_ID = 2**31 - 1  # the largest id the column holds: anything past it is no order at all


@dataclass(frozen=True)
class EditLine:
    """A line as the form shows it: the catalogue's price now, and the order's price."""

    product_id: int
    sku: str
    name: str
    quantity: int
    list_price: int
    unit_price: int
    discount: int


@dataclass(frozen=True)
class EditableOrder:
    id: int
    number: str
    status: str
    version: int
    customer_id: int
    customer_name: str
    ship_to: AddressInput
    carrier_code: str = ""
    shipping_cost: int = 0
    lines: tuple[EditLine, ...] = field(default_factory=tuple)


def edit_refusal(status: str, actor: Actor) -> str:
    """'' when `actor` may edit an order in `status`; otherwise why not, in words."""
    if not actor.can(Permission.ORDERS_CREATE):
        return _("Your role may not change orders.")
    if status not in entry.EDITABLE:
        return _(
            "An order that is {status} can no longer be changed: only a new or accepted one can."
        ).format(status=orders.status_label(status).lower())
    return ""


def editable_order(session: Session, actor: Actor, order_id: int) -> EditableOrder:
    """The order as the edit form opens on it; refused in words when it cannot change
    (reading it for an edit needs the right to change orders, as the save does)."""
    require(actor, Permission.ORDERS_CREATE)
    order = None
    if isinstance(order_id, int) and not isinstance(order_id, bool) and 0 < order_id <= MAX_ID:
        order = session.get(SalesOrder, order_id, populate_existing=True)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    refusal = edit_refusal(order.status, actor)
    if refusal:
        raise InvalidTransition(f"{order.number}: {refusal}")
    rows = session.execute(
        select(OrderLine, Product.price)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.line_no)
    ).all()
    lines = tuple(
        EditLine(ln.product_id, ln.sku, ln.name, ln.quantity, price, ln.unit_price, ln.discount)
        for ln, price in rows
        if ln.sku != entry.SHIPPING_SKU
    )
    carrier = ""
    if order.carrier_id is not None:
        carrier = session.scalar(select(Carrier.code).where(Carrier.id == order.carrier_id)) or ""
    return EditableOrder(
        id=order.id,
        number=order.number,
        status=order.status,
        version=order.version,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        ship_to=AddressInput(
            order.ship_line1,
            order.ship_city,
            order.ship_postcode,
            order.ship_country,
            name=order.ship_name,
            line2=order.ship_line2,
            region=order.ship_region,
        ),
        carrier_code=carrier,
        shipping_cost=sum(ln.total for ln, _price in rows if ln.sku == entry.SHIPPING_SKU),
        lines=lines,
    )
