"""The customer's view of an order: the tracking page behind /track/TOKEN.

The token is a random 256-bit value kept on the order (sales_orders.tracking_token),
not the order number (SO-000123 is easy to guess) and not an HMAC of the id: a stored
token needs no shop secret to keep safe and could be replaced for one order alone if a
link leaked. New orders get one when they are created; orders from before it get one
the first time someone asks for their link.

What the customer sees is chosen here: the status, a timeline of status changes and
shipments only (no notes, no names of staff), and each shipment's carrier link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.i18n import _
from app.core.settings import get_setting
from app.core.tracking_links import tracking_url
from app.models import OrderEvent, SalesOrder
from app.services.fulfilment.shipping import shipments_of

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
STATUS_WORDS = {
    "new": "Received",
    "accepted": "Accepted",
    "confirmed": "Confirmed",
    "picking": "Being picked",
    "packed": "Packed",
    "partly_shipped": "Partly shipped",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "on_hold": "On hold",
    "cancelled": "Cancelled",
    "completed": "Completed",
    "partly_refunded": "Partly refunded",
    "refunded": "Refunded",
}


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def tracking_url_of(session: Session, order_id: int) -> str:
    """The link for the order with this id (`kestrel order show --json`)."""
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    return tracking_url(session, order)


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


@dataclass(frozen=True)
class ShipmentView:
    carrier: str
    status: str
    tracking: tuple[tuple[str, str], ...]  # (number, carrier's link or '')


@dataclass(frozen=True)
class TrackingPage:
    shop_name: str
    number: str
    status: str
    status_text: str
    created_at: datetime
    timeline: tuple[Step, ...]
    shipments: tuple[ShipmentView, ...]


def shipments(session: Session, order_id: int) -> tuple[ShipmentView, ...]:
    return tuple(
        ShipmentView(s.carrier, s.status, tuple(zip(s.tracking, s.links, strict=True)))
        for s in shipments_of(session, order_id)
    )


def shop_name(session: Session) -> str:
    return str(get_setting(session, "company_name"))


def page(session: Session, token: str) -> TrackingPage:
    """What the customer holding `token` may see; NotFound for any other token (the
    same answer whether it is malformed or merely unknown)."""
    order = None
    if TOKEN.fullmatch(token):
        order = session.scalar(select(SalesOrder).where(SalesOrder.tracking_token == token))
    if order is None:
        raise NotFound(_("There is no order behind this link. Check the link in your e-mail."))
    events = session.execute(
        select(OrderEvent.at, OrderEvent.to_status)
        .where(OrderEvent.order_id == order.id, OrderEvent.to_status != "")
        .order_by(OrderEvent.id)
    ).all()
    timeline = [Step(at, status_words(to)) for at, to in events]
    if not timeline or timeline[0].text != status_words("new"):
        timeline.insert(0, Step(order.created_at, "Order received"))
    return TrackingPage(
        shop_name=shop_name(session),
        number=order.number,
        status=order.status,
        status_text=status_words(order.status),
        created_at=order.created_at,
        timeline=tuple(timeline),
        shipments=shipments(session, order.id),
    )
