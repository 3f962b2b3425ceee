"""Live refresh between workstations (and between processes on one machine).

PostgreSQL: every write transaction that noted changes also sends them with pg_notify in
the same transaction (core/changes.py), so they are delivered exactly when (and only if)
it commits. Each
workstation keeps one listening connection on a thread of its own — never the GUI
thread — and republishes what others did on the local change bus.

SQLite: there is no NOTIFY; a listener polls `PRAGMA data_version` on its own connection
(a few microseconds) and, when another process committed, publishes an 'external'
change that tells screens to re-read what they show. This process's own commits are
skipped (they are on the local bus already): db.py hands them to the listener, which
looks at data_version just before and just after each one.

The listener also reports whether the database answers, so the status bar can say
'offline' and the workstation reconnects by itself.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

from sqlalchemy.engine import URL

from app.core import changes
from app.core.changes import ChangeSet

log = logging.getLogger("kestrel.live")


class ChangeListener:
    """Hears what other processes commit and republishes it on the local change bus."""

    def __init__(
        self,
        url: URL,
        on_status: Callable[[bool], None] | None = None,
        poll_seconds: float = 0.25,
        retry_seconds: float = 2.0,
    ) -> None:
        self.url = url
        self.on_status = on_status
        self.poll = poll_seconds
        self.retry = retry_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._last: int | None = None
        self.connected: bool | None = None

    def start(self) -> ChangeListener:
        target = (
            self._run_postgres
            if self.url.get_backend_name() == "postgresql"
            else (self._run_sqlite)
        )
        self._thread = threading.Thread(target=target, name="kestrel-live", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _status(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            log.info("database %s", "reachable" if connected else "unreachable")
            if self.on_status is not None:
                self.on_status(connected)

    def _run_postgres(self) -> None:
        import psycopg

        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {changes.CHANNEL}")
                    self._status(True)
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=self.poll):
                            change = changes.change_from(notice.payload)
                            if change is not None:
                                changes.publish(change)
                        conn.execute("SELECT 1")  # notices a dead server between notices
            except psycopg.Error as exc:
                log.debug("listener connection lost: %s", exc)
                self._status(False)
                self._stop.wait(self.retry)

    def _run_sqlite(self) -> None:
        path = self.url.database
        if not path or path == ":memory:":
            return
        changes.guard_local_commits(path, self._own_commit)
        try:
            while not self._stop.is_set():
                try:
                    self._poll_sqlite(path)
                except sqlite3.Error as exc:
                    log.debug("listener lost the database file: %s", exc)
                    self._status(False)
                    self._stop.wait(self.retry)
        finally:
            changes.guard_local_commits(path, None)

    def _poll_sqlite(self, path: str) -> None:
        # Used by this thread and, under the lock, by this process's committing threads.
        conn = sqlite3.connect(path, isolation_level=None, timeout=1, check_same_thread=False)
        with self._lock:
            self._conn, self._last = conn, None  # versions are per connection
        try:
            self._status(True)
            while not self._stop.is_set():
                with self._lock:
                    moved = self._seen(conn)
                if moved:
                    changes.publish(ChangeSet(kinds=frozenset({"external"})))
                self._stop.wait(self.poll)
        finally:
            with self._lock:
                self._conn = None
                conn.close()

    def _seen(self, conn: sqlite3.Connection) -> bool:
        """Did another connection commit since the last look? (lock held; the caller
        publishes after letting go of it, so a subscriber may commit)."""
        version: int = conn.execute("PRAGMA data_version").fetchone()[0]
        moved = self._last is not None and version != self._last
        self._last = version
        return moved

    def _own_commit(self, own: sqlite3.Connection, commit: Callable[[], None]) -> None:
        """Runs this process's commits to the file, so their data_version step is skipped:
        they are on the local bus already (every local commit used to make every screen
        reload everything). Another process's commit is never absorbed: a writer holds the
        write lock until its COMMIT, so none lands between the first look and ours; one
        that lands just after ours moves our own connection's data_version too, and then
        the next poll publishes it (at worst one extra reload)."""
        moved = False
        try:
            with self._lock:
                conn = self._conn
                if conn is None or self._last is None:
                    commit()
                    return
                try:
                    moved = self._seen(conn)
                    before = own.execute("PRAGMA data_version").fetchone()[0]
                except sqlite3.Error:
                    commit()  # the next poll tells our commit from theirs no longer: one reload
                else:
                    commit()
                    try:
                        after_ours = conn.execute("PRAGMA data_version").fetchone()[0]
                        if own.execute("PRAGMA data_version").fetchone()[0] == before:
                            self._last = after_ours  # only our commit moved it
                    except sqlite3.Error as exc:
                        log.debug("listener could not look after a local commit: %s", exc)
        finally:  # what others committed before ours is told even if ours failed
            if moved:
                changes.publish(ChangeSet(kinds=frozenset({"external"})))
