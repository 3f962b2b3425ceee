"""A lease in the database: one holder at a time for a shop-wide job (the e-mail sender).

The lease is one row of the settings table (key -> {"by": holder, "until": expiry}), the
same row the sender has always been elected by, so workstations of an older and a newer
version agree on who sends. A holder renews it before it expires; when it lapses (the
workstation was switched off, its network went away) the next to ask takes it over.
Giving it up on a clean quit lets another workstation take over at once instead of
after the term. Times are UTC ISO strings, which order as the times they spell.

`LeaseWorker` is the thread each of those jobs runs on every workstation (the e-mail
sender, the reports' fold, the watched folders): a round every `interval`, the lease
asked for in it, stopped between rounds and the lease given up on the way out.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Self, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.errors import KestrelError
from app.db import Database
from app.models import Setting, utcnow


@dataclass(frozen=True)
class Held:
    """Who holds a lease and until when ("" / None: nobody)."""

    holder: str
    until: datetime | None

    def live(self, now: datetime) -> bool:
        return bool(self.holder) and self.until is not None and self.until > now


def _read(row: Setting | None) -> Held:
    try:
        held = json.loads(row.value) if row is not None else {}
        if not isinstance(held, dict):
            return Held("", None)
        until = datetime.fromisoformat(held["until"]) if held.get("until") else None
    except (ValueError, TypeError):  # a row no version of Kestrel wrote: lapsed
        return Held("", None)
    return Held(str(held.get("by") or ""), until)


def holder(session: Session, key: str, now: datetime | None = None) -> Held:
    """Who holds the lease now (Held("", None) when it is free or lapsed)."""
    held = _read(session.get(Setting, key))
    return held if held.live(now or utcnow()) else Held("", None)


def acquire(
    database: Database, key: str, name: str, term: timedelta, now: datetime | None = None
) -> bool:
    """Take or renew the lease for `term`, unless another holder's has not lapsed.

    The row is read for update (PostgreSQL) or in SQLite's one-writer transaction, so two
    workstations asking at once cannot both win."""
    now = now or utcnow()
    try:
        with database.write() as session:
            row = session.get(Setting, key, with_for_update=True, populate_existing=True)
            held = _read(row)
            if held.holder not in ("", name) and held.live(now):
                return False
            value = json.dumps({"by": name, "until": (now + term).isoformat()})
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
    except IntegrityError:  # another workstation wrote the first lease a moment ago
        return False
    return True


def release(database: Database, key: str, name: str) -> bool:
    """Give the lease up if `name` holds it (a clean quit); True when it was ours."""
    with database.write() as session:
        row = session.get(Setting, key, with_for_update=True, populate_existing=True)
        if row is None or _read(row).holder != name:
            return False
        session.delete(row)
    return True


R = TypeVar("R")


class LeaseWorker(Generic[R]):
    """A plain thread (no Qt) on every workstation, of which one at a time works: the one
    holding the lease `key`. A subclass says what a round is (`round`, which asks for the
    lease with `holds()` where it should) and whether the next one should follow at
    once (`busy`); otherwise rounds are `interval` apart. A round that fails on the
    database (it went away) is logged and the next one tries again. `stop()` ends the
    thread after the round in hand and gives the lease up, so another workstation takes
    over at once instead of after the term."""

    key = ""
    label = ""  # the job in the log's words
    thread_name = "kestrel-lease"
    stop_timeout = 60.0
    log = logging.getLogger("kestrel")

    def __init__(self, database: Database, name: str, interval: float, term: timedelta) -> None:
        self.database, self.name = database, name
        self.interval, self.term = interval, term
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def round(self) -> R:
        raise NotImplementedError

    def busy(self, result: R) -> bool:  # noqa: ARG002 (a subclass's question)
        """True when the round left work due now: the next follows without waiting."""
        return False

    def holds(self) -> bool:
        """Take or renew the lease for this workstation (False: another holds it)."""
        return acquire(self.database, self.key, self.name, self.term)

    def run(self, stop: threading.Event) -> None:
        """Rounds until `stop` is set."""
        while not stop.is_set():
            busy = False
            try:
                busy = self.busy(self.round())
            except (KestrelError, SQLAlchemyError) as exc:  # the database went away
                self.log.warning("%s: %s", self.label, exc)
            if not busy:
                stop.wait(self.interval)

    def start(self) -> Self:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self.run, args=(self._stop,), name=self.thread_name, daemon=True
        )
        self._thread.start()
        self.log.info("%s from %s (while it holds the lease)", self.label, self.name)
        return self

    def stop(self, timeout: float | None = None) -> None:
        if self._thread is None:
            return
        wait = self.stop_timeout if timeout is None else timeout
        self._stop.set()
        self._thread.join(wait)
        if self._thread.is_alive():
            self.log.warning("%s still busy after %.0f s; its lease lapses", self.label, wait)
        else:
            try:
                release(self.database, self.key, self.name)
            except SQLAlchemyError as exc:  # the database went away: the lease lapses
                self.log.warning("%s: lease not given up: %s", self.label, exc)
        self._thread = None

    def holds_lease(self) -> bool:
        with self.database.read() as session:
            return holder(session, self.key).holder == self.name
