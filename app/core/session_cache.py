"""Per-transaction caches for rows a use case reads again and again (a sale asks for the
currency four times, and for the same product and bin on every move).

They live in `session.info` and are dropped when the transaction ends, so a session that
goes on to another transaction never sees a stale row.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")
_ROWS = "kestrel_rows"
_VALUES = "kestrel_values"


def row(session: Session, model: type[T], key: int) -> T | None:
    """session.get, holding the row until the transaction ends (the identity map is weak)."""
    rows: dict[tuple[type, int], Any] = session.info.setdefault(_ROWS, {})
    if (model, key) not in rows:
        found = session.get(model, key)
        if found is None:
            return None
        rows[(model, key)] = found
    held: T = rows[(model, key)]
    return held


def keep(session: Session, found: T, model: type | None = None) -> T:
    """Hold a row already loaded (by a query) for the rest of the transaction; `model`
    names its class when `found` is a plain copy of a row just inserted by Core."""
    rows: dict[tuple[type, int], Any] = session.info.setdefault(_ROWS, {})
    rows[(model or type(found), found.id)] = found  # type: ignore[attr-defined]
    return found


def values(session: Session) -> dict[str, Any]:
    held: dict[str, Any] = session.info.setdefault(_VALUES, {})
    return held


def forget(session: Session) -> None:
    session.info.pop(_ROWS, None)
    session.info.pop(_VALUES, None)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    forget(session)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    forget(session)
