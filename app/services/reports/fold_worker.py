"""The reports' fold while the GUI runs: a plain thread (no Qt) on every workstation, of
which one at a time folds, the one holding the lease (services/notify/lease.py, the
e-mail sender's election, under its own key). It folds once at start and then every
`interval` (an hour): the closed days not folded yet and those touched since
(fold.py), in batches, stopping between batches when the GUI quits. The fold runs as the
system, like the e-mail sender: it only writes the reports' summaries.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from app.core import auth
from app.db import Database
from app.services.notify.lease import LeaseWorker
from app.services.reports import fold

ELECTION_KEY = "reports.fold"
HOUR = 3600.0


class FoldWorker(LeaseWorker[fold.FoldResult | None]):
    """Started with the main window; `stop()` ends the thread between batches and gives
    the lease up so another workstation folds next."""

    key, label, thread_name = ELECTION_KEY, "reports' fold", "kestrel-fold"
    log = logging.getLogger("kestrel.reports")

    def __init__(self, database: Database, name: str, interval: float = HOUR) -> None:
        # the term outlasts a round and its fold
        super().__init__(database, name, interval, timedelta(seconds=interval * 2))

    def round(self) -> fold.FoldResult | None:
        """One fold if this workstation holds (or takes) the lease; else None."""
        if not self.holds():
            return None
        return fold.fold(self.database, auth.SYSTEM, cancelled=self._stop.is_set)
