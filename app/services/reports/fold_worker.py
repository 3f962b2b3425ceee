"""The reports' fold while the GUI runs: a plain thread (no Qt) on every workstation, of
which one at a time folds, the one holding the lease (services/notify/lease.py, the
e-mail sender's election, under its own key). It folds once at start and then every
`interval` (an hour): the closed days not folded yet and those touched since
(fold.py), in batches, stopping between batches when the GUI quits. The fold runs as the
system, like the e-mail sender: it only writes the reports' summaries.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from app.core import auth
from app.core.errors import KestrelError
from app.db import Database
from app.services.notify import lease
from app.services.reports import fold

log = logging.getLogger("kestrel.reports")
ELECTION_KEY = "reports.fold"
HOUR = 3600.0


class FoldWorker:
    """Started with the main window; `stop()` ends the thread between batches and gives
    the lease up so another workstation folds next."""

    def __init__(self, database: Database, name: str, interval: float = HOUR) -> None:
        self.database, self.name, self.interval = database, name, interval
        self.term = timedelta(seconds=interval * 2)  # outlasts a round and its fold
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> FoldWorker:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kestrel-fold", daemon=True)
        self._thread.start()
        log.info("reports' fold from %s (folds while it holds the lease)", self.name)
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.round()
            except (KestrelError, SQLAlchemyError) as exc:  # the database went away: next hour
                log.warning("reports' fold: %s", exc)
            self._stop.wait(self.interval)

    def round(self) -> fold.FoldResult | None:
        """One fold if this workstation holds (or takes) the lease; else None."""
        if not lease.acquire(self.database, ELECTION_KEY, self.name, self.term):
            return None
        return fold.fold(self.database, auth.SYSTEM, cancelled=self._stop.is_set)

    def stop(self, timeout: float = 60.0) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("reports' fold still running after %.0f s; the lease lapses", timeout)
        else:
            try:
                lease.release(self.database, ELECTION_KEY, self.name)
            except SQLAlchemyError as exc:
                log.warning("reports' fold: lease not given up: %s", exc)
        self._thread = None
