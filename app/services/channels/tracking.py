"""The customer's view of an order: the tracking page behind /track/TOKEN.

The token is a random 256-bit value kept on the order (sales_orders.tracking_token),
not the order number (SO-000123 is easy to guess) and not an HMAC of the id: a stored
token needs no shop secret to keep safe and could be replaced for one order alone if a
link leaked. New orders get one when they are created; orders from before it get one
the first time someone asks for their link.

What the customer sees is chosen here: the status, a timeline of status changes and
shipments only (no notes, no names of staff), and each shipment's carrier link — in the
customer's language (i18n.customer_locale: theirs where the customer record has one,
else the shop's), as their e-mails and invoices speak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.i18n import N_, _, customer_locale, language_of, translations
from app.core.settings import get_setting
from app.core.tracking_links import tracking_url
from app.models import OrderEvent, Party, SalesOrder
from app.services.fulfilment.shipping import shipments_of
from app.services.notify.stored import shop_locale

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
STATUS_WORDS = {  # as a customer reads them; translated in the customer's language
    "new": N_("Received"),
    "accepted": N_("Accepted"),
    "confirmed": N_("Confirmed"),
    "picking": N_("Being picked"),
    "packed": N_("Packed"),
    "partly_shipped": N_("Partly shipped"),
    "shipped": N_("Shipped"),
    "delivered": N_("Delivered"),
    "on_hold": N_("On hold"),
    "cancelled": N_("Cancelled"),
    "completed": N_("Completed"),
    "partly_refunded": N_("Partly refunded"),
    "refunded": N_("Refunded"),
}
RECEIVED = N_("Order received")


def status_words(status: str, language: str = "en") -> str:
    """The status as the customer reads it, in `language`."""
    words = STATUS_WORDS.get(status)
    if words is None:
        return status.replace("_", " ").capitalize()
    return translations(language).gettext(words)


def customer_language(session: Session, order: SalesOrder) -> str:
    """The language the customer reads the page in: their own where known, else the
    shop's (the rule of their e-mails and invoices)."""
    party = session.get(Party, order.customer_id) if order.customer_id else None
    return language_of(customer_locale(party.language if party else "", shop_locale(session)))


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
    language: str = "en"  # the customer's: the page's own words are in it too


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
    language = customer_language(session, order)
    timeline = [Step(at, status_words(to, language)) for at, to in events]
    if not timeline or timeline[0].text != status_words("new", language):
        timeline.insert(0, Step(order.created_at, translations(language).gettext(RECEIVED)))
    return TrackingPage(
        shop_name=shop_name(session),
        number=order.number,
        status=order.status,
        status_text=status_words(order.status, language),
        created_at=order.created_at,
        timeline=tuple(timeline),
        shipments=shipments(session, order.id),
        language=language,
    )
