"""Writing an e-mail into the outbox, in the transaction of the change that causes it.

sales/orders.record_event calls `on_order_event` for every timeline entry: most mail
nobody; those that do (events.py) are written as one OutboxMessage row with its
Message-ID, made once here and reused on every retry, and the customer's language; the
words are rendered when the sender takes it (deferred.py), so the status change reads no
template. The row commits or rolls back with the status change: no change, no e-mail.
What to say on the timeline comes back as words (queued, or why nothing was sent);
orders.py writes it, as the one writer of the timeline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import make_msgid

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.core import changes, session_cache
from app.core.i18n import N_, customer_locale, translations
from app.core.sentence import Sentence, Term, said, term
from app.core.validation import normalized_email
from app.models import OutboxMessage, Party, SalesOrder
from app.services.notify import deferred, events, links
from app.services.notify.smtp_settings import smtp_settings
from app.services.notify.stored import shop_locale

_HELD = "kestrel_outbox_held"
_INSERT = insert(OutboxMessage.__table__)

TRANSACTIONAL = "transactional"
MARKETING = "marketing"
INVOICE_PREFIX = "invoice:"
OUTBOX_CHANGED = "outbox"  # the change kind the outbox screen follows


@dataclass(frozen=True)
class Said:
    """A timeline entry about an e-mail: its words, and its data (the event, and the
    Message-ID that links it to its outbox row and state)."""

    words: Sentence
    data: dict[str, object]


def on_order_event(
    session: Session,
    order: SalesOrder,
    kind: str,
    to_status: str,
    data: Mapping[str, object] | None,
    message: Sentence | None,
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
        words = said(
            "No e-mail sent ({event}): {reason}",
            event=term(events.EVENTS, event),
            reason=Term(why_not),  # recipient's fixed reasons are marked: translated
        )
        return Said(words, {"event": event})
    links.ensure_token(session, order)
    attachment = ""
    if event == "shipped" and events.attach_invoice(session):
        attachment = f"{INVOICE_PREFIX}{order.id}"
    locale = customer_locale(getattr(party, "language", "") or "", shop_locale(session))
    note = message.render(translations(locale)) if message is not None else ""
    kept = deferred.headers(locale, note)  # the timeline's words in the customer's language
    message_id = _queue(session, address, order.id, event, attachment, kept)
    words = said(
        "E-mail queued to {address}: {event}", address=address, event=term(events.EVENTS, event)
    )
    return Said(words, {"event": event, "message_id": message_id})


def recipient(address: str, party: Party | None, kind: str = TRANSACTIONAL) -> tuple[str, str]:
    """(the checked address, "") or ("", why nothing may be sent), in a clerk's words."""
    if party is not None and party.email_opt_out:
        return "", N_("the customer asked for no e-mails.")
    if kind == MARKETING and party is not None and party.marketing_opt_out:
        return "", N_("the customer asked for no marketing e-mails.")
    address = (address or "").strip()
    if not address:
        return "", N_("the order has no e-mail address.")
    normalized, why_not = normalized_email(address)
    if why_not:
        return "", f"'{address}' is not a valid e-mail address ({why_not})."
    return normalized, ""


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
    row = OutboxMessage(
        **_values(session, to, subject, text, html, order_id, event, kind, attachment, headers)
    )
    session.add(row)
    changes.note(session, kind=OUTBOX_CHANGED)  # the outbox screen shows it once committed
    return row


def _queue(
    session: Session,
    to: str,
    order_id: int,
    event: str,
    attachment: str,
    headers: Mapping[str, str],
) -> str:
    """write() for a timeline entry's e-mail (unrendered: no subject nor words yet),
    returning its Message-ID: one Core INSERT (no unit of work, nothing reads the row back
    as an object), or inside `held(session)` kept for one INSERT of them all."""
    values = _values(session, to, "", "", "", order_id, event, TRANSACTIONAL, attachment, headers)
    kept: list[dict[str, object]] | None = session.info.get(_HELD)
    changes.note(session, kind=OUTBOX_CHANGED)
    if kept is not None:
        kept.append(values)
    else:
        session.execute(_INSERT, values)
    return str(values["message_id"])


def _values(
    session: Session,
    to: str,
    subject: str,
    text: str,
    html: str,
    order_id: int | None,
    event: str,
    kind: str,
    attachment: str,
    headers: Mapping[str, str] | None,
) -> dict[str, object]:
    smtp = smtp_settings(session)
    return {
        "order_id": order_id,
        "to_address": to,
        "subject": subject[:300],
        "body": text,
        "html_body": html,
        "state": "queued",
        "attempts": 0,
        "last_error": "",
        "message_id": make_msgid(domain=smtp.domain),
        "event": event,
        "kind": kind,
        "from_address": smtp.from_address,
        "reply_to": smtp.reply_to,
        "headers": json.dumps(dict(headers)) if headers else "",
        "attachment": attachment,
        "interrupted": 0,
    }


@contextmanager
def held(session: Session) -> Iterator[None]:
    """The outbox rows written inside, inserted in one statement on leaving: a bulk import
    queues thousands of e-mails, and the ORM would insert them one by one (the same rows)."""
    kept: list[dict[str, object]] = []
    session.info[_HELD] = kept
    try:
        yield
    finally:
        session.info.pop(_HELD, None)
    if kept:
        session.execute(_INSERT, kept)
