"""What became of a claimed e-mail, written right after the server's answer: the outbox
row's new state and its entry on the order's timeline (or the purchase order's history).

Each message is marked in a transaction of its own as soon as the server has answered,
so a sender that dies duplicates at most the message it was sending (sender.py takes a
claim older than LEASE again and says so on the timeline).

On PostgreSQL a sent customer e-mail is marked in one statement, on a connection the
sender holds for its batch in autocommit (`Marks`): the UPDATE to "sent", the timeline
entry (an INSERT fed by the UPDATE's RETURNING, so it is written only if the row was
still this sender's claim) and the change notice, in one round trip with no BEGIN and
COMMIT of their own. That transaction commits with `synchronous_commit` off: the server
answers before its WAL is flushed to disk. A killed sender loses nothing by it (the
server has the commit, and a mark is still written after its message's answer only);
only a crash of the PostgreSQL server itself could lose the marks of its last moments
(at most three times `wal_writer_delay`, about 0.6 s), and those messages would be sent
once more when it is back: a duplicate, never a lost e-mail. (bench/outbox.py: the
mark went from about 14 ms, five round trips and a WAL flush, to one round trip.)
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from types import TracebackType

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from app.core import audit, changes
from app.core.auth import Actor, Role
from app.core.sentence import Sentence, said
from app.db import Database
from app.models import OutboxMessage, PurchaseOrder, utcnow
from app.services.notify.attachments import PURCHASE_ORDER as PO_PREFIX
from app.services.notify.outbox import OUTBOX_CHANGED
from app.services.notify.smtp_client import Verdict
from app.services.sales.orders import email_event_insert, record_email

MAILER = Actor(None, "mailer", "Kestrel (e-mail)", Role.ADMIN, "")
MAX_ATTEMPTS = 12
_NOTICE = changes.ChangeSet(kinds=frozenset({OUTBOX_CHANGED}))


@dataclass(frozen=True)
class Outgoing:
    id: int
    order_id: int | None
    to: list[str]
    sender: str
    message: Message
    interrupted: int
    event: str = ""


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... at most an hour between tries."""
    return timedelta(seconds=min(30 * 2 ** max(0, attempts - 1), 3600))


def _timeline(session: Session, order_id: int | None, words: Sentence, message_id: str) -> None:
    if order_id is not None:
        record_email(session, order_id, MAILER, words, {"message_id": message_id})


def _po_history(session: Session, event: str, words: Sentence) -> None:
    """A purchase order's e-mail (event "po:<id>") goes on the PO's history (its audit)."""
    if not event.startswith(PO_PREFIX) or not event[len(PO_PREFIX) :].isdigit():
        return
    number = session.scalar(
        select(PurchaseOrder.number).where(PurchaseOrder.id == int(event[len(PO_PREFIX) :]))
    )
    if number is not None:
        audit.record(session, MAILER, "purchase.email", number, words.english())


def sent_words(outgoing: Outgoing) -> Sentence:
    to, subject = ", ".join(outgoing.to), str(outgoing.message["Subject"])
    if outgoing.interrupted:
        return said(
            "E-mail sent to {address}: {subject} (it may have gone out twice: a sender "
            "stopped mid-send)",
            address=to,
            subject=subject,
        )
    return said("E-mail sent to {address}: {subject}", address=to, subject=subject)


def _to_sent(worker: str, message_id: int, now: datetime):  # type: ignore[no-untyped-def]
    m = OutboxMessage
    return (
        update(m)
        .where(m.id == message_id, m.claimed_by == worker, m.state == "sending")
        .values(state="sent", sent_at=now, attempts=m.attempts + 1, last_error="", claimed_at=None)
    )


def mark_sent(session: Session, outgoing: Outgoing, worker: str) -> None:
    """The message is sent (every recipient accepted it), in the caller's transaction."""
    done = session.execute(
        _to_sent(worker, outgoing.id, utcnow()).execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    changes.note(session, kind=OUTBOX_CHANGED)
    if done:
        words = sent_words(outgoing)
        _timeline(session, outgoing.order_id, words, str(outgoing.message["Message-ID"]))
        _po_history(session, outgoing.event, words)


def sent_statement(outgoing: Outgoing, worker: str) -> Select[tuple[int, str, str]]:
    """mark_sent as one PostgreSQL statement of its own transaction (see the module's
    docstring): its one row's first column is 1 if the row was marked, 0 if it was no
    longer this sender's claim."""
    now = utcnow()
    done = _to_sent(worker, outgoing.id, now).returning(OutboxMessage.id).cte("done")
    query = select(
        func.count(),
        func.set_config("synchronous_commit", "off", True),
        func.pg_notify(changes.CHANNEL, changes.payload_for(_NOTICE)),
    ).select_from(done)
    if outgoing.order_id is not None:
        data: dict[str, object] = {"message_id": str(outgoing.message["Message-ID"])}
        words = sent_words(outgoing)
        entry = email_event_insert(done, outgoing.order_id, MAILER, words, data)
        query = query.add_cte(entry.cte("entry"))
    return query


class Marks:
    """The "sent" marks of one batch: on PostgreSQL each a statement of its own on one
    connection held for the batch (sent_statement); on SQLite, and for a purchase order's
    e-mail (its history is the hash-chained audit), a short write transaction each.
    Used as a context manager around the batch's sends."""

    def __init__(self, database: Database, worker: str) -> None:
        self.database, self.worker = database, worker
        self._stack = ExitStack()
        self._conn: Connection | None = None

    def __enter__(self) -> Marks:
        self._stack.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> bool:
        return bool(self._stack.__exit__(kind, exc, trace))

    def sent(self, outgoing: Outgoing) -> None:
        if not self.database.is_shared or outgoing.event.startswith(PO_PREFIX):
            with self.database.write() as session:
                mark_sent(session, outgoing, self.worker)
            return
        if self._conn is None:
            self._conn = self._stack.enter_context(self.database.autocommit())
        self._conn.execute(sent_statement(outgoing, self.worker))
        changes.publish(_NOTICE)  # what the session's commit would tell this process


def mark_not_sent(
    session: Session,
    message_id: int,
    order_id: int | None,
    worker: str,
    verdict: Verdict,
    counted: bool = True,
) -> str:
    """Back in the queue after a back-off, or failed for good; returns the new state."""
    m = OutboxMessage
    row = session.get(m, message_id, with_for_update=True, populate_existing=True)
    if row is None or row.claimed_by != worker or row.state != "sending":
        return ""
    changes.note(session, kind=OUTBOX_CHANGED)
    attempts = row.attempts + (1 if counted else 0)
    retry = verdict.retry and attempts < MAX_ATTEMPTS
    words = (
        verdict.words
        if retry or not verdict.retry
        else f"Gave up after {attempts} tries: {verdict.words}"
    )
    row.attempts, row.last_error, row.claimed_at = attempts, words[:500], None
    if retry:
        row.state, row.next_attempt_at = "queued", utcnow() + backoff(attempts)
    else:
        row.state = "failed"
        words_out = said(
            "E-mail failed to {address}: {reason}", address=row.to_address, reason=words
        )
        _timeline(session, order_id, words_out, row.message_id or "")
        _po_history(session, row.event, words_out)
    return row.state
