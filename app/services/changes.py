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


@event.listens_for(Session, "after_commit")
def _publish(session: Session) -> None:
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    changes = ChangeSet(
        frozenset(pending["orders"]), frozenset(pending["products"]), frozenset(pending["kinds"])
    )
    for callback in list(_subscribers):
        try:
            callback(changes)
        except Exception:  # a broken subscriber must not undo a committed sale
            log.exception("change subscriber failed")


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_KEY, None)
