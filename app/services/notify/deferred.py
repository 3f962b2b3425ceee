"""A customer's e-mail written into the outbox unrendered, and rendered when it is sent.

The status change that causes it writes only the row (event, order, recipient, its
Message-ID, the language) and its timeline entry: no template is read or rendered in that
transaction (bench/outbox.py). The sender renders it when it claims the row and keeps the
words on the row, so every retry sends the same e-mail with the same Message-ID; a
template that cannot be rendered then fails the message with the reason (a retry after
the template is fixed renders it again). The row's language is its Content-Language
header; the timeline's words the templates may quote ({{ message }}) ride in the row's
headers under a name that is never sent (NOTE).
"""

from __future__ import annotations

import json

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, selectinload

from app.core.errors import KestrelError, NotFound
from app.core.i18n import _
from app.models import OutboxMessage, SalesOrder
from app.services.notify import templates
from app.services.notify.events import EVENTS
from app.services.notify.templates import RenderedMail

LANGUAGE = "Content-Language"  # RFC 3282: sent with the message, and read back here
NOTE = "_note"  # header names starting with "_" stay in the row (sender.build skips them)


def headers(locale: str, note: str) -> dict[str, str]:
    """The row's headers for an unrendered e-mail in `locale` ("de_AT" -> "de-AT")."""
    kept = {LANGUAGE: locale.replace("_", "-")}
    if note:
        kept[NOTE] = note[:500]
    return kept


def is_pending(row: OutboxMessage) -> bool:
    """Written by a status change and not rendered yet (no words at all)."""
    return not row.body and not row.html_body and row.event in EVENTS and row.order_id is not None


def _order(session: Session, row: OutboxMessage) -> SalesOrder:
    order = session.get(SalesOrder, row.order_id) if row.order_id is not None else None
    if order is None:
        raise NotFound(_("The order of e-mail {id} no longer exists.").format(id=row.id))
    return order


def _given(row: OutboxMessage) -> tuple[str, str]:
    """(locale, the timeline's words) as the row keeps them."""
    kept = json.loads(row.headers) if row.headers else {}
    return str(kept.get(LANGUAGE, "")).replace("-", "_"), str(kept.get(NOTE, ""))


def render(session: Session, row: OutboxMessage) -> RenderedMail:
    """The e-mail of an unrendered row; ValidationError/NotFound when it cannot be written."""
    locale, note = _given(row)
    return templates.render(session, _order(session, row), row.event, note, locale=locale)


def subject(session: Session, row: OutboxMessage) -> str:
    """The subject to list: the row's own once rendered, else rendered now (or, when the
    template cannot be rendered, the event's name)."""
    if row.subject or not is_pending(row):
        return row.subject
    locale, note = _given(row)
    try:
        return templates.render_subject(session, _order(session, row), row.event, note, locale)
    except KestrelError:
        return EVENTS[row.event]


def preload(session: Session, rows: list[OutboxMessage]) -> list[SalesOrder]:
    """The orders of the unrendered rows among `rows`, with their lines, in two queries
    (a batch of fifty e-mails would lazy-load them one by one); hold the list while
    rendering (the session's identity map is weak)."""
    ids = {row.order_id for row in rows if is_pending(row)}
    if not ids:
        return []
    query = select(SalesOrder).where(SalesOrder.id.in_(ids)).options(selectinload(SalesOrder.lines))
    return list(session.scalars(query))


def keep(session: Session, rendered: dict[int, RenderedMail], worker: str) -> None:
    """Write the words rendered at send time onto their rows (still claimed by `worker`)."""
    if not rendered:
        return
    table = OutboxMessage.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.claimed_by == worker, table.c.body == "")
        .values(
            subject=bindparam("b_subject"), body=bindparam("b_text"), html_body=bindparam("b_html")
        )
    )
    session.connection().execute(  # one executemany for the batch
        statement,
        [
            {"b_id": i, "b_subject": m.subject, "b_text": m.text, "b_html": m.html}
            for i, m in rendered.items()
        ],
    )
