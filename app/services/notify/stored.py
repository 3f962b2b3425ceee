"""The e-mail settings as stored (the settings table, keys "notify.*"), read in one query
once per transaction: every status change asks for the event switches, the From and the
shop's template overrides, and a status change must stay cheap (bench/outbox.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import case, literal, or_, select
from sqlalchemy.orm import Session

from app.core import session_cache
from app.core.settings import LOGO_KEY
from app.models import Setting

PREFIX = "notify."
_CACHE = "notify_settings"
# built once: a status change should not pay for building the statement
_QUERY = select(
    Setting.key, case((Setting.key == LOGO_KEY, literal("true")), else_=Setting.value)
).where(or_(Setting.key.like(PREFIX + "%"), Setting.key == LOGO_KEY))


def notify_settings(session: Session) -> dict[str, Any]:
    """Every "notify.*" setting (decoded), plus LOGO_KEY -> True when the shop has a logo
    (its bytes are not read here)."""
    cache = session_cache.values(session)
    if _CACHE not in cache:
        rows = session.execute(_QUERY)
        cache[_CACHE] = {key: json.loads(value) for key, value in rows}
    held: dict[str, Any] = cache[_CACHE]
    return held


def stored(session: Session, key: str) -> Any:
    return notify_settings(session).get(key)


def has_logo(session: Session) -> bool:
    return LOGO_KEY in notify_settings(session)


def store(session: Session, key: str, value: Any) -> None:
    """Write one setting ("" or None deletes it); later reads in this transaction see it."""
    row = session.get(Setting, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    session.flush()
    session_cache.forget(session)
