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

from app.db import Database
from app.services.notify import alerts, lease, sender

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
    MailWorker(database, name, interval, term, elected).run(stop)


def start(
    database: Database, name: str, interval: float = 15.0, term: timedelta = TERM
) -> tuple[threading.Thread, threading.Event]:
    """The worker thread, started; set the event to stop it (then join the thread). The
    lease is not given up (MailWorker.stop does that)."""
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


class MailWorker(lease.LeaseWorker[sender.DrainResult | None]):
    """The sender as a workstation runs it: started with the main window, every
    workstation asks, the lease holder sends (a batch after a busy one at once);
    `stop()` ends the thread after the message being sent (its SMTP timeout at most)
    and gives the lease up."""

    key, label, thread_name = ELECTION_KEY, "e-mail sender", "kestrel-mail"
    stop_timeout = 30.0
    log = logging.getLogger("kestrel.mail")

    def __init__(
        self,
        database: Database,
        name: str,
        interval: float = 15.0,
        term: timedelta = TERM,
        elected: bool = True,
    ) -> None:
        super().__init__(database, name, interval, term)
        self.elected = elected

    def round(self) -> sender.DrainResult | None:
        """The staff alerts that are new queued, one batch sent, if this workstation
        holds (or takes) the lease or sends without asking; else None."""
        if self.elected and not self.holds():
            return None
        with self.database.write() as session:
            alerts.queue_alerts(session)
        return sender.send_due(self.database, self.name)

    def busy(self, result: sender.DrainResult | None) -> bool:
        return (
            result is not None
            and bool(result.sent or result.failed or result.retried)
            and not result.problem
        )
