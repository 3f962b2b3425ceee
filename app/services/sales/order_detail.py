"""One order as the order screen shows it: frozen rows of its lines and its timeline, and
the actions the user may take on it now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import (
    NotFound,
)
from app.core.i18n import _
from app.core.sentence import shown
from app.core.validation import clean_text
from app.models import (
    OrderEvent,
    OrderLine,
    SalesOrder,
    Warehouse,
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
    message: str  # in English, as written (audit, search, `order show --json`)
    data: str = ""

    @property
    def text(self) -> str:
        """The entry's sentence in the screen's language (issue 21; an entry from before
        it, or a note, as it was written)."""
        return shown(self.message, self.data)

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


_HEADER = (
    select(
        SalesOrder.id,
        SalesOrder.number,
        SalesOrder.channel,
        SalesOrder.status,
        SalesOrder.customer_id,
        SalesOrder.customer_name,
        SalesOrder.email,
        SalesOrder.phone,
        SalesOrder.ship_name,
        SalesOrder.ship_line1,
        SalesOrder.ship_line2,
        SalesOrder.ship_postcode,
        SalesOrder.ship_city,
        SalesOrder.ship_region,
        SalesOrder.ship_country,
        SalesOrder.warehouse_id,
        SalesOrder.currency,
        SalesOrder.subtotal,
        SalesOrder.tax_total,
        SalesOrder.total,
        SalesOrder.note,
        SalesOrder.created_at,
        SalesOrder.updated_at,
        SalesOrder.version,
        Warehouse.code,
    )
    .outerjoin(Warehouse, Warehouse.id == SalesOrder.warehouse_id)
    .where(SalesOrder.id == bindparam("order_id"))
)
_LINES = (
    select(
        OrderLine.id,
        OrderLine.line_no,
        OrderLine.product_id,
        OrderLine.sku,
        OrderLine.name,
        OrderLine.quantity,
        OrderLine.unit_price,
        OrderLine.discount,
        OrderLine.tax_rate_bp,
        OrderLine.net,
        OrderLine.tax,
        OrderLine.total,
    )
    .where(OrderLine.order_id == bindparam("order_id"))
    .order_by(OrderLine.line_no)
)
_EVENTS = (
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
    .where(OrderEvent.order_id == bindparam("order_id"))
    .order_by(OrderEvent.id)
)


def get_order(session: Session, order_id: int, actor: Actor | None = None) -> OrderDetail:
    """Everything the order screen shows, as frozen rows: three prebuilt Core statements
    on the session's connection (issue 20: no ORM objects, no statement built per call),
    so what was committed is read, whatever the session holds."""
    if actor is not None:
        require(actor, Permission.ORDERS_VIEW)
    if session.new or session.dirty or session.deleted:
        session.flush()  # a caller's own changes in this transaction are read too
    connection = session.connection()
    params = {"order_id": order_id}
    order = connection.execute(_HEADER, params).first()
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    line_rows: list[Any] = list(connection.execute(_LINES, params))  # 12 columns: untyped
    lines = tuple(LineRow(*row) for row in line_rows)
    events = tuple(EventRow(*row) for row in connection.execute(_EVENTS, params))
    city = " ".join(part for part in (order.ship_postcode, order.ship_city) if part)
    ship_to = (
        order.ship_name,
        order.ship_line1,
        order.ship_line2,
        city,
        order.ship_region,
        order.ship_country,
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
        ship_to=tuple(part for part in ship_to if part),
        warehouse_id=order.warehouse_id,
        warehouse_code=order.code or "",
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


def find_order_id(session: Session, number: str) -> int | None:
    number = clean_text(number, "Order number", max_length=40).upper()
    return session.scalar(select(SalesOrder.id).where(SalesOrder.number == number))
