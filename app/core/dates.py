"""Dates and times as a document's locale writes them, in the shop's time zone.

Times are stored in UTC (a naive datetime from SQLite is UTC too); a receipt printed in
Berlin says 11:30 for a sale at 10:30 UTC whatever zone the workstation runs in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time

FALLBACK_ZONE = "UTC"  # a zone the system does not know (checked when it is set)


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or FALLBACK_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


def local(at: datetime, timezone: str) -> datetime:
    """`at` in the shop's zone (naive means UTC, as the database stores it)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(_zone(timezone))


def document_date(at: datetime, locale: str, timezone: str, length: str = "medium") -> str:
    """The day as the locale writes it: medium '22.11.2026', '22 nov. 2026'; long (an
    e-mail's) '22. November 2026', '22 November 2026'."""
    return format_date(local(at, timezone), length, locale=locale)


def document_datetime(at: datetime, locale: str, timezone: str) -> str:
    """Day and time for a receipt: medium date, short time, joined as the locale joins
    them ('22.11.2026, 11:30'; '22 Nov 2026, 10:30')."""
    when = local(at, timezone)
    joined = str(Locale.parse(locale).datetime_formats["medium"])
    return joined.format(
        format_time(when, "short", locale=locale), format_date(when, "medium", locale=locale)
    )
