"""One order as the order screen shows it: frozen rows of its lines and its timeline, and
the actions the user may take on it now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import (
    NotFound,
)
from app.core.validation import clean_text
from app.models import (
    OrderEvent,
    OrderLine,
    SalesOrder,
)
from app.services.sales.orders import allowed_actions, refused_actions


@dataclass(frozen=True)
class LineRow:
    id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    discount: int
    tax_rate_bp: int
    net: int
    tax: int
    total: int


@dataclass(frozen=True)
class EventRow:
    id: int
    at: object
    user_name: str
    workstation: str
    kind: str
    from_status: str
    to_status: str
    message: str
    data: str = ""

    @property
    def print_job_id(self) -> int | None:
        """The print job behind a 'printed' entry, for reprinting from the timeline."""
        if self.kind != "printed" or not self.data:
            return None
        value = json.loads(self.data).get("job_id")
        return int(value) if value is not None else None

    @property
    def email_message_id(self) -> str:
        """The Message-ID behind an e-mail entry ("" for others), to send it again."""
        if self.kind != "email" or not self.data:
            return ""
        return str(json.loads(self.data).get("message_id") or "")


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    channel: str
    status: str
    customer_id: int
    customer_name: str
    email: str
    phone: str
    ship_to: tuple[str, ...]
    warehouse_id: int | None
    currency: str
    subtotal: int
    tax_total: int
    total: int
    note: str
    created_at: object
    updated_at: object
    version: int
    lines: tuple[LineRow, ...] = field(default_factory=tuple)
    events: tuple[EventRow, ...] = field(default_factory=tuple)
    actions: tuple[str, ...] = field(default_factory=tuple)
    warehouse_code: str = ""
    refused: dict[str, str] = field(default_factory=dict)  # action -> why not, for open orders


def get_order(session: Session, order_id: int, actor: Actor | None = None) -> OrderDetail:
    """Everything the order screen shows, as frozen rows."""
    if actor is not None:
        require(actor, Permission.ORDERS_VIEW)
    order = session.get(SalesOrder, order_id, populate_existing=True)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
    lines = tuple(
        LineRow(
            ln.id,
            ln.line_no,
            ln.product_id,
            ln.sku,
            ln.name,
            ln.quantity,
            ln.unit_price,
            ln.discount,
            ln.tax_rate_bp,
            ln.net,
            ln.tax,
            ln.total,
        )
        for ln in session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
        )
    )
    events = tuple(
        EventRow(*row)
        for row in session.execute(
            select(
                OrderEvent.id,
                OrderEvent.at,
                OrderEvent.user_name,
                OrderEvent.workstation,
                OrderEvent.kind,
                OrderEvent.from_status,
                OrderEvent.to_status,
                OrderEvent.message,
                OrderEvent.data,
            )
            .where(OrderEvent.order_id == order.id)
            .order_by(OrderEvent.id)
        )
    )
    return OrderDetail(
        id=order.id,
        number=order.number,
        channel=order.channel,
        status=order.status,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        email=order.email,
        phone=order.phone,
        ship_to=_ship_to(order),
        warehouse_id=order.warehouse_id,
        warehouse_code=_warehouse_code(session, order.warehouse_id),
        currency=order.currency,
        subtotal=order.subtotal,
        tax_total=order.tax_total,
        total=order.total,
        note=order.note,
        created_at=order.created_at,
        updated_at=order.updated_at,
        version=order.version,
        lines=lines,
        events=events,
        actions=allowed_actions(order.status, actor),
        refused=refused_actions(order.status, actor),
    )


def _ship_to(order: SalesOrder) -> tuple[str, ...]:
    """The ship-to address as the lines a label prints, empty parts left out."""
    city = " ".join(p for p in (order.ship_postcode, order.ship_city) if p)
    parts = (
        order.ship_name,
        order.ship_line1,
        order.ship_line2,
        city,
        order.ship_region,
        order.ship_country,
    )
    return tuple(part for part in parts if part)


def _warehouse_code(session: Session, warehouse_id: int | None) -> str:
    from app.models import Warehouse

    if warehouse_id is None:
        return ""
    return session.scalar(select(Warehouse.code).where(Warehouse.id == warehouse_id)) or ""


def find_order_id(session: Session, number: str) -> int | None:
    number = clean_text(number, "Order number", max_length=40).upper()
    return session.scalar(select(SalesOrder.id).where(SalesOrder.number == number))
