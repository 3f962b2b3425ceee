"""The in-app sender: a plain thread (no Qt) that one elected workstation runs.

`run(database, name, stop)` is the whole loop: every `interval` seconds it asks to be the
sender (lease.py: a lease row with its holder and expiry, renewed while it runs, taken
over when another workstation's lapsed), and if it is, queues the staff alerts that are
new and drains what is due. The GUI starts a `MailWorker` with its main window and stops
it on the way out (the lease given up, so another workstation takes over at once);
`kestrel outbox run` uses the same loop without asking.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import KestrelError
from app.db import Database
from app.services.notify import alerts, lease, sender

log = logging.getLogger("kestrel.mail")
ELECTION_KEY = "notify.sender"
TERM = timedelta(minutes=2)


def elect(database: Database, name: str, term: timedelta = TERM) -> bool:
    """Be the shop's e-mail sender for the next `term`, unless another workstation is."""
    return lease.acquire(database, ELECTION_KEY, name, term)


def run(
    database: Database,
    name: str,
    stop: threading.Event,
    interval: float = 15.0,
    elected: bool = True,
    term: timedelta = TERM,
) -> None:
    """Send until `stop` is set. `elected=False` sends without asking (a server's
    `kestrel outbox run`, the one sender by the operator's choice). The lease is renewed
    before every batch, so `term` must be well over `interval` plus one batch."""
    while not stop.is_set():
        busy = False
        try:
            if not elected or elect(database, name, term):
                with database.write() as session:
                    alerts.queue_alerts(session)
                result = sender.send_due(database, name)
                busy = bool(result.sent or result.failed or result.retried) and not result.problem
        except (KestrelError, SQLAlchemyError) as exc:  # the database went away: next round
            log.warning("e-mail sender: %s", exc)
        if not busy:
            stop.wait(interval)


def start(
    database: Database, name: str, interval: float = 15.0, term: timedelta = TERM
) -> tuple[threading.Thread, threading.Event]:
    """The worker thread, started; set the event to stop it (then join the thread)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run,
        args=(database, name, stop, interval),
        kwargs={"term": term},
        name="kestrel-mail",
        daemon=True,
    )
    thread.start()
    return thread, stop


class MailWorker:
    """The sender as a workstation runs it: started with the main window, every
    workstation asks, the lease holder sends; `stop()` ends the thread and gives the
    lease up."""

    def __init__(
        self, database: Database, name: str, interval: float = 15.0, term: timedelta = TERM
    ) -> None:
        self.database, self.name = database, name
        self.interval, self.term = interval, term
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> MailWorker:
        self._thread, self._stop = start(self.database, self.name, self.interval, self.term)
        log.info("e-mail sender started on %s (sends while it holds the lease)", self.name)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the message being sent (its SMTP timeout at most), then release."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("e-mail sender still busy after %.0f s; its lease will lapse", timeout)
        else:
            try:
                lease.release(self.database, ELECTION_KEY, self.name)
            except SQLAlchemyError as exc:  # the database went away: the lease lapses
                log.warning("e-mail sender: lease not given up: %s", exc)
        self._thread = None

    def holds_lease(self) -> bool:
        with self.database.read() as session:
            return lease.holder(session, ELECTION_KEY).holder == self.name
