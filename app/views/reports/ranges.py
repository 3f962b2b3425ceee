"""The date range presets of the Reports screen, as local dates of the shop (both ends
included, as base.Filters takes them). Weeks start on Monday."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.core.i18n import N_

# the presets' names are their keys; the screen shows each through _()
PRESETS = (
    N_("Today"),
    N_("Yesterday"),
    N_("This week"),
    N_("Last week"),
    N_("This month"),
    N_("Last month"),
    N_("Last 30 days"),
    N_("This year"),
)


def shop_today(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def preset_range(name: str, today: date) -> tuple[date, date]:
    """(first day, last day) of a preset, around `today`."""
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    ranges = {
        "Today": (today, today),
        "Yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "This week": (monday, today),
        "Last week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "This month": (first_of_month, today),
        "Last month": (last_month_end.replace(day=1), last_month_end),
        "Last 30 days": (today - timedelta(days=29), today),
        "This year": (today.replace(month=1, day=1), today),
    }
    return ranges[name]
