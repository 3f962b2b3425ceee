"""Writing an e-mail into the outbox, in the transaction of the change that causes it.

sales/orders.record_event calls `on_order_event` for every timeline entry: most mail
nobody; those that do (events.py) are rendered now and written as one OutboxMessage row
with its Message-ID, made once here and reused on every retry. The row commits or rolls
back with the status change: no change, no e-mail. What to say on the timeline comes
back as words (queued, or why nothing was sent); orders.py writes it, as the one writer
of the timeline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import make_msgid

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from app.core import changes, session_cache
from app.models import OutboxMessage, Party, SalesOrder
from app.services.notify import events, templates
from app.services.notify.smtp_settings import smtp_settings

TRANSACTIONAL = "transactional"
MARKETING = "marketing"
INVOICE_PREFIX = "invoice:"
OUTBOX_CHANGED = "outbox"  # the change kind the outbox screen follows


@dataclass(frozen=True)
class Said:
    """A timeline entry about an e-mail: its words, and its data (the event, and the
    Message-ID that links it to its outbox row and state)."""

    words: str
    data: dict[str, object]


def on_order_event(
    session: Session,
    order: SalesOrder,
    kind: str,
    to_status: str,
    data: Mapping[str, object] | None,
    message: str,
) -> Said | None:
    """Queue the customer's e-mail this timeline entry calls for, if any; returns the
    timeline's words about it ("E-mail queued ...", "No e-mail sent: ...") with the
    message's Message-ID, or None when the entry mails nobody or the shop turned it off."""
    event = events.event_for(kind, to_status, data, order.channel)
    if event is None or not events.is_on(session, event):
        return None
    party = session_cache.row(session, Party, order.customer_id)  # held for the transaction
    address, why_not = recipient(order.email or (party.email if party else ""), party)
    if why_not:
        return Said(f"No e-mail sent ({events.EVENTS[event]}): {why_not}", {"event": event})
    mail = templates.render(session, order, event, message)
    attachment = ""
    if event == "shipped" and events.attach_invoice(session):
        attachment = f"{INVOICE_PREFIX}{order.id}"
    row = write(
        session,
        to=address,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        order_id=order.id,
        event=event,
        attachment=attachment,
    )
    said = f"E-mail queued to {address}: {mail.subject}"
    return Said(said, {"event": event, "message_id": row.message_id or ""})


def recipient(address: str, party: Party | None, kind: str = TRANSACTIONAL) -> tuple[str, str]:
    """(the checked address, "") or ("", why nothing may be sent), in a clerk's words."""
    if party is not None and party.email_opt_out:
        return "", "the customer asked for no e-mails."
    if kind == MARKETING and party is not None and party.marketing_opt_out:
        return "", "the customer asked for no marketing e-mails."
    address = (address or "").strip()
    if not address:
        return "", "the order has no e-mail address."
    try:
        return validate_email(address, check_deliverability=False).normalized, ""
    except EmailNotValidError as exc:
        return "", f"'{address}' is not a valid e-mail address ({exc})."


def write(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    order_id: int | None = None,
    event: str = "",
    kind: str = TRANSACTIONAL,
    attachment: str = "",
    headers: Mapping[str, str] | None = None,
) -> OutboxMessage:
    """The one writer of outbox rows: From, Reply-To and the Message-ID are fixed now."""
    smtp = smtp_settings(session)
    row = OutboxMessage(
        order_id=order_id,
        to_address=to,
        subject=subject[:300],
        body=text,
        html_body=html,
        state="queued",
        attempts=0,
        last_error="",
        message_id=make_msgid(domain=smtp.domain),
        event=event,
        kind=kind,
        from_address=smtp.from_address,
        reply_to=smtp.reply_to,
        headers=json.dumps(dict(headers)) if headers else "",
        attachment=attachment,
        interrupted=0,
    )
    session.add(row)
    changes.note(session, kind=OUTBOX_CHANGED)  # the outbox screen shows it once committed
    return row
