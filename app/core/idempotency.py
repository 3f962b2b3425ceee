"""Idempotency keys: a write a user may retry is applied once, whatever happened to the
answer of its COMMIT.

The caller makes the key when the user commits to the action (the cart is paid) and keeps
it across retries; the write stores it in its own transaction (`claim`). A retry first
asks `landed`: if the key is there, the earlier write's result is answered and nothing is
written again. Two writers with one key at once: the unique key makes the second wait for
the first and then fail (IntegrityError), and its retry finds the key.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.errors import CommitUncertain, DatabaseUnavailable, ValidationError
from app.core.i18n import _
from app.models import IdempotencyKey

MAX_KEY = 64
_INSERT = insert(IdempotencyKey.__table__)


def new_key() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Landed:
    kind: str
    order_id: int | None
    result: dict[str, Any]


def _checked(key: str) -> str:
    if not key or len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
        raise ValidationError(_("A retry key must be 1 to 64 printable characters."))
    return key


def landed(session: Session, key: str) -> Landed | None:
    """The earlier write under `key`, if one committed."""
    row = session.execute(
        select(IdempotencyKey.kind, IdempotencyKey.order_id, IdempotencyKey.result).where(
            IdempotencyKey.key == _checked(key)
        )
    ).first()
    if row is None:
        return None
    return Landed(row.kind, row.order_id, json.loads(row.result) if row.result else {})


def claim(
    session: Session,
    key: str,
    kind: str,
    order_id: int | None,
    workstation: str,
    result: dict[str, Any] | None = None,
) -> None:
    """Store the key in the caller's transaction; the INSERT runs now, so the unique key
    decides now (a concurrent writer of the same key waits here, then one of the two
    fails)."""
    session.flush()  # what the ORM holds first (the key's order may be one of them)
    session.execute(
        _INSERT,
        {
            "key": _checked(key),
            "kind": kind,
            "order_id": order_id,
            "result": json.dumps(result or {}),
            "workstation": workstation[:64],
        },
    )


def run_once(database: Any, work: Callable[[Session], None]) -> None:
    """Run a keyed write (`work` claims its key, and answers the earlier result if the key
    landed) in `database.transact`. If the COMMIT's answer is lost, ask the server by
    running it again: the key makes that an answer, not a second write. CommitUncertain
    if the server cannot be asked; DatabaseUnavailable if nothing was saved."""
    try:
        database.transact(work)
    except CommitUncertain:
        try:
            database.transact(work)
        except DatabaseUnavailable as exc:
            raise CommitUncertain(
                _(
                    "The server stopped answering as this was being saved, so it may have been "
                    "saved; Kestrel could not ask it yet. ({reason})"
                ).format(reason=exc.message)
            ) from exc
