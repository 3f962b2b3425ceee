"""The outbox's sender: claims due messages, sends them over SMTP, records the outcome.

A claim is its own short transaction: on PostgreSQL one UPDATE to "sending" with the
sender's name of the rows a `SELECT ... FOR UPDATE SKIP LOCKED` subquery picked, so two
senders never take one row; on SQLite a conditional UPDATE (state still due) that only
one writer can win. Sending runs outside any transaction, on one SMTP connection for the
batch, and each message's outcome is written at once in another (marks.py: sent only
after the server accepted every recipient, one statement on PostgreSQL). A claim older
than LEASE belongs to a sender that died between send and mark: it is taken again and
counted in `interrupted`, so at most one duplicate per interruption, and the timeline
says so. A customer's e-mail is rendered here, when it is taken (deferred.py), and its
words kept on the row.
"""

from __future__ import annotations

import email.policy
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage, Message
from email.utils import format_datetime, make_msgid, parseaddr

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import KestrelError, ValidationError
from app.core.i18n import _
from app.db import Database
from app.models import OutboxMessage, utcnow
from app.services.notify import attachments, deferred, mime, stored
from app.services.notify.marks import (
    MAILER,
    MAX_ATTEMPTS,
    Marks,
    Outgoing,
    backoff,
    mark_not_sent,
    mark_sent,
)
from app.services.notify.outbox import OUTBOX_CHANGED
from app.services.notify.outbox import recipient as outbox_recipient
from app.services.notify.smtp_client import SmtpClient, Verdict
from app.services.notify.smtp_settings import SmtpSettings, smtp_password, smtp_settings
from app.services.notify.templates import RenderedMail

__all__ = ["MAILER", "MAX_ATTEMPTS", "Outgoing", "backoff", "mark_not_sent", "mark_sent"]

log = logging.getLogger("kestrel.mail")
LEASE = timedelta(minutes=10)
BATCH = 50


def _due(now: datetime):  # type: ignore[no-untyped-def]
    m = OutboxMessage
    return or_(
        and_(m.state == "queued", or_(m.next_attempt_at.is_(None), m.next_attempt_at <= now)),
        and_(m.state == "sending", m.claimed_at < now - LEASE),
    )


def claim(
    session: Session, worker: str, limit: int = BATCH, now: datetime | None = None
) -> list[int]:
    """Take up to `limit` due messages for this sender; returns their ids, oldest first."""
    now = now or utcnow()
    m = OutboxMessage
    pick = select(m.id).where(_due(now)).order_by(m.id).limit(limit)
    claiming = update(m).values(
        state="sending",
        claimed_by=worker,
        claimed_at=now,
        interrupted=m.interrupted + case((m.state == "sending", 1), else_=0),
    )
    if session.get_bind().dialect.name == "postgresql":  # one statement, the rows locked
        locked = pick.with_for_update(skip_locked=True).scalar_subquery()
        ids = sorted(
            session.scalars(
                claiming.where(m.id.in_(locked)).returning(m.id),
                execution_options={"synchronize_session": False},
            )
        )
        if ids:
            changes.note(session, kind=OUTBOX_CHANGED)
        return ids
    # SQLite: a write transaction is BEGIN IMMEDIATE, one writer at a time, so the rows
    # picked are still due when the conditional UPDATE runs; no other sender can win them.
    ids = list(session.scalars(pick))
    if ids:
        session.execute(
            claiming.where(m.id.in_(ids), _due(now)).execution_options(synchronize_session=False)
        )
        changes.note(session, kind=OUTBOX_CHANGED)
    return ids


def build(
    session: Session, row: OutboxMessage, settings: SmtpSettings, mail: RenderedMail | None = None
) -> Message:
    """The message as it goes out, the same on every try (Message-ID and Date from the row);
    `mail` is its words when they were rendered just now (deferred.py). Built by mime.py
    (the compat32 API: no header parsed into objects)."""
    mail = mail or RenderedMail(row.subject, row.body, row.html_body)
    headers = [("From", row.from_address or settings.from_address), ("To", row.to_address)]
    reply_to = row.reply_to or settings.reply_to
    if reply_to:
        headers.append(("Reply-To", reply_to))
    headers += [
        ("Subject", mail.subject),
        ("Date", format_datetime(row.created_at)),
        ("Message-ID", row.message_id or ""),
    ]
    extra = json.loads(row.headers) if row.headers else {}
    for name, value in extra.items():
        if name.startswith("_"):  # kept for rendering (deferred.NOTE), never sent
            continue
        if name.lower() != "list-unsubscribe" or row.kind == "marketing":
            headers.append((name, value))
    if row.kind == "marketing" and not any(n.lower() == "list-unsubscribe" for n, _v in headers):
        unsubscribe = f"<mailto:{_bare(reply_to or headers[0][1])}?subject=unsubscribe>"
        headers.append(("List-Unsubscribe", unsubscribe))
    logo = attachments.logo_part(session, mail.html) if mail.html else None
    attached = (
        [attachments.attachment_part(session, row.attachment, settings.attachment_limit_kb)]
        if row.attachment
        else []
    )
    return mime.message(headers, mail.text, mail.html, [logo] if logo else [], attached)


def _bare(address: str) -> str:
    return parseaddr(address)[1]


@dataclass
class Loaded:
    """The claimed rows as messages; a row that cannot be built (a template that cannot be
    rendered, an attachment over the limit, an invoice that cannot be drawn) is in
    `broken`: its order, why; `rendered` holds the words written just now, to keep."""

    ready: list[Outgoing] = field(default_factory=list)
    broken: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    rendered: dict[int, RenderedMail] = field(default_factory=dict)


def _load(session: Session, ids: list[int], settings: SmtpSettings) -> Loaded:
    loaded = Loaded()
    ready, broken = loaded.ready, loaded.broken
    rows = list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
        )
    )
    orders = deferred.preload(session, rows)  # held until the loop is done
    for row in rows:
        try:
            mail = None
            if deferred.is_pending(row):
                mail = loaded.rendered[row.id] = deferred.render(session, row)
            message = build(session, row, settings, mail)
        except KestrelError as exc:
            broken[row.id] = (row.order_id, exc.message)
            continue
        to = [a.strip() for a in row.to_address.split(",") if a.strip()]
        ready.append(
            Outgoing(
                row.id,
                row.order_id,
                to,
                _bare(message["From"]),
                message,
                row.interrupted,
                row.event,
            )
        )
    del orders
    return loaded


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    problem: str = ""  # why the run stopped early (the server is unusable now)
    ids: list[int] = field(default_factory=list)


def send_due(
    database: Database, worker: str, limit: int = BATCH, now: datetime | None = None
) -> DrainResult:
    """One run: claim up to `limit` due messages and send them on one connection."""
    result = DrainResult()
    with database.write() as session:
        ids = claim(session, worker, limit, now)
    if not ids:
        return result
    with database.read() as session:
        stored.refresh(session)  # the server as set now, not as this process last saw it
        settings = smtp_settings(session)
        loaded = _load(session, ids, settings)
    ready = loaded.ready
    if loaded.rendered:
        with database.write() as session:
            deferred.keep(session, loaded.rendered, worker)
    for message_id, (order_id, why) in loaded.broken.items():
        with database.write() as session:
            mark_not_sent(session, message_id, order_id, worker, Verdict(False, why))
        result.failed += 1
    if not settings.configured:
        _release(
            database,
            worker,
            [o.id for o in ready],
            Verdict(True, "No mail server is set: `kestrel smtp set`."),
            result,
        )
        return result
    client = SmtpClient(settings, smtp_password(settings))
    try:
        with Marks(database, worker) as marks:
            for index, outgoing in enumerate(ready):
                if not _send_one(marks, client, outgoing, result):
                    _release(database, worker, [o.id for o in ready[index + 1 :]], None, result)
                    break
    finally:
        client.close()
    return result


def _send_one(marks: Marks, client: SmtpClient, outgoing: Outgoing, result: DrainResult) -> bool:
    """Send one claimed message and record it; False when the server is unusable now."""
    database, worker = marks.database, marks.worker
    try:
        refused = client.send(outgoing.message, outgoing.sender, outgoing.to)
    except Exception as exc:  # sorted by verdict(); what it cannot name is re-raised
        verdict = client.verdict(exc)
        with database.write() as session:
            state = mark_not_sent(session, outgoing.id, outgoing.order_id, worker, verdict)
        if state == "failed":
            result.failed += 1
        else:
            result.retried += 1
        if verdict.road_closed:
            result.problem = verdict.words
            log.info("outbox: %s", verdict.words)
        return not verdict.road_closed
    if refused:
        said = "; ".join(f"{a}: {t}" for a, t in refused.items())
        accepted = [a for a in outgoing.to if a not in refused]
        verdict = Verdict(
            False,
            f"Not sent to everyone: {', '.join(accepted)} took it, the server refused {said}.",
        )
        with database.write() as session:
            mark_not_sent(session, outgoing.id, outgoing.order_id, worker, verdict)
        result.failed += 1
        return True
    marks.sent(outgoing)
    result.sent += 1
    result.ids.append(outgoing.id)
    return True


def _release(
    database: Database, worker: str, ids: list[int], verdict: Verdict | None, result: DrainResult
) -> None:
    """Claimed but not tried (the server went away first): back in the queue. With a
    verdict the try counts (nothing could be sent at all), without it the row is simply
    put back, due at once."""
    if not ids:
        return
    m = OutboxMessage
    with database.write() as session:
        if verdict is None:
            session.execute(
                update(m)
                .where(m.id.in_(ids), m.claimed_by == worker, m.state == "sending")
                .values(state="queued", claimed_at=None, next_attempt_at=utcnow() + backoff(1))
                .execution_options(synchronize_session=False)
            )
            changes.note(session, kind=OUTBOX_CHANGED)
            result.retried += len(ids)
            return
        for message_id in ids:
            mark_not_sent(session, message_id, None, worker, verdict)
        result.retried += len(ids)
        result.problem = verdict.words


def drain(database: Database, worker: str, now: datetime | None = None) -> DrainResult:
    """Send everything due now, batch after batch, until nothing is left or the server
    becomes unusable (`kestrel outbox run --once`)."""
    total = DrainResult()
    while True:
        result = send_due(database, worker, now=now)
        total.sent += result.sent
        total.retried += result.retried
        total.failed += result.failed
        total.ids.extend(result.ids)
        if result.problem:
            total.problem = result.problem
        if result.problem or not (result.sent or result.failed or result.retried):
            return total


def send_test(session: Session, actor: Actor, address: str) -> str:
    """One e-mail straight to `address` (not through the outbox): what the server said.
    A refusal is ValidationError; a server that cannot be used is KestrelError."""
    require(actor, Permission.SETTINGS_MANAGE)
    to, why_not = outbox_recipient(address, None)
    if why_not:
        raise ValidationError(_("Not sent: {why_not}").format(why_not=why_not), "address")
    settings = smtp_settings(session)
    if not settings.configured:
        raise ValidationError(_("No mail server is set: `kestrel smtp set` first."), "host")
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"], msg["To"] = settings.from_address, to
    msg["Subject"] = "Kestrel test e-mail"
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain=settings.domain)
    msg.set_content("This is a test e-mail from Kestrel: the mail server settings work.\n")
    client = SmtpClient(settings, smtp_password(settings))
    try:
        refused = client.send(msg, _bare(settings.from_address), [to])
    except Exception as exc:  # sorted by verdict(); what it cannot name is re-raised
        verdict = client.verdict(exc)
        if verdict.road_closed:
            raise KestrelError(verdict.words) from None
        raise ValidationError(verdict.words, "address") from None
    finally:
        client.close()
    if refused:
        raise ValidationError(
            _("The server refused {to}: {refused}").format(to=to, refused=refused[to]), "address"
        )
    return f"The server at {client.where} accepted the test e-mail to {to}."
