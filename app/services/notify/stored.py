"""The e-mail settings as stored (the settings table, keys "notify.*", plus the shop's
locale and whether it has a logo), read in one query and kept across transactions: every
status change asks for the event switches, the From and the shop's language, and a status
change must stay cheap (bench/outbox.py).

The copy kept per database is dropped when this process commits a change to any setting
(the session's flushes and statements on the settings table are watched), when another
process says so (a change notice of kind "settings", or "external" from SQLite's poll),
and in any case after MAX_AGE seconds (a process that hears no notices: the CLI, a
server's sender). Inside a transaction that wrote a setting, reads see its own writes and
never reach the shared copy.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Engine, case, literal, or_, select
from sqlalchemy.orm import Session

from app.core import session_cache
from app.core.settings import LOGO_KEY, keep_with_settings, wrote_settings
from app.models import Setting

PREFIX = "notify."
SHOP_LOCALE = "locale"  # the shop's locale (core/settings.DEFAULTS), for the e-mail language
DEFAULT_LOCALE = "en_IE"
MAX_AGE = 30.0  # seconds a kept copy is trusted without a notice
_CACHE = "notify_settings"
# built once: a status change should not pay for building the statement
_QUERY = select(
    Setting.key, case((Setting.key == LOGO_KEY, literal("true")), else_=Setting.value)
).where(or_(Setting.key.like(PREFIX + "%"), Setting.key.in_((LOGO_KEY, SHOP_LOCALE))))

_lock = threading.Lock()
_kept: weakref.WeakKeyDictionary[Engine, tuple[float, dict[str, Any]]] = weakref.WeakKeyDictionary()
_generation = 0  # moves on every drop: a read that began before one is not kept


def notify_settings(session: Session) -> dict[str, Any]:
    """Every "notify.*" setting (decoded), the shop's locale under SHOP_LOCALE, plus
    LOGO_KEY -> True when the shop has a logo (its bytes are not read here)."""
    cache = session_cache.values(session)
    if _CACHE not in cache:
        cache[_CACHE] = _shared(session)
    held: dict[str, Any] = cache[_CACHE]
    return held


def refresh(session: Session) -> dict[str, Any]:
    """notify_settings read from the database now (the sender, before it talks to the
    server: a changed SMTP host must not wait for MAX_AGE)."""
    cache = session_cache.values(session)
    cache[_CACHE] = _shared(session, fresh=True)
    held: dict[str, Any] = cache[_CACHE]
    return held


def _shared(session: Session, fresh: bool = False) -> dict[str, Any]:
    engine = _engine(session)
    wrote = wrote_settings(session)
    with _lock:
        generation = _generation
        kept = None if fresh or wrote or engine is None else _kept.get(engine)
    if kept is not None and time.monotonic() - kept[0] < MAX_AGE:
        return kept[1]
    values = {key: json.loads(value) for key, value in session.execute(_QUERY)}
    if not wrote and engine is not None:
        with _lock:
            if generation == _generation:
                _kept[engine] = (time.monotonic(), values)
    return values


def _engine(session: Session) -> Engine | None:
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    return engine if isinstance(engine, Engine) else None


def forget_all() -> None:
    """Drop every kept copy (a setting changed; tests that empty tables behind the ORM)."""
    global _generation  # noqa: PLW0603 (the process's one cache)
    with _lock:
        _kept.clear()
        _generation += 1


def stored(session: Session, key: str) -> Any:
    return notify_settings(session).get(key)


def has_logo(session: Session) -> bool:
    return LOGO_KEY in notify_settings(session)


def shop_locale(session: Session) -> str:
    value = notify_settings(session).get(SHOP_LOCALE)
    return value if isinstance(value, str) and value else DEFAULT_LOCALE


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


def _drop(session: Session | None) -> None:
    """core/settings watches the settings table for both copies (keep_with_settings)."""
    if session is None:
        forget_all()
    else:
        session_cache.values(session).pop(_CACHE, None)


keep_with_settings(_drop)
