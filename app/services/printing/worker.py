"""The print queue's sender: a plain thread (no Qt), so the GUI, the CLI and tests share it.

It takes the queue's jobs (queue.py stores them), draws a deferred one with documents.py
and sends it with an app/printing transport.

It claims one job at a time in its own short transaction, sends it outside any
transaction, and records the outcome in another; a printer that fails gets an
exponential back-off, and the jobs behind it on that printer wait their turn.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.errors import KestrelError, NotFound
from app.core.i18n import _
from app.db import Database
from app.models import Printer, PrintJob, utcnow
from app.printing.transports import PrinterNotReady, parse_uri, send
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.printing.queue import JobToSend

log = logging.getLogger("kestrel.print")


def claim_next(session: Session, workstation: str, now: datetime | None = None) -> JobToSend | None:
    """The next job to send: per printer the oldest unfinished one, if its back-off is over."""
    now = now or utcnow()
    blocked: set[int | None] = set()
    rows = session.execute(
        select(PrintJob.id, PrintJob.printer_id, PrintJob.state, PrintJob.next_attempt_at)
        .where(
            PrintJob.workstation == workstation,
            PrintJob.state.in_((printing.JobState.QUEUED, printing.JobState.SENDING)),
        )
        .order_by(PrintJob.id)
        .limit(200)
    ).all()
    for job_id, printer_id, state, next_at in rows:
        if printer_id in blocked:
            continue
        blocked.add(printer_id)
        if state == printing.JobState.SENDING or (next_at is not None and next_at > now):
            continue
        job = session.get(PrintJob, job_id, with_for_update=True)
        printer = session.get(Printer, printer_id) if printer_id else None
        if job is None or printer is None or job.state != printing.JobState.QUEUED:
            continue
        job.state = printing.JobState.SENDING.value
        job.attempts += 1
        if not job.payload and job.render_spec and not _draw(session, job, printer):
            blocked.discard(printer_id)
            continue
        session.flush()
        return JobToSend(
            job.id,
            printer.id,
            printer.uri,
            printer.language,
            job.document,
            job.payload,
            job.attempts,
        )
    return None


def job_bytes(session: Session, job_id: int) -> bytes:
    """What a job sends: its payload, or for a job not drawn yet, the drawing of it now."""
    from app.services.printing.documents import render_spec

    job = printing._job(session, job_id)
    if job.payload or not job.render_spec:
        return job.payload
    printer = session.get(Printer, job.printer_id) if job.printer_id else None
    if printer is None:
        raise NotFound(_("The job's printer has been removed."))
    return render_spec(session, printers._row(printer), job.render_spec)


def _draw(session: Session, job: PrintJob, printer: Printer) -> bool:
    """Draw a deferred document into the job, once. One that cannot be drawn, for any
    reason, is held with its reason in the queue (a bug also with its traceback in the
    log) instead of blocking the printer's other jobs on every cycle."""
    from app.services.printing.documents import render_spec

    try:
        job.payload = render_spec(session, printers._row(printer), job.render_spec)
    except KestrelError as exc:
        return printing._hold(session, job, f"Could not draw the document: {exc.message}")
    except SQLAlchemyError:
        raise  # the database went away: the worker's cycle retries
    except Exception as exc:
        log.exception("print job %d could not be drawn", job.id)
        return printing._hold(
            session, job, f"Could not draw the document (a bug, see the log): {exc}"
        )
    job.render_spec = ""
    return True


class PrintWorker:
    def __init__(  # noqa: PLR0913
        self,
        database: Database,
        workstation: str,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        idle_poll: float = 1.0,
        on_sent: Callable[[int, str, str, str], None] | None = None,
    ) -> None:
        self.database = database
        self.workstation = workstation
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.idle_poll = idle_poll
        self.on_sent = on_sent
        self.status: dict[int, str] = {}  # printer id -> what it last said of itself
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PrintWorker:
        with self.database.write() as session:
            recovered = printing.recover(session, self.workstation)
        if recovered:
            log.info("requeued %d job(s) left sending by the last run", recovered)
        self._thread = threading.Thread(target=self._loop, name="print-worker", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """A job was queued: look now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                handled = self.run_once()
            except Exception:  # the database went away: log, wait, try again
                log.exception("print worker cycle failed")
                handled = False
            if not handled:
                self._wake.wait(self.idle_poll)
                self._wake.clear()

    def _delay(self, attempts: int) -> float:
        doubling: int = 2 ** max(0, attempts - 1)
        return min(self.backoff_max, self.backoff_base * doubling)

    def run_once(self) -> bool:
        """Send one job if one is due; True if a job was handled either way."""
        with self.database.write() as session:
            job = claim_next(session, self.workstation)
        if job is None:
            return False
        try:
            delivery = send(
                parse_uri(job.uri), job.payload, job.language, f"{job.document}-{job.id}"
            )
        except PrinterNotReady as exc:  # paper out: wait for the printer, in order
            delay = self._delay(job.attempts)
            log.info("job %d waits: %s", job.id, exc.message)
            with self.database.write() as session:
                printing.wait_for_printer(session, job.id, exc.message, delay, exc.sent)
            self.status[job.printer_id] = exc.status
            return True
        except KestrelError as exc:  # off, unplugged, refused: retry with back-off, in order
            delay = self._delay(job.attempts)
            log.info("job %d attempt %d failed: %s", job.id, job.attempts, exc.message)
            with self.database.write() as session:
                printing.fail(session, job.id, exc.message, delay)
            return True
        except Exception as exc:  # a bug in a transport: hold this job, let the next go
            log.exception("job %d: unexpected error", job.id)
            with self.database.write() as session:
                printing.hold(session, job.id, f"Could not send (a bug, see the log): {exc}")
            return True
        with self.database.write() as session:
            printing.complete(session, job.id)
        self.status[job.printer_id] = delivery.status
        if self.on_sent is not None:
            self.on_sent(job.id, job.uri, delivery.where, delivery.status)
        return True
