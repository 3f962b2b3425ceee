"""Domain change notices, published after commit (never for work that rolled back).

Services call `note()` inside their transaction; once the session commits, every
subscriber gets one ChangeSet. The GUI subscribes through a small bridge that turns it
into a Qt signal; nothing here knows about Qt.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.core import driver_sql

log = logging.getLogger("kestrel.changes")
_KEY = "kestrel_changes"
CHANNEL = "kestrel_changes"
ORIGIN = uuid.uuid4().hex[:12]  # this process: its own notices come back and are skipped
MAX_PAYLOAD = 7000  # NOTIFY allows 8000 bytes
MAX_IDS = 300
# Kinds a list needs to tell a change to a row it shows from one that may add a row or
# move one between pages: a new order, or an order whose status changed (a status filter
# or sort may now take it in or leave it out). Both still name the order ids.
ORDER_CREATED = "order_created"
ORDER_STATUS = "order_status"


@dataclass(frozen=True)
class ChangeSet:
    orders: frozenset[int] = field(default_factory=frozenset)
    products: frozenset[int] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)

    @property
    def everything(self) -> bool:
        """Another process changed something unnamed (SQLite): re-read what is shown."""
        return "external" in self.kinds

    @property
    def touches_orders(self) -> bool:
        return bool(self.orders) or self.everything

    @property
    def touches_products(self) -> bool:
        return bool(self.products) or self.everything


Subscriber = Callable[[ChangeSet], None]
_subscribers: list[Subscriber] = []


def subscribe(callback: Subscriber) -> None:
    _subscribers.append(callback)


def unsubscribe(callback: Subscriber) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def note(
    session: Session, *, orders: Iterable[int] = (), products: Iterable[int] = (), kind: str = ""
) -> None:
    pending = session.info.setdefault(_KEY, {"orders": set(), "products": set(), "kinds": set()})
    pending["orders"].update(orders)
    pending["products"].update(products)
    if kind:
        pending["kinds"].add(kind)


def pending(session: Session) -> ChangeSet | None:
    """What this transaction has noted so far (None if nothing)."""
    noted = session.info.get(_KEY)
    if not noted:
        return None
    return ChangeSet(
        frozenset(noted["orders"]), frozenset(noted["products"]), frozenset(noted["kinds"])
    )


@event.listens_for(Session, "before_commit")
def _tell_other_processes(session: Session) -> None:
    """On PostgreSQL the same changes go to other workstations by NOTIFY (app/live.py
    listens; this module does not know who does)."""
    change = pending(session)
    if change is None or session.get_bind().dialect.name != "postgresql":
        return
    notify(session, change)


# The notice on the wire, for other processes: sent with the transaction, heard by
# app/live.py's listener.


def payload_for(change: ChangeSet) -> str:
    data: dict[str, object] = {
        "src": ORIGIN,
        "o": sorted(change.orders)[:MAX_IDS],
        "p": sorted(change.products)[:MAX_IDS],
        "k": sorted(change.kinds),
    }
    if len(change.orders) > MAX_IDS or len(change.products) > MAX_IDS:
        data["all"] = True  # too many to list: everybody re-reads
    text_ = json.dumps(data, separators=(",", ":"))
    if len(text_) > MAX_PAYLOAD:
        text_ = json.dumps({"src": ORIGIN, "o": [], "p": [], "k": data["k"], "all": True})
    return text_


def change_from(payload: str) -> ChangeSet | None:
    """A notice from another process; None for our own or a garbled one."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("src") == ORIGIN:
        return None
    kinds = {str(k) for k in data.get("k", [])} | {"remote"}
    if data.get("all"):
        kinds.add("external")
    return ChangeSet(
        frozenset(int(i) for i in data.get("o", [])),
        frozenset(int(i) for i in data.get("p", [])),
        frozenset(kinds),
    )


_NOTIFY = driver_sql.Prebuilt(text("SELECT pg_notify(:channel, :payload)"))


def notify(session: Session, change: ChangeSet) -> None:
    """Send this transaction's changes to the other workstations (delivered at commit)."""
    driver_sql.execute(session, _NOTIFY, {"channel": CHANNEL, "payload": payload_for(change)})


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    change = pending(session)
    session.info.pop(_KEY, None)
    if change is not None:
        publish(change)


def publish(changes: ChangeSet) -> None:
    """Tell every subscriber (after a local commit, or a notice from another process)."""
    for callback in list(_subscribers):
        try:
            callback(changes)
        except Exception:  # a broken subscriber must not undo a committed sale
            log.exception("change subscriber failed")


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_KEY, None)


# SQLite has no NOTIFY: a listener polls PRAGMA data_version, which moves for every other
# connection's commit, this process's own included. Our commits are already on the local
# bus, so the listener for a file wraps this process's commits to that file (db.py sends
# them here) and skips them (live.py).
CommitGuard = Callable[[Any, Callable[[], None]], None]
_commit_guards: dict[str, CommitGuard] = {}


def guard_local_commits(path: str, guard: CommitGuard | None) -> None:
    """`guard(connection, commit)` runs every commit this process makes to `path`."""
    key = os.path.realpath(path)
    if guard is None:
        _commit_guards.pop(key, None)
    else:
        _commit_guards[key] = guard


def local_commit(path: str, connection: Any, commit: Callable[[], None]) -> None:
    guard = _commit_guards.get(os.path.realpath(path)) if _commit_guards else None
    if guard is None:
        commit()
    else:
        guard(connection, commit)
