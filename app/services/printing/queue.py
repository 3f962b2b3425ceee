"""Printers per workstation and the persistent print queue.

A job is a row before it is bytes on a wire: `enqueue` stores it in the caller's
transaction (with the sale or the order change that caused it), a worker sends it later.
Jobs for one printer go out in order; a failed job waits with back-off and blocks the jobs
behind it, so a receipt never overtakes the one before. Nothing is ever dropped: a job
leaves the queue only as done or cancelled by a person.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.core import audit, changes, driver_sql, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import (
    InvalidTransition,
    NotFound,
    ValidationError,
)
from app.core.i18n import _
from app.core.sentence import Term, said
from app.core.validation import clean_text
from app.models import Printer, PrintJob, SalesOrder, utcnow

log = logging.getLogger("kestrel.print")
_INSERT_JOB = driver_sql.Prebuilt(insert(PrintJob.__table__).returning(PrintJob.__table__.c.id))


# document -> the printer role that prints it
ORDER_DOCUMENTS = {
    "receipt": "receipt",
    "invoice": "document",
    "packing-slip": "document",
    "delivery-note": "document",
    "pick-list": "document",
    "shipping-label": "label",
    "product-labels": "label",
}


class JobState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    HELD = "held"  # could not be drawn: waits for a person (retry or cancel), blocks nothing
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class JobRow:
    id: int
    printer_id: int | None
    printer_name: str
    document: str
    order_id: int | None
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    done_at: datetime | None
    size: int


@dataclass(frozen=True)
class JobToSend:
    id: int
    printer_id: int
    uri: str
    language: str
    document: str
    payload: bytes
    attempts: int


def enqueue(
    session: Session,
    actor: Actor,
    printer_id: int,
    document: str,
    payload: bytes,
    order_id: int | None = None,
    render_spec: str = "",
) -> int:
    """Queue raw bytes: a settings manager's tool (any bytes may kick the drawer). The
    documents a role may print go through services.documents, which checks that role."""
    require(actor, Permission.SETTINGS_MANAGE)
    return _enqueue(session, actor, printer_id, document, payload, order_id, render_spec)


def _enqueue(
    session: Session,
    actor: Actor,
    printer_id: int,
    document: str,
    payload: bytes,
    order_id: int | None = None,
    render_spec: str = "",
) -> int:
    """Store a job for the worker; on an order, the print goes on its timeline. With a
    render_spec and no payload, the worker draws the document when it takes the job.
    Private to the use cases that checked their own permission (documents, reprint)."""
    printer = session_cache.row(session, Printer, printer_id)  # default_printer's, if it ran
    if printer is None:
        raise NotFound(_("Printer {printer_id} does not exist.").format(printer_id=printer_id))
    if not payload and not render_spec:
        raise ValidationError(_("There is nothing to print."))
    session.flush()  # timeline entries noted through the ORM come before this one
    ((job_id,),) = driver_sql.execute(  # on the cursor: a receipt with every counter sale
        session,
        _INSERT_JOB,
        {
            "printer_id": printer.id,
            "workstation": printer.workstation,
            "document": clean_text(document, "Document", max_length=30, required=True),
            "order_id": order_id,
            "payload": payload,
            "render_spec": render_spec,
            "state": JobState.QUEUED.value,
        },
    ).fetchall()
    if order_id is not None:
        from app.services.sales.orders import insert_few_events, timeline_rows

        order = order_row(session, order_id)
        rows = timeline_rows(  # the audit line is the one below
            session,
            order,
            actor,
            "printed",
            said(
                "{document} sent to {printer}",
                document=Term(document.replace("-", " ").capitalize()),  # as the Print menu
                printer=printer.name,
            ),
            data={"job_id": job_id},
            audited=False,
        )
        insert_few_events(session, rows)
    audit.record(session, actor, "print", document, f"job {job_id} to {printer.name}")
    changes.note(session, kind="print_jobs", orders=[order_id] if order_id else [])
    return int(job_id)


def order_row(session: Session, order_id: int) -> SalesOrder:
    """The order a job prints, held for the transaction (a counter sale keeps the one it
    has just inserted there, so it is not read back)."""
    order = session_cache.row(session, SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    return order


def recover(session: Session, workstation: str) -> int:
    """At start: a job left 'sending' by a crash is queued again, marked COPY and without
    its drawer kick: the printer may have printed it before the crash (raw TCP is
    at-least-once), so a repeat must be harmless."""
    rows = session.execute(
        select(PrintJob, Printer.language)
        .join(Printer, Printer.id == PrintJob.printer_id)
        .where(PrintJob.workstation == workstation, PrintJob.state == JobState.SENDING)
    ).all()
    for job, language in rows:
        job.state = JobState.QUEUED.value
        if job.payload:
            job.payload = mark_copy(job.payload, language)
        job.last_error = "Sent again after an interruption: marked COPY, no drawer kick."
    session.flush()
    if rows:
        changes.note(session, kind="print_jobs")
    return len(rows)


def _hold(session: Session, job: PrintJob, reason: str) -> bool:
    job.state = JobState.HELD.value
    job.last_error = reason[:500]
    session.flush()
    changes.note(session, kind="print_jobs")
    return False


def hold(session: Session, job_id: int, reason: str) -> None:
    """A job that failed in a way a retry will not mend: it waits for a person and lets
    the printer's next job go."""
    job = _job(session, job_id)
    if job.state == JobState.SENDING:
        _hold(session, job, reason)


def wait_for_printer(
    session: Session, job_id: int, reason: str, retry_in: float, sent: bool = False
) -> None:
    """The printer said it is not ready (paper out): the job stays queued with the reason
    and goes out when the printer says it is ready. If the printer had taken it already
    (`sent`), it goes again as a COPY without a drawer kick."""
    job = _job(session, job_id)
    if job.state != JobState.SENDING:
        return
    if sent and job.payload:
        language = session.scalar(select(Printer.language).where(Printer.id == job.printer_id))
        job.payload = mark_copy(job.payload, language or "")
    job.state = JobState.QUEUED.value
    job.last_error = reason[:500]
    job.next_attempt_at = utcnow() + timedelta(seconds=retry_in)
    changes.note(session, kind="print_jobs")


def complete(session: Session, job_id: int) -> None:
    session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id)
        .values(state=JobState.DONE.value, done_at=utcnow(), last_error="")
    )
    changes.note(session, kind="print_jobs")


def fail(session: Session, job_id: int, error: str, retry_in: float) -> None:
    session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.state == JobState.SENDING)
        .values(
            state=JobState.QUEUED.value,
            last_error=error[:500],
            next_attempt_at=utcnow() + timedelta(seconds=retry_in),
        )
    )
    changes.note(session, kind="print_jobs")


def mark_copy(payload: bytes, language: str) -> bytes:
    """copies.mark_copy, loaded when needed (start-up imports no printing back-end)."""
    from app.printing.copies import mark_copy as mark

    return mark(payload, language)


def _job(session: Session, job_id: int) -> PrintJob:
    job = session.get(PrintJob, job_id, with_for_update=True)
    if job is None:
        raise NotFound(_("Print job {job_id} does not exist.").format(job_id=job_id))
    return job


def retry_now(session: Session, actor: Actor, job_id: int) -> None:
    require(actor, Permission.ORDERS_VIEW)
    job = _job(session, job_id)
    if job.state not in (JobState.QUEUED, JobState.HELD):
        raise InvalidTransition(
            _("Print job {job_id} is {state}; only a waiting job retries.").format(
                job_id=job_id, state=job.state
            )
        )
    job.state = JobState.QUEUED.value
    job.next_attempt_at = None
    changes.note(session, kind="print_jobs")


def cancel(session: Session, actor: Actor, job_id: int) -> None:
    require(actor, Permission.ORDERS_VIEW)
    job = _job(session, job_id)
    if job.state not in (JobState.QUEUED, JobState.HELD):
        raise InvalidTransition(
            _("Print job {job_id} is {state}; it cannot be cancelled now.").format(
                job_id=job_id, state=job.state
            )
        )
    job.state = JobState.CANCELLED.value
    changes.note(session, kind="print_jobs")


def reprint(session: Session, actor: Actor, job_id: int, printer_id: int | None = None) -> int:
    """The same document again, as a new job marked COPY and without a drawer kick (to
    the same printer unless another is given)."""
    require(actor, Permission.ORDERS_VIEW)
    job = _job(session, job_id)
    target = printer_id or job.printer_id
    if target is None:
        raise ValidationError(_("Choose a printer for the reprint."))
    payload, spec = job.payload, job.render_spec
    if payload:
        language = session.scalar(select(Printer.language).where(Printer.id == job.printer_id))
        payload = mark_copy(payload, language or "")
    elif spec:
        spec = _copy_spec(spec)
    return _enqueue(session, actor, target, job.document, payload, job.order_id, spec)


def _copy_spec(spec: str) -> str:
    try:
        data = json.loads(spec)
    except ValueError:
        return spec  # damaged: held with its reason when drawn
    if isinstance(data, dict):
        data.update(copy=True, open_drawer=False)
        return json.dumps(data)
    return spec


@dataclass(frozen=True)
class QueueStatus:
    waiting: int
    held: int
    reason: str  # why the oldest waiting or held job has not printed, '' when none

    @property
    def text(self) -> str:
        """For the status bar: 'Print queue: 2 waiting, 1 held — paper out'."""
        if not (self.waiting or self.held):
            return "Printing: ready"
        parts = [f"{self.waiting} waiting"] if self.waiting else []
        parts += [f"{self.held} held"] if self.held else []
        reason = f" — {self.reason}" if self.reason else ""
        return f"Print queue: {', '.join(parts)}{reason}"


def queue_status(session: Session, workstation: str) -> QueueStatus:
    counts = dict(
        session.execute(
            select(PrintJob.state, func.count())
            .where(
                PrintJob.workstation == workstation,
                PrintJob.state.in_((JobState.QUEUED, JobState.SENDING, JobState.HELD)),
            )
            .group_by(PrintJob.state)
        ).all()
    )
    reason = session.scalar(
        select(PrintJob.last_error)
        .where(
            PrintJob.workstation == workstation,
            PrintJob.state.in_((JobState.QUEUED, JobState.HELD)),
            PrintJob.last_error != "",
        )
        .order_by(PrintJob.id)
        .limit(1)
    )
    waiting = int(counts.get(JobState.QUEUED.value, 0) + counts.get(JobState.SENDING.value, 0))
    return QueueStatus(waiting, int(counts.get(JobState.HELD.value, 0)), reason or "")


def list_jobs(
    session: Session,
    workstation: str,
    states: tuple[str, ...] = (),
    offset: int = 0,
    limit: int = 100,
) -> list[JobRow]:
    stmt = (
        select(
            PrintJob.id,
            PrintJob.printer_id,
            func.coalesce(Printer.name, ""),
            PrintJob.document,
            PrintJob.order_id,
            PrintJob.state,
            PrintJob.attempts,
            PrintJob.last_error,
            PrintJob.created_at,
            PrintJob.done_at,
            func.length(PrintJob.payload),
        )
        .outerjoin(Printer, Printer.id == PrintJob.printer_id)
        .where(PrintJob.workstation == workstation)
        .order_by(PrintJob.id.desc())
        .offset(offset)
        .limit(limit)
    )
    if states:
        stmt = stmt.where(PrintJob.state.in_(states))
    return [JobRow(*row) for row in session.execute(stmt)]


def pending_count(session: Session, workstation: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(PrintJob)
            .where(
                PrintJob.workstation == workstation,
                PrintJob.state.in_((JobState.QUEUED, JobState.SENDING)),
            )
        )
        or 0
    )
