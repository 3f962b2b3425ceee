"""The outbox as managers see it: list, retry now, cancel; and an order's e-mails with
their state, with "send again" for the clerk the customer phoned.

Managing the outbox is SETTINGS_MANAGE; an order's e-mails are read with ORDERS_VIEW and
sent again with ORDERS_ACCEPT (the clerk's right to act on an order). A retry keeps the
message and its Message-ID; a resend writes a new message (a new Message-ID: it is a new
e-mail) from the old one's words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core import audit, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.i18n import _
from app.core.sentence import Sentence, said
from app.models import OutboxMessage, Party, SalesOrder
from app.services.notify import deferred, outbox
from app.services.notify.outbox import OUTBOX_CHANGED
from app.services.sales.orders import record_event

STATES = ("queued", "sending", "sent", "failed", "cancelled")
MAX_LIST = 1000
# the outbox screen's lists: waiting includes the one being sent now
VIEWS: dict[str, tuple[str, ...]] = {
    "queued": ("queued", "sending"),
    "sent": ("sent",),
    "failed": ("failed",),
    "cancelled": ("cancelled",),
    "all": STATES,
}


@dataclass(frozen=True)
class MessageRow:
    id: int
    state: str
    to: str
    subject: str
    attempts: int
    last_error: str
    message_id: str
    order_id: int | None
    event: str
    kind: str
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None

    def as_json(self) -> dict[str, object]:
        """The stable shape of `kestrel outbox list --json` (README)."""
        return {
            "id": self.id,
            "state": self.state,
            "to": self.to,
            "subject": self.subject,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "message_id": self.message_id,
        }


def _row(session: Session, m: OutboxMessage) -> MessageRow:
    """A frozen row; a message not rendered yet shows the subject it will have."""
    return MessageRow(
        m.id,
        m.state,
        m.to_address,
        deferred.subject(session, m),
        m.attempts,
        m.last_error,
        m.message_id or "",
        m.order_id,
        m.event,
        m.kind,
        m.created_at,
        m.sent_at,
        m.next_attempt_at,
    )


def list_messages(
    session: Session, actor: Actor, state: str = "", limit: int = 200, before_id: int | None = None
) -> list[MessageRow]:
    """The newest messages first (a page of `limit`, older than `before_id`)."""
    require(actor, Permission.SETTINGS_MANAGE)
    if state and state not in STATES:
        raise ValidationError(
            _("'{state}' is not an outbox state ({value}).").format(
                state=state, value=", ".join(STATES)
            ),
            "state",
        )
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(min(limit, MAX_LIST))
    if state:
        query = query.where(OutboxMessage.state == state)
    if before_id is not None:
        query = query.where(OutboxMessage.id < before_id)
    return [_row(session, m) for m in session.scalars(query)]


def page(
    session: Session, actor: Actor, view: str = "all", offset: int = 0, limit: int = 100
) -> list[MessageRow]:
    """One page of a list on the outbox screen (VIEWS), newest first."""
    require(actor, Permission.SETTINGS_MANAGE)
    if view not in VIEWS:
        raise ValidationError(
            _("'{view}' is not an outbox list ({value}).").format(
                view=view, value=", ".join(VIEWS)
            ),
            "view",
        )
    m = OutboxMessage
    query = (
        select(m)
        .where(m.state.in_(VIEWS[view]))
        .order_by(m.id.desc())
        .offset(max(0, offset))
        .limit(max(1, min(limit, MAX_LIST)))
    )
    return [_row(session, row) for row in session.scalars(query)]


def order_emails(session: Session, actor: Actor, order_id: int) -> list[MessageRow]:
    """Every e-mail of one order, oldest first, with its state now."""
    require(actor, Permission.ORDERS_VIEW)
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.order_id == order_id).order_by(OutboxMessage.id)
    )
    return [_row(session, m) for m in rows]


def _message(session: Session, message_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, message_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise NotFound(
            _("There is no e-mail {message_id} in the outbox.").format(message_id=message_id)
        )
    return row


def retry(session: Session, actor: Actor, message_id: int) -> None:
    """Due now, ignoring its back-off: a failed or waiting message goes back in the queue,
    with the same Message-ID."""
    require(actor, Permission.SETTINGS_MANAGE)
    row = _message(session, message_id)
    if row.state not in ("queued", "failed"):
        raise InvalidTransition(
            _("E-mail {message_id} is {state}: only a queued or failed one is retried.").format(
                message_id=message_id, state=row.state
            )
        )
    row.state, row.next_attempt_at = "queued", None
    audit.record(session, actor, "outbox.retry", str(message_id), deferred.subject(session, row))
    changes.note(session, kind=OUTBOX_CHANGED)


def retry_all(session: Session, actor: Actor) -> int:
    """Every queued and failed message due now; returns how many."""
    require(actor, Permission.SETTINGS_MANAGE)
    m = OutboxMessage
    done = session.execute(
        update(m)
        .where(m.state.in_(("queued", "failed")))
        .values(state="queued", next_attempt_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    audit.record(session, actor, "outbox.retry", "all", str(done))
    changes.note(session, kind=OUTBOX_CHANGED)
    return int(done)


def cancel(session: Session, actor: Actor, message_id: int) -> None:
    """Never send it (it stays listed, cancelled). A sent message cannot be called back."""
    require(actor, Permission.SETTINGS_MANAGE)
    row = _message(session, message_id)
    if row.state not in ("queued", "failed"):
        raise InvalidTransition(
            _(
                "E-mail {message_id} is {state}: only a queued or failed one can be cancelled."
            ).format(message_id=message_id, state=row.state)
        )
    row.state = "cancelled"
    subject = deferred.subject(session, row)
    audit.record(session, actor, "outbox.cancel", str(message_id), subject)
    _on_timeline(session, actor, row.order_id, said("E-mail cancelled: {subject}", subject=subject))
    changes.note(session, kind=OUTBOX_CHANGED)


def resend(session: Session, actor: Actor, message_id: int) -> int:
    """The same words again as a new e-mail (to the order's address now); returns its id."""
    require(actor, Permission.ORDERS_ACCEPT)
    return _resend(session, actor, _message(session, message_id))


def resend_by_message_id(session: Session, actor: Actor, message_id: str) -> int:
    """resend() for the e-mail a timeline entry names (by its Message-ID)."""
    require(actor, Permission.ORDERS_ACCEPT)
    found = session.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
    if found is None:
        raise NotFound(_("That e-mail is no longer in the outbox."))
    return _resend(session, actor, found)


def _resend(session: Session, actor: Actor, old: OutboxMessage) -> int:
    message_id = old.id
    to, party = old.to_address, None
    order = session.get(SalesOrder, old.order_id) if old.order_id is not None else None
    if order is not None:
        to = order.email or to
        party = session.get(Party, order.customer_id)
    address, why_not = outbox.recipient(to, party, old.kind)
    if why_not:
        raise ValidationError(_("Not sent again: {why_not}").format(why_not=why_not), "email")
    new = outbox.write(
        session,
        to=address,
        subject=old.subject,
        text=old.body,
        html=old.html_body,
        order_id=old.order_id,
        event=old.event,
        kind=old.kind,
        attachment=old.attachment,
        headers=json.loads(old.headers) if old.headers else None,  # its language, its words
    )
    session.flush()
    audit.record(session, actor, "outbox.resend", str(message_id), f"as {new.id}")
    subject = deferred.subject(session, old)
    words = said("E-mail queued again to {address}: {subject}", address=address, subject=subject)
    _on_timeline(session, actor, old.order_id, words)
    changes.note(session, kind=OUTBOX_CHANGED)
    return new.id


def _on_timeline(session: Session, actor: Actor, order_id: int | None, words: Sentence) -> None:
    order = session.get(SalesOrder, order_id) if order_id is not None else None
    if order is not None:
        record_event(session, order, actor, "email", words, audited=False)
