"""The watched folders while the GUI runs: a plain thread (no Qt) on every workstation,
of which one at a time imports, the one holding the lease.

Every `interval` seconds the thread looks whether any source has a watched folder (a
read: a shop without one never writes the lease row); if one has, it asks for the lease
(services/notify/lease.py, the e-mail sender's election, under its own key), and the
holder runs watch.watch_once with the looks it keeps between rounds, so a file is taken
once it has stood still for one interval, imported in its own transaction and filed in
done/ or failed/ with its report, as `kestrel source watch` does from the command line.
Two workstations watching the same shared folder therefore never import one file twice
nor race to move it. The imports run as the system (the folders are the shop's set-up,
like the e-mail sender; the timeline and the audit say "system" and name the file's
source), whoever is signed in at the workstation that holds the lease.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.core import auth
from app.db import Database
from app.models import OrderSource
from app.services.notify.lease import LeaseWorker

if TYPE_CHECKING:
    from app.services.channels import watch

ELECTION_KEY = "channels.watch"
TERM = timedelta(minutes=2)


class WatchWorker(LeaseWorker[list["watch.Filed"]]):
    """Started with the main window; `stop()` ends the thread (after the file being
    imported) and gives the lease up so another workstation takes over at once."""

    key, label, thread_name = ELECTION_KEY, "watched folders", "kestrel-watch"
    log = logging.getLogger("kestrel.channels")

    def __init__(
        self,
        database: Database,
        name: str,
        interval: float = 5.0,
        term: timedelta = TERM,
        on_filed: Callable[[watch.Filed], None] | None = None,
    ) -> None:
        if term.total_seconds() <= interval * 2:
            raise ValueError("the lease's term must outlast two rounds")
        super().__init__(database, name, interval, term)
        self.on_filed = on_filed
        self._looks: dict[str, tuple[int, int]] = {}  # watch.Looks

    def round(self) -> list[watch.Filed]:
        """One look: the files that stood still since the last one, imported and filed,
        if this workstation holds (or takes) the lease; else nothing."""
        with self.database.read() as session:
            watched = session.scalar(
                select(OrderSource.id)
                .where(OrderSource.active.is_(True), OrderSource.watch_dir != "")
                .limit(1)
            )
        if watched is None:
            return []
        # the importers only once a folder is watched: a shop without one (most) never
        # loads them, and a start-up does not wait for them
        from app.services.channels import watch

        if not self.holds():
            self._looks.clear()  # another workstation imports: start afresh if it stops
            return []
        filed = watch.watch_once(self.database, auth.SYSTEM, self._looks)
        for one in filed:
            if self.on_filed is not None:
                self.on_filed(one)
        return filed
