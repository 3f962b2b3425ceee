"""Shared business settings, stored in the database and declared once with defaults."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import session_cache
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
    "prices_include_tax": True,
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


def get_setting(session: Session, key: str) -> Any:
    """A shared setting, read once per session (a sale asks for the currency several times)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    return all_settings(session)[key]


def all_settings(session: Session) -> dict[str, Any]:
    """Every shared setting, read in one query once per transaction."""
    cache = session_cache.values(session)
    if "settings" not in cache:
        rows = session.execute(
            select(Setting.key, Setting.value).where(Setting.key.in_(list(DEFAULTS)))
        )
        stored = {k: json.loads(v) for k, v in rows}
        cache["settings"] = {key: stored.get(key, default) for key, default in DEFAULTS.items()}
    return dict(cache["settings"])


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
