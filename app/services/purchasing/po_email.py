"""A purchase order e-mailed to its supplier with its PDF, through the outbox.

The message is written in the transaction that asks for it (a draft is sent in the same
one), with its Message-ID made then, so it is never lost and a retry never makes a second
one; the PDF is drawn at send time from the reference "po:<id>" (notify/attachments.py).
One e-mail of a PO waits at a time: a second click while the first waits is refused. The
PO's history is its audit entries (queued here, sent or failed by the sender) and its
outbox rows, listed by `emails`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require, require_any
from app.core.errors import InvalidTransition, ValidationError
from app.core.i18n import _
from app.models import OutboxMessage, Party, PurchaseStatus
from app.services.notify import outbox
from app.services.purchasing import order_status
from app.services.purchasing.orders import OrderView, order_id, view, words
from app.services.shop import shop_details

PREFIX = "po:"  # the outbox row's event and attachment: "po:<purchase order id>"
MAILABLE = (PurchaseStatus.DRAFT, PurchaseStatus.SENT, PurchaseStatus.PARTLY_RECEIVED)


@dataclass(frozen=True)
class Queued:
    number: str
    to: str
    message_id: str
    outbox_id: int


@dataclass(frozen=True)
class PoEmail:
    outbox_id: int
    state: str
    to: str
    subject: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


def reference(po_id: int) -> str:
    return f"{PREFIX}{po_id}"


def _address(session: Session, order: OrderView, to: str) -> str:
    supplier = session.get(Party, order.supplier_id)
    given = to.strip() or (supplier.email if supplier is not None else "")
    if not given:
        raise ValidationError(
            _("{supplier} has no e-mail address: add one to the supplier, or give one.").format(
                supplier=order.supplier
            ),
            "to",
        )
    address, why_not = outbox.recipient(given, None)
    if why_not:
        raise ValidationError(_("Not e-mailed: {why_not}").format(why_not=why_not), "to")
    return address


def _text(session: Session, order: OrderView) -> str:
    shop = shop_details(session)
    return (
        f"Hello {order.supplier},\n\n"
        f"Please find attached our purchase order {order.number} ({len(order.lines)} line(s)),"
        f" to be delivered to {order.warehouse}.\n"
        "Please reply to confirm it, with the date you expect to deliver.\n\n"
        f"Kind regards,\n{shop.name}\n{shop.address}\n"
    )


def email_to_supplier(
    session: Session, actor: Actor, ref: int | str, to: str = "", seen_version: int | None = None
) -> Queued:
    """Queue the PO's PDF to the supplier (or `to`); a draft is sent first, in the same
    transaction. Refused for a received or cancelled PO, and while one already waits."""
    require(actor, Permission.PURCHASING)
    oid = order_id(session, ref)
    order = view(session, oid)
    if order.status not in MAILABLE:
        raise InvalidTransition(
            _("{number} is {value}: it is not e-mailed.").format(
                number=order.number, value=words(order.status)
            )
        )
    address = _address(session, order, to)
    waiting = session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.event == reference(oid),
            OutboxMessage.state.in_(("queued", "sending")),
        )
    )
    if waiting is not None:
        raise InvalidTransition(
            _("{number} already waits in the outbox (e-mail {waiting}): retry it there.").format(
                number=order.number, waiting=waiting
            )
        )
    if order.status == PurchaseStatus.DRAFT:
        order_status.send(session, actor, oid, seen_version)
        order = view(session, oid)
    row = outbox.write(
        session,
        to=address,
        subject=f"Purchase order {order.number} from {shop_details(session).name}",
        text=_text(session, order),
        event=reference(oid),
        attachment=reference(oid),
    )
    session.flush()
    audit.record(session, actor, "purchase.email", order.number, f"queued to {address}")
    changes.note(session, kind="purchasing")
    return Queued(order.number, address, row.message_id or "", row.id)


def emails(session: Session, actor: Actor, ref: int | str) -> list[PoEmail]:
    """Every e-mail of one PO, oldest first, with its state now."""
    require_any(actor, Permission.PURCHASING, Permission.STOCK_RECEIVE)
    oid = order_id(session, ref)
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.event == reference(oid))
        .order_by(OutboxMessage.id)
    )
    return [
        PoEmail(
            m.id,
            m.state,
            m.to_address,
            m.subject,
            m.attempts,
            m.last_error,
            m.created_at,
            m.sent_at,
        )
        for m in rows
    ]
