"""Domain change notices, published after commit (never for work that rolled back).

Services call `note()` inside their transaction; once the session commits, every
subscriber gets one ChangeSet. The GUI subscribes through a small bridge that turns it
into a Qt signal; nothing here knows about Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("kestrel.changes")
_KEY = "kestrel_changes"


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
    """On PostgreSQL the same changes go to other workstations by NOTIFY (see live.py)."""
    change = pending(session)
    if change is None or session.get_bind().dialect.name != "postgresql":
        return
    from app.live import notify

    notify(session, change)


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
