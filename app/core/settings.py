"""Shared business settings, stored in the database and declared once with defaults.

Every sale reads several (currency, whether prices include tax), so the values are kept
across transactions, per database, as notify/stored.py keeps the e-mail settings: the
copy is dropped when this process commits a write to the settings table (its flushes and
statements on it are watched), when another process says so (a change notice of kind
"settings", or "external" from SQLite's poll), and in any case after MAX_AGE seconds. A
transaction that wrote a setting reads its own writes, never the kept copy.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, object_session

from app.core import changes, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.models import Setting

DEFAULTS: dict[str, Any] = {
    "company_name": "My Shop",
    "company_address": "",
    "currency": "EUR",
    "locale": "en_IE",
    # IANA zone: reports put a sale at 23:30 local on that local day (services/shop.py checks it)
    "timezone": "Europe/Dublin",
    "prices_include_tax": True,  # stored prices are gross (net when False): core/tax.py
    "prices": "inclusive",  # documents and screens show prices with tax, or "exclusive"
    "receipt_footer": "Thank you for shopping with us!",
    "document_paper": "A4",  # or "Letter": pick lists, invoices, packing slips
    "company_tax_id": "",
    "receipt_header": "",
    # A named tax class -> its rate in basis points (2300 = 23 %); services/shop.py checks them.
    "tax_classes": {"Standard": 2300, "Reduced": 1350, "Zero": 0},
    "password_min_length": 10,  # never under core/auth.MIN_PASSWORD_LENGTH
    # where customers reach `kestrel serve`: tracking links are this + /track/TOKEN
    "public_url": "http://127.0.0.1:8765",
}
# Kept in the settings table but outside DEFAULTS, so all_settings() (read by every sale)
# never loads it: the logo's bytes (services/shop.py).
LOGO_KEY = "company_logo"
MAX_AGE = 30.0  # seconds a kept copy is trusted without a notice
SETTINGS_CHANGED = "settings"  # the change notice's kind (services/shop.py notes it)
_QUERY = select(Setting.key, Setting.value).where(Setting.key.in_(list(DEFAULTS)))
_WROTE = "kestrel_business_settings_written"
_lock = threading.Lock()
_kept: weakref.WeakKeyDictionary[Engine, tuple[float, dict[str, Any]]] = weakref.WeakKeyDictionary()
_generation = 0  # moves on every drop: a read that began before one is not kept
_followers: list[Callable[[Session | None], None]] = []  # keep_with_settings


def get_setting(session: Session, key: str) -> Any:
    """A shared setting, read once per session (a sale asks for the currency several times)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    return all_settings(session)[key]


def all_settings(session: Session) -> dict[str, Any]:
    """Every shared setting: the kept copy, or one query (see the module's docstring)."""
    cache = session_cache.values(session)
    if "settings" not in cache:
        cache["settings"] = _shared(session)
    return dict(cache["settings"])


def _shared(session: Session) -> dict[str, Any]:
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    engine = engine if isinstance(engine, Engine) else None
    wrote = bool(session.info.get(_WROTE))
    with _lock:
        generation = _generation
        kept = None if wrote or engine is None else _kept.get(engine)
    if kept is not None and time.monotonic() - kept[0] < MAX_AGE:
        return kept[1]
    stored = {k: json.loads(v) for k, v in session.execute(_QUERY)}
    values = {key: stored.get(key, default) for key, default in DEFAULTS.items()}
    if not wrote and engine is not None:
        with _lock:
            if generation == _generation:
                _kept[engine] = (time.monotonic(), values)
    return values


def forget_kept() -> None:
    """Drop every kept copy, this module's and its followers' (keep_with_settings): a
    setting changed; tests that write settings behind the ORM."""
    global _generation  # noqa: PLW0603 (the process's one cache)
    with _lock:
        _kept.clear()
        _generation += 1
    for drop in _followers:
        drop(None)


def keep_with_settings(drop: Callable[[Session | None], None]) -> None:
    """Another copy drawn from the settings table (notify/stored.py) follows this one's
    rules: `drop(session)` when that transaction writes a setting (its own reads must see
    the write), `drop(None)` whenever every kept copy must go."""
    _followers.append(drop)


def wrote_settings(session: Session) -> bool:
    """Whether this transaction has written a setting (then nothing kept may answer it)."""
    return bool(session.info.get(_WROTE))


def _wrote(session: Session) -> None:
    session.info[_WROTE] = True
    session_cache.values(session).pop("settings", None)
    for drop in _followers:
        drop(session)


@event.listens_for(Setting, "after_insert")
@event.listens_for(Setting, "after_update")
@event.listens_for(Setting, "after_delete")
def _row_written(_mapper: Mapper[Setting], _connection: Connection, row: Setting) -> None:
    session = object_session(row)
    if session is not None:
        _wrote(session)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == Setting.__tablename__:
            _wrote(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_WROTE, False):
        forget_kept()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_WROTE, None)


def _heard(change: changes.ChangeSet) -> None:
    if change.everything or SETTINGS_CHANGED in change.kinds:
        forget_kept()


changes.subscribe(_heard)


def set_setting(session: Session, actor: Actor, key: str, value: Any) -> None:
    require(actor, Permission.SETTINGS_MANAGE)
    if key not in DEFAULTS:
        raise ValidationError(_("There is no setting called '{key}'.").format(key=key))
    if not isinstance(value, type(DEFAULTS[key])):
        raise ValidationError(
            _("The setting '{key}' takes {kind}.").format(
                key=key, kind=type(DEFAULTS[key]).__name__
            )
        )
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    session_cache.forget(session)
    _wrote(session)  # before its flush: this transaction reads its own writes


def set_company(
    session: Session,
    actor: Actor,
    name: str,
    address: str,
    currency: str,
    locale: str,
    footer: str | None = None,
) -> None:
    """The shop's name and address (receipts, invoices), its currency and how money and
    dates are written, each checked with Babel before anything is stored."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import list_currencies

    from app.core.validation import clean_text

    require(actor, Permission.SETTINGS_MANAGE)
    code = currency.strip().upper()
    if code not in list_currencies():
        raise ValidationError(
            _("'{currency}' is not a currency code (EUR, GBP, USD…).").format(
                currency=currency.strip()
            )
        )
    try:
        parsed = Locale.parse(locale.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValidationError(
            _("'{locale}' is not a language and region (en_IE…).").format(locale=locale.strip())
        ) from None
    set_setting(
        session, actor, "company_name", clean_text(name, "Name", max_length=100, required=True)
    )
    set_setting(session, actor, "company_address", clean_text(address, "Address", max_length=500))
    set_setting(session, actor, "currency", code)
    set_setting(session, actor, "locale", str(parsed))
    if footer is not None:
        set_setting(session, actor, "receipt_footer", clean_text(footer, "Footer", max_length=200))
