"""A purchase order's life: draft -> sent -> partly received -> received, or cancelled.

- send: a draft goes to the supplier (its PDF is drawn, and queued on the office printer
  when asked); only a sent PO can be received, so goods-in never books against an order
  the supplier has not seen.
- cancel: a draft or a sent PO nothing was received on; once goods arrived, the PO is
  closed short instead, which keeps what came.
- close short: a partly received PO is done; what is still outstanding will not come and
  stops counting as incoming.
- after each receipt, `settle` moves sent -> partly received -> received (every line
  received at least as much as ordered).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import PurchaseOrder, PurchaseOrderLine, PurchaseStatus, utcnow
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.purchasing import po_document
from app.services.purchasing.orders import locked, order_lines, view, words

S = PurchaseStatus


@dataclass(frozen=True)
class Sent:
    number: str
    pdf: bytes
    job_id: int | None  # the print job, when the PDF was queued


def _set(po: PurchaseOrder, status: PurchaseStatus) -> None:
    """The one place a purchase order's status is written; a closed one notes when."""
    po.status = status.value
    if status in (S.RECEIVED, S.CANCELLED):
        po.closed_at = utcnow()


def _products(session: Session, order: PurchaseOrder) -> list[int]:
    return [ln.product_id for ln in order_lines(session, order.id)]


def send(
    session: Session,
    actor: Actor,
    ref: int | str,
    seen_version: int | None = None,
    print_copy: bool = False,
) -> Sent:
    """Draft -> sent, with the PDF for the supplier (queued on this workstation's document
    printer when `print_copy`)."""
    require(actor, Permission.PURCHASING)
    order = locked(session, ref, seen_version)
    if order.status != S.DRAFT:
        raise InvalidTransition(
            _("{number} is {value}, not a draft to send.").format(
                number=order.number, value=words(order.status)
            )
        )
    _set(order, S.SENT)
    order.sent_at = utcnow()
    session.flush()
    payload = po_document.render(session, view(session, order.id))
    job = None
    if print_copy:
        printer = printers.default_printer(session, actor.workstation, "document")
        job = printing._enqueue(session, actor, printer.id, po_document.DOCUMENT, payload)
    audit.record(session, actor, "purchase.send", order.number, "sent to the supplier")
    changes.note(session, products=_products(session, order), kind="purchasing")
    return Sent(order.number, payload, job)


def cancel(
    session: Session,
    actor: Actor,
    ref: int | str,
    reason: str = "",
    seen_version: int | None = None,
) -> None:
    """A draft or sent PO is called off; refused once anything was received on it (close
    it short instead)."""
    require(actor, Permission.PURCHASING)
    reason = clean_text(reason, "Reason", max_length=200)
    order = locked(session, ref, seen_version)
    received = any(ln.received for ln in order_lines(session, order.id))
    if order.status not in (S.DRAFT, S.SENT, S.PARTLY_RECEIVED):
        raise InvalidTransition(
            _("{number} is {value}: it cannot be cancelled.").format(
                number=order.number, value=words(order.status)
            )
        )
    if received or order.status == S.PARTLY_RECEIVED:
        raise InvalidTransition(
            _("Goods were received on {number} already: close it short instead.").format(
                number=order.number
            )
        )
    _set(order, S.CANCELLED)
    session.flush()
    audit.record(session, actor, "purchase.cancel", order.number, reason or "cancelled")
    changes.note(session, products=_products(session, order), kind="purchasing")


def close_short(
    session: Session, actor: Actor, ref: int | str, seen_version: int | None = None
) -> int:
    """Partly received -> received: the outstanding units are dropped (they no longer
    count as incoming). Returns how many units were dropped."""
    require(actor, Permission.PURCHASING)
    order = locked(session, ref, seen_version)
    if order.status != S.PARTLY_RECEIVED:
        raise InvalidTransition(
            _("{number} is {value}: only a partly received order is closed short.").format(
                number=order.number, value=words(order.status)
            )
        )
    lines = order_lines(session, order.id)
    dropped = sum(max(ln.ordered - ln.received, 0) for ln in lines)
    _set(order, S.RECEIVED)
    session.flush()
    audit.record(
        session, actor, "purchase.close", order.number, f"closed short: {dropped} unit(s) dropped"
    )
    changes.note(session, products=[ln.product_id for ln in lines], kind="purchasing")
    return dropped


def settle(session: Session, order: PurchaseOrder) -> str:
    """The status after a receipt: received once every line has what was ordered, else
    partly received. For receiving.py, inside its transaction."""
    session.flush()
    short = session.scalar(
        select(PurchaseOrderLine.id)
        .where(
            PurchaseOrderLine.order_id == order.id,
            PurchaseOrderLine.received < PurchaseOrderLine.ordered,
        )
        .limit(1)
    )
    _set(order, S.PARTLY_RECEIVED if short is not None else S.RECEIVED)
    return order.status
