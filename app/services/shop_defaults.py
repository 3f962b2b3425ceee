"""What the set-up wizard proposes for a new shop. The built-in defaults (core/settings.py)
are English and Irish: "My Shop", en_IE, EUR, Europe/Dublin. A German workstation setting
up its shop should see "Mein Geschäft", de_DE and Europe/Berlin instead, or money and
report days come out Irish until someone notices. A value the shop has already saved is
never second-guessed: only a setting still at its built-in default is replaced."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies

from app.core import i18n
from app.core.i18n import _
from app.core.settings import DEFAULTS

SUGGESTED = ("company_name", "receipt_footer", "currency", "locale", "timezone")
# Countries with more than one zone: the one most of their people (and shops) keep. The
# workstation's own zone wins when it lies in the country (zone_for).
MAIN_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "ID": "Asia/Jakarta",
    "MX": "America/Mexico_City",
    "NZ": "Pacific/Auckland",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
}


def suggested(shared: Mapping[str, object], workstation: str | None = None) -> dict[str, str]:
    """The shop's name, receipt footer, currency, locale and time zone to show in the
    wizard: what the store keeps, except where that is still the built-in default; then
    the workstation's language (`workstation`, else the screen's) and zone decide."""
    shown = {key: str(shared.get(key, DEFAULTS[key])) for key in SUGGESTED}
    untouched = {key for key in SUGGESTED if shared.get(key, DEFAULTS[key]) == DEFAULTS[key]}
    if "company_name" in untouched:
        shown["company_name"] = _("My Shop")
    if "receipt_footer" in untouched:
        shown["receipt_footer"] = _("Thank you for shopping with us!")
    if "locale" in untouched:
        language = workstation or _workstation_language()
        shown["locale"] = likely_locale(language) or shown["locale"]
    if "currency" in untouched:
        shown["currency"] = currency_for(shown["locale"]) or shown["currency"]
    if "timezone" in untouched:
        shown["timezone"] = zone_for(shown["locale"]) or shown["timezone"]
    return shown


def likely_locale(language: str) -> str:
    """'de' -> 'de_DE', 'fr_CA' -> 'fr_CA', 'en' -> '' (English keeps the default en_IE):
    a bare language gets its most likely country from CLDR (Babel)."""
    given = i18n.normalise(language)
    if not given or given in (i18n.SOURCE_LANGUAGE, i18n.PSEUDO_LANGUAGE):
        return ""
    if "_" not in given:
        given = str(get_global("likely_subtags").get(given, given))
    try:
        parsed = Locale.parse(given)
    except (UnknownLocaleError, ValueError):
        return ""
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else ""


def currency_for(locale: str) -> str:
    """The currency of the locale's country (de_CH -> CHF), '' when it has none known."""
    territory = _territory(locale)
    currencies = get_territory_currencies(territory) if territory else []
    return currencies[0] if currencies else ""


def zone_for(locale: str) -> str:
    """The time zone of the locale's country: this workstation's own zone when it lies in
    that country, else the country's only or main zone; '' when none is known."""
    territory = _territory(locale)
    zones = list(get_global("territory_zones").get(territory, ())) if territory else []
    own = workstation_zone()
    if own and own in zones:
        return own
    return zones[0] if len(zones) == 1 else MAIN_ZONES.get(territory, "")


def workstation_zone() -> str:
    """This computer's IANA zone name: TZ, else where /etc/localtime points (Linux, macOS);
    '' on Windows or when only UTC is known."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    return "" if not name or name.startswith("Etc/") or name in ("UTC", "GMT") else name


def _workstation_language() -> str:
    """The screen's language, with the country the system's locale adds (de -> de_AT)."""
    screen, system = i18n.current_language(), i18n.system_language()
    return system if i18n.language_of(system) == i18n.language_of(screen) else screen


def _territory(locale: str) -> str:
    try:
        return Locale.parse(locale.strip().replace("-", "_")).territory or ""
    except (UnknownLocaleError, ValueError):
        return ""
